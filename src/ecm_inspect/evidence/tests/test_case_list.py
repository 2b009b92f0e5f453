"""The area's case-file list: pseudonyms that cannot run out, a stated maximum, and every row
and field checked before the list held is replaced."""

import html
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_h
from hypothesis import strategies as st

from ecm_inspect.accounts.models import Role
from ecm_inspect.accounts.tests.world import client_for
from ecm_inspect.evidence.case_files import CaseListRefused, case_files_import, child_track
from ecm_inspect.evidence.case_list import MAX_CASE_LIST_ROWS, case_list_read
from ecm_inspect.evidence.models import CaseFile
from ecm_inspect.reviews.tests.conftest import ReviewWorld

from .conftest import case_list

HEADER = "reference,age,categories,services\n"
# The old pseudonyms ("Child KD41") were 26 * 26 * 90 of them, drawn until a free one came up.
OLD_PSEUDONYMS = 26 * 26 * 90


def _held(rw: ReviewWorld) -> list[tuple[str, str]]:
    return list(
        CaseFile.objects.filter(review=rw.review)
        .order_by("area_reference")
        .values_list("area_reference", "pseudonym")
    )


def _rows(n: int) -> str:
    return HEADER + "".join(f"A{i:06d},{i % 18},child_in_need,social care\n" for i in range(n))


def test_a_list_longer_than_the_old_pseudonyms_imports_quickly(rw: ReviewWorld) -> None:
    started = time.monotonic()
    count = case_files_import(review=rw.review, text=_rows(OLD_PSEUDONYMS + 1_000))
    took = time.monotonic() - started
    assert count == OLD_PSEUDONYMS + 1_000
    pseudonyms = CaseFile.objects.filter(review=rw.review).values_list("pseudonym", flat=True)
    assert len(set(pseudonyms)) == count
    assert took < 60, took  # about 5 s on SQLite on one core


def test_a_list_over_the_maximum_is_refused_and_the_list_held_is_intact(
    rw: ReviewWorld,
) -> None:
    case_files_import(review=rw.review, text=case_list(40))
    held = _held(rw)
    with pytest.raises(CaseListRefused, match="more than 100,000 children") as refused:
        case_files_import(review=rw.review, text=_rows(MAX_CASE_LIST_ROWS + 1), name="all.csv")
    assert "all.csv" in str(refused.value)
    assert "the largest list taken is 100,000" in str(refused.value)
    assert _held(rw) == held


def test_pseudonyms_are_the_same_for_the_same_list(rw: ReviewWorld) -> None:
    case_files_import(review=rw.review, text=case_list(40))
    first = _held(rw)
    case_files_import(review=rw.review, text=case_list(40))
    assert _held(rw) == first
    assert all(p.startswith("Child ") and len(p) == len("Child KD417") for _, p in first)


# -- every row and field checked before anything is replaced -------------------------------

LONG = "x" * 200_000  # past the csv module's own field limit
MALFORMED = [
    pytest.param(
        b"ref,age,categories,services\nA1,5,ldd,school\n",
        "row 1: the list needs the columns",
        id="wrong column",
    ),
    pytest.param(
        b"reference,age,categories\nA1,5,ldd\n",
        "row 1: the list needs the columns",
        id="missing column",
    ),
    pytest.param(
        b"reference,age,categories,services\nA1,5\n",
        "row 2: 2 fields where the header has 4",
        id="missing cells",
    ),
    pytest.param(
        b"reference,age,categories,services\nA1,5,ldd,school,extra\n",
        "row 2: 5 fields",
        id="extra cell",
    ),
    pytest.param(
        b"reference,age,categories,services\nA1,five,ldd,school\n",
        "row 2, field 'age': not an age from 0 to 25: 'five'",
        id="age not a number",
    ),
    pytest.param(
        b"reference,age,categories,services\nA1,-1,ldd,school\n",
        "row 2, field 'age'",
        id="negative age",
    ),
    pytest.param(
        "reference,age,categories,services\nA1,\u00b2,ldd,school\n".encode(),
        "row 2, field 'age'",
        id="superscript two",
    ),
    pytest.param(
        b"reference,age,categories,services\nA1,30,ldd,school\n",
        "row 2, field 'age'",
        id="age too high",
    ),
    pytest.param(
        b"reference,age,categories,services\n,5,ldd,school\n,6,ldd,school\n",
        "row 2, field 'reference': empty",
        id="empty reference",
    ),
    pytest.param(
        b"reference,age,categories,services\nA1,5,ldd,school\nA1,6,ldd,school\n",
        "row 3, field 'reference': 'A1' is also on row 2",
        id="duplicate reference",
    ),
    pytest.param(
        b"reference,age,categories,services\nA1,5,pets,school\n",
        "row 2, field 'categories': unknown 'pets'",
        id="unknown category",
    ),
    pytest.param(
        b"reference,age,categories,services\nA1,5,ldd,sch\xf6ol\n",
        "row 2: not UTF-8 text",
        id="bad encoding",
    ),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file", id="binary file"),
    pytest.param(
        ("reference,age,categories,services\n" + "R" * 41 + ",5,ldd,school\n").encode(),
        "row 2, field 'reference': 41 characters; at most 40",
        id="long reference",
    ),
    pytest.param(
        ("reference,age,categories,services\nA1,5,ldd," + "s" * 150 + "\n").encode(),
        "row 2, field 'services': a service of 150 characters",
        id="long service",
    ),
    pytest.param(
        ("reference,age,categories,services\nA1,5,ldd," + "s" * 5000 + "\n").encode(),
        "row 2, field 'services': 5,000 characters",
        id="long field",
    ),
    pytest.param(
        f"reference,age,categories,services\nA1,5,ldd,{LONG}\n".encode(),
        "row 2: not valid CSV",
        id="field past csv's limit",
    ),
    pytest.param(
        b"reference,age,Mary Smith,categories,services\n",
        "no names or other details",
        id="a name column",
    ),
    pytest.param(b"", "the file is empty", id="empty file"),
]


