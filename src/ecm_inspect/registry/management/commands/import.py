"""`ecm import areas PATH` and `ecm import providers PATH`: the registry from public files."""

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from ecm_inspect.registry.imports import (
    ImportFileError,
    ImportResult,
    areas_import,
    providers_import,
)

IMPORTS: dict[str, tuple[str, Any]] = {
    "areas": ("Children's services authorities, with their codes and neighbours.", areas_import),
    "providers": ("Front-line providers (schools, children's homes...).", providers_import),
}


def importers() -> dict[str, tuple[str, Any]]:
    """The registry's imports, then those other apps add: an app's config may have `imports`,
    {name: (help, function)}, each function taking path, mapping, dry_run and progress and
    returning an ImportResult (the registry imports no app above it)."""
    table = dict(IMPORTS)
    for config in apps.get_app_configs():
        table.update(getattr(config, "imports", {}))
    return table


BAR_WIDTH = 30
SAMPLE = 10


def _plain(text: str) -> str:
    return text


class ProgressBar:
    """A bar redrawn in place on a terminal; a line every tenth of the way otherwise."""

    def __init__(self, stream: OutputWrapper, label: str) -> None:
        self.stream = stream
        self.label = label
        self.tty = stream.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        fraction = min(done / total, 1.0) if total else 1.0
        if self.tty:
            filled = int(fraction * BAR_WIDTH)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            end = "\n" if fraction >= 1.0 else ""
            self.stream.write(f"\r{self.label} [{bar}] {fraction:4.0%}", _plain, end)
        else:
            tenth = int(fraction * 10)
            if tenth == self.last:
                return
            self.stream.write(f"{self.label}: {fraction:.0%} read", _plain)
        self.last = int(fraction * 10)
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import areas or providers from a CSV or XLSX file: all or nothing, and running it "
        "again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        table = importers()
        sub = parser.add_subparsers(
            dest="target", required=True, metavar="{" + ",".join(table) + "}"
        )
        for target, (text, _) in table.items():
            cmd = sub.add_parser(target, help=text)
            cmd.add_argument("path", type=Path, help="A .csv (UTF-8) or .xlsx file.")
            cmd.add_argument(
                "--mapping",
                default=None,
                metavar="FILE|NAME",
                help="A mapping file, or the name of a shipped one (e.g. ofsted-csc-providers); "
                "by default the shipped mapping whose columns the file's header has.",
            )
            cmd.add_argument(
                "--dry-run",
                action="store_true",
                help="Check the file and show what would change; write nothing.",
            )
            cmd.add_argument("--no-progress", action="store_true", help="Do not show progress.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        path: Path = options["path"]
        progress = None
        if not options["no_progress"] and options["verbosity"] > 0:
            progress = ProgressBar(self.stderr, f"Reading {path.name}")
        try:
            result = importers()[options["target"]][1](
                path=path,
                mapping=options["mapping"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except ImportFileError as exc:
            raise CommandError(f"Nothing was imported. {exc.report()}") from exc
        self._report(result)

    def _report(self, result: ImportResult) -> None:
        write = self.stdout.write
        write(f"{result.path.name} (mapping {result.mapping}): {result.rows:,} rows read")
        write(f"  {'created':10} {result.created:8,}")
        write(f"  {'updated':10} {result.updated:8,}")
        write(f"  {'unchanged':10} {result.unchanged:8,}")
        for reason, count in result.skipped.most_common():
            write(f"  {'skipped':10} {count:8,}  {reason}")
        # A sample of the changes (the first ones in the file); -v 2 shows more.
        sample = result.changes[: SAMPLE if self.verbosity < 2 else None]
        if sample:
            total = result.created + result.updated
            write(f"Changes ({len(sample)} of {total:,}):" if len(sample) < total else "Changes:")
            for change in sample:
                write(f"  {change.describe()}")
        if result.dry_run:
            write(self.style.WARNING("Dry run: nothing was written."))
        elif result.changed:
            write(self.style.SUCCESS("Imported."))
        else:
            write(self.style.SUCCESS("Already up to date: nothing changed."))
