"""`ecm framework load|load-descriptors|export|diff|publish|versions`: the Framework catalogue,
its grade descriptors and its revisions."""

import getpass
import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize

from ecm_inspect.framework.models import FrameworkVersion
from ecm_inspect.framework.schema import FrameworkFileError, parse_yaml
from ecm_inspect.framework.selectors import catalogue_export, framework_in_force
from ecm_inspect.framework.services import DEFAULT_FILES, framework_load


class Command(BaseCommand):
    help = "Load the Framework catalogue from its YAML files, or export it as JSON or YAML."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action",
            required=True,
            metavar="{load,load-descriptors,export,diff,publish,versions}",
        )
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
        load.add_argument(
            "--draft",
            action="store_true",
            help="Load a new version as a draft revision: used by no inspection until published.",
        )
        descriptors = sub.add_parser(
            "load-descriptors",
            help="Validate and load a set of grade descriptors (all or nothing); the newest set "
            "of a Framework version is in force, earlier sets are kept.",
        )
        descriptors.add_argument(
            "file", type=Path, help="The descriptor file, e.g. a revision of descriptors-2005.yaml."
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
        diff = sub.add_parser(
            "diff", help="What a revised Framework file (or a loaded version) changes."
        )
        diff.add_argument(
            "new", help="The revised Framework file, or the code of a loaded version (e.g. 2008)."
        )
        diff.add_argument(
            "--against", type=Path, default=None, help="The file in force (default: the 2005 one)."
        )
        publish = sub.add_parser(
            "publish", help="Publish a draft version with the date inspections start using it."
        )
        publish.add_argument("version", help="The draft version's code.")
        publish.add_argument("--effective", required=True, type=date.fromisoformat)
        sub.add_parser("versions", help="Every version: status, effective date, counts.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self._load(options["files"] or list(DEFAULT_FILES), options["draft"])
        elif options["action"] == "load-descriptors":
            self._load_descriptors(options["file"])
        elif options["action"] == "diff":
            self._diff(options["new"], options["against"])
        elif options["action"] == "publish":
            self._publish(options["version"], options["effective"])
        elif options["action"] == "versions":
            self._versions()
        else:
            self._export(options["format"], options["framework_version"], options["output"])

    def _diff(self, new: str, against: Path | None) -> None:
        from ecm_inspect.framework.revision import CURRENT_FILE, framework_diff, version_diff

        loaded = None if Path(new).exists() else FrameworkVersion.objects.filter(code=new).first()
        if loaded is not None:
            in_force = framework_in_force()
            if in_force is None or in_force == loaded:
                raise CommandError(f"Version {new} is the version in force: nothing to compare.")
            changes = version_diff(old=in_force, new=loaded)
            self.stdout.write(f"Version {loaded.code} against version {in_force.code} in force:")
        else:
            try:
                changes = framework_diff(old=against or CURRENT_FILE, new=Path(new))
            except FrameworkFileError as exc:
                raise CommandError(str(exc)) from exc
        for change in changes:
            self.stdout.write(change.describe())
        self.stdout.write(f"{len(changes)} change{pluralize(len(changes))}.")

    def _publish(self, code: str, effective: date) -> None:
        from ecm_inspect.framework.revision import RevisionRefused, framework_publish

        version = FrameworkVersion.objects.filter(code=code).first()
        if version is None:
            raise CommandError(f"No version {code} is loaded (ecm framework load FILE --draft).")
        try:
            framework_publish(version=version, effective_from=effective)
        except RevisionRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Published version {code}: inspections starting on or after "
                f"{effective.isoformat()} use it; earlier ones keep theirs."
            )
        )

    def _versions(self) -> None:
        in_force = framework_in_force()
        for v in FrameworkVersion.objects.order_by("code"):
            flag = " (in force)" if in_force and v.pk == in_force.pk else ""
            self.stdout.write(
                f"{v.code}  {v.status:<9}  from {v.effective_from or '-'}  "
                f"{v.key_judgements.count()} key judgements  {v.title}{flag}"
            )

    def _load(self, files: list[Path], draft: bool = False) -> None:
        try:
            result = framework_load(paths=files, draft=draft)
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

    def _load_descriptors(self, path: Path) -> None:
        try:
            data, _ = parse_yaml(path)
            if "descriptors" not in data:
                raise CommandError(
                    f"Nothing was loaded. {path.name} is not a descriptor file (it has no "
                    "'descriptors')."
                )
            result = framework_load(paths=[path], by=getpass.getuser())
        except FrameworkFileError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        created = result.created["framework.GradeDescriptor"]
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded descriptor set {data['set']} ({created} descriptors) for Framework "
                    f"version {data['framework_version']}: it is now the set in force."
                )
            )
        else:
            self.stdout.write(f"Descriptor set {data['set']} is already loaded ({path.name}).")

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
