"""`ecm stats --format json`: the number of records of every model, for administrators."""

import json
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser


def record_counts() -> dict[str, int]:
    """{"app_label.ModelName": count} for every installed model, in label order."""
    return {
        model._meta.label: model._default_manager.count()
        for model in sorted(apps.get_models(), key=lambda m: m._meta.label)
    }


class Command(BaseCommand):
    help = "Print the number of records of every model."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = record_counts()
        if options["format"] == "json":
            self.stdout.write(json.dumps(counts, indent=2))
        else:
            width = max(len(label) for label in counts)
            for label, count in counts.items():
                self.stdout.write(f"{label:{width}}  {count:>8}")
