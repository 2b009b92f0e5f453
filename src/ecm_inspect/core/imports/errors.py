"""What goes wrong in an import file, and how it is reported: file, row, field, message."""

from dataclasses import dataclass
from pathlib import Path

from django.template.defaultfilters import pluralize

# The report lists this many problems, then says how many more there are.
REPORT_LIMIT = 20


@dataclass(frozen=True)
class Problem:
    """One problem in an import file. Row 1 is the header; row None is the file as a whole."""

    row: int | None
    field: str | None
    message: str

    def describe(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportFileError(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, path: Path, problems: list[Problem], total: int | None = None) -> None:
        self.path = path
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"{self.path.name}: {self.total} problem{pluralize(self.total)}:"]
        lines += [f"  {p.describe()}" for p in self.problems[:REPORT_LIMIT]]
        shown = min(len(self.problems), REPORT_LIMIT)
        if self.total > shown:
            lines.append(f"  and {self.total - shown} more")
        return "\n".join(lines)


class Problems:
    """Collects the problems of one file: keeps the first REPORT_LIMIT, counts them all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kept: list[Problem] = []
        self.total = 0

    def add(self, row: int | None, field: str | None, message: str) -> None:
        self.total += 1
        if len(self.kept) < REPORT_LIMIT:
            self.kept.append(Problem(row, field, message))

    def __bool__(self) -> bool:
        return self.total > 0

    def error(self) -> ImportFileError:
        return ImportFileError(self.path, self.kept, self.total)

    def raise_if_any(self) -> None:
        if self.total:
            raise self.error()
