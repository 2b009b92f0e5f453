"""Input the service accepts, checked at the edge, so that no input reaches a server error.

Path parameters: record ids (`<id:review_id>`) within the databases' bigint, years
(`<year:year>`) within a sensible range, small numbers (`<number:number>`); anything else is
a 404, as for a record that does not exist. The API's path parameters have the same bounds
(`ObjectId`, `Year`: 422 with the field, like any other invalid parameter). A NUL character
anywhere in the path, the query string, a form or a JSON body is refused with 400: PostgreSQL
refuses NUL in text (SQLite does not), so it would otherwise fail only on one database.
"""

from collections.abc import Callable
from typing import Annotated, Any

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from ninja.params.functions import Path
from pydantic import Field

# The largest value of a bigint (PostgreSQL) or an INTEGER (SQLite): every primary key.
MAX_ID = 2**63 - 1
# The largest value of an integer column (PostgreSQL's integer): versions, counts, page numbers.
MAX_INT = 2**31 - 1
# Years a page or endpoint can be about: the Framework dates from 2004-2005; the programme
# plans a few years ahead. Outside these, a year is a 404 (and `date(year, ...)` cannot fail).
FIRST_YEAR, LAST_YEAR = 1900, 2199


class IdConverter:
    """A record's id: 1 to MAX_ID; anything else matches no URL (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)  # Django's resolver: no match
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class YearConverter(IdConverter):
    """A year from FIRST_YEAR to LAST_YEAR."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not FIRST_YEAR <= number <= LAST_YEAR:
            raise ValueError(value)
        return number


class NumberConverter(IdConverter):
    """A small positive number (a page of a questionnaire): 1 to MAX_INT."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_INT:
            raise ValueError(value)
        return number


def whole_number(text: str | None, *, low: int = 0, high: int = MAX_INT) -> int | None:
    """`text` as a whole number from `low` to `high`, or None. Only ASCII digits count: "²"
    passes `str.isdigit()` but `int()` refuses it, and `int()` takes "١٢" (Arabic-Indic),
    which a person typing a score did not mean."""
    text = (text or "").strip()
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
        return None
    number = int(text)
    return number if low <= number <= high else None


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id the database cannot hold before it is queried (on SQLite,
    `id IN (2**63)` raises OverflowError)."""

    def _check_values(self, value: Any) -> Any:
        if not self.to_field_name:
            for pk in value:
                if whole_number(str(pk), low=1, high=MAX_ID) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]


CONVERTERS = {"id": IdConverter, "year": YearConverter, "number": NumberConverter}

# The API's path parameters.
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
Year = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR)]
# The API's lists: where a page starts (422 outside these bounds; `limit` is clamped to 200).
Offset = Annotated[int, Field(ge=0, le=MAX_INT)]


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


def refuse_nul_middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """400 for a NUL character in the path, the query string, a form or a JSON body: the
    service's page, or a JSON error under /api/. Multipart bodies (uploads) are left to the
    forms, which refuse NUL in text themselves: parsing them here would read the upload
    before its view could set a size limit."""

    def middleware(request: HttpRequest) -> HttpResponse:
        nul = "\x00" in request.path or _has_nul(request.GET)
        if not nul and request.content_type == "application/x-www-form-urlencoded":
            nul = _has_nul(request.POST)  # reads request.body, which stays readable
        elif not nul and request.content_type == "application/json":
            nul = b"\\u0000" in request.body  # JSON's escape for NUL
        if not nul:
            return get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "A NUL character is not allowed."}, status=400)
        raise BadRequest("A NUL character in the request.")

    return middleware