@pytest.mark.parametrize(("content", "message"), MALFORMED)
def test_a_malformed_list_is_refused_by_row_and_field_and_changes_nothing(
    rw: ReviewWorld, content: bytes, message: str
) -> None:
    case_files_import(review=rw.review, text=case_list(40))
    held = _held(rw)
    client = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    response = client.post(
        f"/reviews/{rw.review.pk}/case-files/",
        {"action": "list", "file": SimpleUploadedFile("list.csv", content)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[page.index("govuk-error-summary") : page.index("</main>")]
    assert html.escape(f"list.csv, {message}", quote=True) in summary or (
        "list.csv" in summary and html.escape(message, quote=True) in summary
    ), summary[:2000]
    assert "govuk-error-message" in page
    assert "Success" not in page
    assert _held(rw) == held


@settings_h(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_file_is_taken_or_refused_by_row_and_field(rw: ReviewWorld, content: bytes) -> None:
    if not CaseFile.objects.filter(review=rw.review).exists():
        case_files_import(review=rw.review, text=case_list(5))
    held = _held(rw)
    try:
        case_files_import(review=rw.review, text=HEADER.encode() + content, name="any.csv")
    except CaseListRefused as exc:
        refused = str(exc)
    else:
        return
    assert "any.csv" in refused
    assert _held(rw) == held


def test_a_header_only_list_replaces_nothing_unless_confirmed(rw: ReviewWorld) -> None:
    case_files_import(review=rw.review, text=case_list(40))
    held = _held(rw)
    client = client_for(rw.people.users[Role.REVIEW_TEAM_LEADER])
    url = f"/reviews/{rw.review.pk}/case-files/"
    response = client.post(
        url, {"action": "list", "file": SimpleUploadedFile("empty.csv", HEADER.encode())}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_replace_with_empty"' in page  # the error summary points at the box
    assert "the list held has 40 children" in page
    assert _held(rw) == held
    # Someone outside the team cannot replace it, confirmed or not.
    outsider = client_for(rw.people.users[Role.NATIONAL_LEAD])
    empty = SimpleUploadedFile("empty.csv", HEADER.encode())
    refused = outsider.post(url, {"action": "list", "file": empty, "replace_with_empty": "on"})
    assert refused.status_code == 403
    assert _held(rw) == held
    confirmed = client.post(
        url,
        {
            "action": "list",
            "file": SimpleUploadedFile("empty.csv", HEADER.encode()),
            "replace_with_empty": "on",
        },
    )
    assert confirmed.status_code == 302
    assert _held(rw) == []


def test_a_good_list_is_received_through_the_page(rw: ReviewWorld) -> None:
    client = client_for(rw.people.users[Role.INSPECTOR])
    response = client.post(
        f"/reviews/{rw.review.pk}/case-files/",
        {
            "action": "list",
            "file": SimpleUploadedFile("list.csv", b"\xef\xbb\xbf" + case_list(12).encode()),
        },
    )
    assert response.status_code == 302
    assert len(_held(rw)) == 12
    assert "Received a list of 12 children" in client.get(response["Location"]).content.decode()


def test_a_list_over_the_upload_limit_is_refused_naming_the_limit(
    rw: ReviewWorld, settings: Any
) -> None:
    settings.ECM_UPLOAD_MAX_BYTES = 1024
    client = client_for(rw.people.users[Role.INSPECTOR])
    response = client.post(
        f"/reviews/{rw.review.pk}/case-files/",
        {"action": "list", "file": SimpleUploadedFile("big.csv", case_list(200).encode())},
    )
    assert response.status_code == 400
    assert "the largest file accepted is 1 KB" in response.content.decode()
    assert _held(rw) == []


def test_replacing_the_list_keeps_tracked_children_by_their_pseudonym(rw: ReviewWorld) -> None:
    case_files_import(review=rw.review, text=case_list(10))
    case = CaseFile.objects.filter(review=rw.review).first()
    assert case is not None
    child = child_track(review=rw.review, case_file=case)
    case_files_import(review=rw.review, text=case_list(12))
    child.refresh_from_db()
    assert (child.pseudonym, child.case_file) == (case.pseudonym, None)
    assert CaseFile.objects.filter(review=rw.review).count() == 12


def test_a_field_past_the_limit_is_refused_after_another_reader_raised_it() -> None:
    """The csv module's limit is shared by the process: the importers raise it; the case list
    still refuses a field past its own."""
    import csv

    csv.field_size_limit(10_000_000)
    reading = case_list_read(
        content=f"reference,age,categories,services\nA1,5,ldd,{LONG}\n".encode(), name="list.csv"
    )
    assert any("row 2: not valid CSV" in p for p in reading.problems), reading.problems
    assert reading.rows == []
