"""Known vulnerabilities in what production installs (requirements.lock), with pip-audit.

Asks PyPI's vulnerability data first, then OSV. Fails (exit 1) when a locked package has a
known vulnerability. When neither service can be reached, or answers for no package (a mirror
of PyPI without its JSON API), it says so plainly, NOT AUDITED, and does not fail: an
unreachable service is not a finding. Usage: .venv/bin/python .ci/audit.py [LOCK]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SERVICES = ("pypi", "osv")


def verdict(report: dict[str, Any], service: str) -> tuple[int | None, str]:
    """(exit code, what to print) for one service's JSON report; None: ask the next service."""
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    audited = [d for d in deps if "skip_reason" not in d]
    if vulnerable:
        lines = [
            f"  {d['name']} {d.get('version', '')}: "
            + ", ".join(
                f"{v['id']} (fixed in {', '.join(v.get('fix_versions') or ['-'])})"
                for v in d["vulns"]
            )
            for d in vulnerable
        ]
        return 1, f"FAIL: known vulnerabilities ({service}):\n" + "\n".join(lines)
    if audited:
        skipped = [d["name"] for d in deps if "skip_reason" in d]
        note = f"; not audited: {', '.join(skipped)}" if skipped else ""
        return (
            0,
            f"{len(audited)} of {len(deps)} packages audited ({service}): "
            f"none has a known vulnerability{note}",
        )
    return None, f"{service}: answered for none of the {len(deps)} packages"


def main() -> int:
    lock = sys.argv[1] if len(sys.argv) > 1 else "requirements.lock"
    pip_audit = Path(sys.executable).with_name("pip-audit")
    notes = []
    for service in SERVICES:
        with tempfile.TemporaryDirectory() as tmp:
            output = Path(tmp) / "report.json"
            run = subprocess.run(  # noqa: S603
                [
                    str(pip_audit),
                    "-r",
                    lock,
                    "--no-deps",
                    "--disable-pip",
                    "--progress-spinner",
                    "off",
                    "--vulnerability-service",
                    service,
                    "--format",
                    "json",
                    "--output",
                    str(output),
                ],
                capture_output=True,
                text=True,
                timeout=600,
            )
            if not output.exists():
                last = (run.stderr.strip().splitlines() or ["no output"])[-1]
                notes.append(f"{service}: unreachable ({last[:200]})")
                continue
            code, message = verdict(json.loads(output.read_text()), service)
        if code is not None:
            print(message)
            return code
        notes.append(message)
    print(f"NOT AUDITED: no vulnerability service could audit {lock} from here.")
    for note in notes:
        print(f"  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
