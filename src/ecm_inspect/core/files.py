"""Stored files leave ECM Inspect one way: through a view that has asked the permission policy
first, then `stored_file_response`.

Where files are kept is a setting (`STORAGES["default"]`, docs/deployment.md "Files and object
storage"): on this machine's disk by default, or in an S3 bucket when `ECM_S3_BUCKET` is set.
Neither has a public address.

- On disk, the view streams the file itself.
- In a bucket, the view answers with a redirect (302) to a signed address for that one file,
  valid for `ECM_DOWNLOAD_LINK_SECONDS`; the bucket serves the bytes. The redirect is never
  cached (`Cache-Control: private, no-store`), so the signed address is handed out only to
  whoever has just passed the check, and it is dead soon after.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header

NOT_CACHED = "private, no-store"


def storage_is_local(storage: Storage) -> bool:
    """Whether `storage` keeps files on this machine's disk (it can name a file's path)."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return False
    return True


def stored_file_response(
    stored: FieldFile,
    *,
    filename: str,
    as_attachment: bool = True,
    content_type: str | None = None,
) -> HttpResponseBase:
    """The file a record's file field names, for a reader the calling view has already
    checked (see `storage_file_response`). 404 when the record names no file."""
    if not stored or not stored.name:
        raise Http404("No file.")
    return storage_file_response(
        stored.storage,
        stored.name,
        filename=filename,
        as_attachment=as_attachment,
        content_type=content_type,
    )


def storage_file_response(
    storage: Storage,
    name: str,
    *,
    filename: str,
    as_attachment: bool = True,
    content_type: str | None = None,
) -> HttpResponseBase:
    """The file `name` in `storage`, for a reader the calling view has already checked:
    streamed from local storage, or a redirect to a signed, short-lived address in object
    storage. 404 when the file is not in storage."""
    if storage_is_local(storage):
        try:
            stream = storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404("The file is not in storage.") from None
        response: HttpResponseBase = FileResponse(
            stream, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
        return response
    if not storage.exists(name):
        raise Http404("The file is not in storage.")
    # The bucket answers with the name and type the reader should see, not the stored key's.
    parameters = {
        "ResponseContentDisposition": content_disposition_header(as_attachment, filename)
        or "attachment",
        "ResponseCacheControl": NOT_CACHED,
    }
    if content_type:
        parameters["ResponseContentType"] = content_type
    url = storage.url(  # type: ignore[call-arg]
        name, parameters=parameters, expire=settings.ECM_DOWNLOAD_LINK_SECONDS
    )
    response = HttpResponseRedirect(iri_to_uri(url))
    response["Cache-Control"] = NOT_CACHED
    return response
