"""`ecm framework load [FILE ...]` and `ecm framework export --format json|yaml [--version V]`."""

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ecm_inspect.framework.schema import FrameworkFileError
from ecm_inspect.framework.selectors import catalogue_export
from ecm_inspect.framework.services import DEFAULT_FILES, framework_load


class Command(BaseCommand):
    help = "Load the Framework catalogue from its YAML files, or export it as JSON or YAML."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,export,diff}")
        load = sub.add_parser(
            "load", help="Validate and load the Framework files (all or nothing)."
        )
        load.add_argument(
            "files",
            nargs="*",
            type=Path,
            help="Framework files to load (default: the 2005 and 2004 catalogues and the "
            "relevance matrix shipped with ECM Inspect).",
        )
        export = sub.add_parser("export", help="Print the catalogue in force.")
        export.add_argument("--format", choices=["json", "yaml"], default="json")
        export.add_argument(
            "--version",
            dest="framework_version",
            default=None,
            help="Only this version of the Framework, e.g. 2005.",
        )
        export.add_argument("--output", type=Path, default=None, help="Write to this file.")
        diff = sub.add_parser("diff", help="What a revised Framework file changes.")
        diff.add_argument("new", type=Path, help="The revised Framework file.")
        diff.add_argument(
            "--against", type=Path, default=None, help="The file in force (default: the 2005 one)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self._load(options["files"] or list(DEFAULT_FILES))
        elif options["action"] == "diff":
            self._diff(options["new"], options["against"])
        else:
            self._export(options["format"], options["framework_version"], options["output"])

    def _diff(self, new: Path, against: Path | None) -> None:
        from ecm_inspect.framework.revision import CURRENT_FILE, framework_diff

        try:
            changes = framework_diff(old=against or CURRENT_FILE, new=new)
        except FrameworkFileError as exc:
            raise CommandError(str(exc)) from exc
        for change in changes:
            self.stdout.write(change.describe())
        self.stdout.write(f"{len(changes)} change{'s' if len(changes) != 1 else ''}.")

    def _load(self, files: list[Path]) -> None:
        try:
            result = framework_load(paths=files)
        except FrameworkFileError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        if not result.changed:
            self.stdout.write(f"Framework already up to date ({', '.join(result.files)}).")
            return
        for label, verb in (
            ("created", result.created),
            ("updated", result.updated),
            ("removed", result.removed),
        ):
            for model, count in sorted(verb.items()):
                self.stdout.write(f"  {label:8} {count:4}  {model}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {', '.join(result.files)}."))

    def _export(self, fmt: str, version: str | None, output: Path | None) -> None:
        data = catalogue_export(version=version)
        if version is not None and not data["versions"]:
            raise CommandError(f"There is no Framework version {version!r} loaded.")
        if fmt == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        if output is not None:
            output.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
