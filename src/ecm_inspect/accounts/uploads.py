"""Uploaded files, in one place for every app: the size limit (`ECM_UPLOAD_MAX_BYTES`), a file
name that fits its column, and a file kept only if its row commits.

A stored file is named by its SHA-256 (`<folder>/<sha256>`), never by anything the uploader
typed, and is written to storage in `transaction.on_commit`: a refused or rolled-back upload
leaves nothing on disk. Two uploads of the same bytes share one stored file."""

import hashlib
import shutil
import tempfile
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.files.base import File
from django.db import models, transaction


class UploadRefused(ValueError):
    pass


def upload_max_bytes() -> int:
    return int(settings.ECM_UPLOAD_MAX_BYTES)


def size_words(size: int) -> str:
    """A size as people say it: "20 MB", "512 KB", "900 bytes"."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


def upload_check(*, name: str, size: int, max_name_chars: int) -> None:
    """Refuse a file too big for `ECM_UPLOAD_MAX_BYTES` or whose name is too long to keep."""
    limit = upload_max_bytes()
    if size > limit:
        raise UploadRefused(
            f"The file {name[:60]!r} is {size_words(size)}: the largest file accepted is "
            f"{size_words(limit)}."
        )
    if len(name) > max_name_chars:
        raise UploadRefused(
            f"The file name is {len(name)} characters long: at most {max_name_chars}. "
            "Rename the file and upload it again."
        )


def upload_field_clean(upload: Any, *, max_name_chars: int) -> Any:
    """For a form's clean_<file>(): the same checks, as a form error beside the field."""
    if upload is None:
        return upload
    try:
        upload_check(name=str(upload.name or ""), size=upload.size, max_name_chars=max_name_chars)
    except UploadRefused as exc:
        raise forms.ValidationError(str(exc)) from None
    return upload


def sha256_of(stream: IO[bytes]) -> tuple[str, int]:
    """The stream's SHA-256 and size; the stream is left at its start."""
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 16), b""):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def stored_name(folder: str, sha256: str) -> str:
    return f"{folder}/{sha256}"


def store_on_commit(*, record: models.Model, field: str, content: IO[bytes]) -> None:
    """Write `content` to the storage of `record`'s file field, under the name already set on it,
    once the transaction that saved `record` commits. If the write fails, the row goes too: a
    row is never left pointing at no file."""
    field_file = getattr(record, field)
    storage, name = field_file.storage, field_file.name
    model, pk = type(record), record.pk
    # A private copy: the upload may be closed (and its temporary file gone) by the time the
    # outermost transaction commits. On rollback the callback, and so the copy, is dropped.
    copy = tempfile.SpooledTemporaryFile(max_size=1 << 20)
    content.seek(0)
    shutil.copyfileobj(content, copy)
    content.seek(0)

    def write() -> None:
        try:
            if not storage.exists(name):
                copy.seek(0)
                saved = storage.save(name, File(copy))
                if saved != name:  # the same bytes were stored meanwhile by another upload
                    storage.delete(saved)
        except Exception:
            model._default_manager.filter(pk=pk).delete()
            raise
        finally:
            copy.close()

    transaction.on_commit(write)
