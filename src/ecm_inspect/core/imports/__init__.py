"""The import kit every app's imports use: reading a CSV or XLSX file as a stream of rows with
progress (`reading`), problems named by file, row and field, all reported together
(`errors`), and the result of an import with what it created, changed and left alone
(`common`). Each app's import writes all or nothing in one transaction, COPY on PostgreSQL
where the rows are many (registry/imports/provider_writers.py)."""

from .common import Change, ImportResult
from .errors import ImportFileError, Problem

__all__ = ["Change", "ImportFileError", "ImportResult", "Problem"]
