"""What every app shares and no domain owns: background tasks, and (as they move here) the
import kit, optimistic concurrency, the working-day calendar and the chart kit. Domain apps
import from here; nothing here imports a domain app."""
