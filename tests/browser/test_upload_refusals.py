"""Refused uploads in a real browser, as the review team leader: a malformed case-file list, a
header-only list (refused until "Yes, replace ..." is ticked) and an evidence attachment over the
size limit or with a name too long to keep. Each refusal shows a GOV.UK error summary, changes
nothing, has no axe violations and does not overflow at desktop or phone width.

Screenshots of each refusal, at both widths, are written to var/screenshots/upload-*.png."""

from datetime import date

import pytest

from ecm_inspect.accounts.models import Role
from ecm_inspect.evidence.case_files import case_files_import
from ecm_inspect.evidence.models import Attachment, CaseFile, EvidenceKind
from ecm_inspect.evidence.services import evidence_record

from .conftest import SCREENSHOTS, axe_violations
from .test_account_pages import _sign_in
from .test_review_pages import rw  # noqa: F401 (the review fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1200, "height": 900}
PHONE = {"width": 390, "height": 844}
HEADER = "reference,age,categories,services\n"


def _list(n: int) -> str:
    cats = ["looked_after", "child_protection", "ldd", "youth_justice", "child_in_need"]
    rows = (f"R{i:03d},{(i * 7) % 18},{cats[i % 5]},social care\n" for i in range(n))
    return HEADER + "".join(rows)


def _csv(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode()}


def _pdf(name: str, content: bytes) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def _error_summary(page) -> str:  # type: ignore[no-untyped-def]
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1
    # At the top of the page's content: nothing but the summary comes before it in <main>.
    assert page.evaluate(
        "() => document.querySelector('main').querySelector('*') === "
        "document.querySelector('.govuk-error-summary')"
    )
    assert page.locator(".govuk-notification-banner--success").count() == 0
    return summary.inner_text()


def _looks_right(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """No axe violations and no sideways scrolling at desktop and phone width; a screenshot of
    each for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        assert axe_violations(page) == [], (name, label)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"], (name, label, width)
        page.screenshot(path=str(SCREENSHOTS / f"upload-{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def _held(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("p.govuk-body:has-text('The area’s list has')").inner_text()


def test_refused_case_lists_change_nothing_until_an_empty_list_is_confirmed(rw, page):  # type: ignore[no-untyped-def]  # noqa: F811
    base, world = rw
    review = world.review
    case_files_import(review=review, text=_list(40))
    url = f"/reviews/{review.pk}/case-files/"
    _sign_in(page, base, world.people.users[Role.REVIEW_TEAM_LEADER].username, url)
    assert "The area’s list has 40 children" in _held(page)

    # 1. A repeated reference and an age that is not one: refused by file, row and field.
    malformed = _list(3) + "R001,7,ldd,school\nR900,twelve,ldd,school\n"
    page.set_input_files("#id_file", files=[_csv("gateshead.csv", malformed)])
    page.click("button:has-text('Upload the list')")
    summary = _error_summary(page)
    assert "Nothing was imported and the list already held is unchanged" in summary
    assert "gateshead.csv, row 5, field 'reference': 'R001' is also on row 3" in summary
    assert "gateshead.csv, row 6, field 'age'" in summary
    assert "twelve" in summary
    assert page.locator(".govuk-error-summary a[href='#id_file']").count() == 1
    assert page.locator("#id_file-error").inner_text().startswith("Error:")
    assert "The area’s list has 40 children" in _held(page)
    _looks_right(page, "malformed-list")
    assert CaseFile.objects.filter(review=review).count() == 40

    # 2. A header only: refused, pointing at the confirmation, until it is ticked.
    page.set_input_files("#id_file", files=[_csv("empty.csv", HEADER)])
    page.click("button:has-text('Upload the list')")
    summary = _error_summary(page)
    assert "empty.csv has no children in it, only its header" in summary
    assert "the list held has 40 children" in summary
    link = page.locator(".govuk-error-summary a[href='#id_replace_with_empty']")
    assert link.count() == 1
    box = page.locator("#id_replace_with_empty")
    assert box.get_attribute("aria-describedby") == "id_replace_with_empty-error"
    assert "only its header" in page.locator("#id_replace_with_empty-error").inner_text()
    assert "The area’s list has 40 children" in _held(page)
    _looks_right(page, "header-only-list")
    link.click()  # the summary's link takes you to the box to tick
    assert page.evaluate("() => document.activeElement.id") == "id_replace_with_empty"
    page.set_input_files("#id_file", files=[_csv("empty.csv", HEADER)])
    page.get_by_label("Yes, replace the list held with this list of no children").check()
    page.click("button:has-text('Upload the list')")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "Received a list of 0 children" in banner
    assert page.locator(".govuk-error-summary").count() == 0
    assert "The area’s list has 0 children" in _held(page)
    assert CaseFile.objects.filter(review=review).count() == 0
    # The refusals answer 400 (the browser logs that); nothing else may fail or be blocked.
    assert [e for e in page.js_errors if "status of 400" not in e] == []


def test_refused_attachments_are_form_errors_and_store_nothing(rw, page, settings):  # type: ignore[no-untyped-def]  # noqa: F811
    # The live server runs in a thread of this process, so it reads these settings.
    settings.ECM_UPLOAD_MAX_BYTES = 1024
    base, world = rw
    review = world.review
    item = evidence_record(
        review=review, kind=EvidenceKind.PLAN, title="Children and young people's plan",
        source="Council", dated=date(2026, 6, 1),
    )  # fmt: skip
    url = f"/reviews/{review.pk}/evidence/{item.pk}/"
    _sign_in(page, base, world.people.users[Role.REVIEW_TEAM_LEADER].username, url)

    # 3a. Over the size limit.
    page.set_input_files("#id_file", files=[_pdf("plan.pdf", b"x" * 2048)])
    page.click("button:has-text('Upload')")
    summary = _error_summary(page)
    assert "The file 'plan.pdf' is 2 KB: the largest file accepted is 1 KB." in summary
    assert page.locator(".govuk-error-summary a[href='#id_file']").count() == 1
    assert "the largest file accepted is 1 KB" in page.locator("#id_file-error").inner_text()
    assert "No files." in page.locator("table").inner_text()
    _looks_right(page, "attachment-too-big")

    # 3b. A file name too long to keep.
    long_name = "p" * 240 + ".pdf"
    page.set_input_files("#id_file", files=[_pdf(long_name, b"plan")])
    page.click("button:has-text('Upload')")
    summary = _error_summary(page)
    assert "The file name is 244 characters long: at most 200." in summary
    assert "No files." in page.locator("table").inner_text()
    _looks_right(page, "attachment-name-too-long")
    assert not Attachment.objects.filter(item=item).exists()

    # The same page takes a file that fits.
    page.set_input_files("#id_file", files=[_pdf("plan.pdf", b"plan")])
    page.click("button:has-text('Upload')")
    assert "Stored" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("table a:has-text('plan.pdf')").count() == 1
    stored = Attachment.objects.get(item=item)
    assert page.locator("table code").inner_text() == stored.sha256  # whole, if broken to fit
    _looks_right(page, "attachment-stored")

    # The longest name kept (200 characters, no spaces) wraps too: no sideways scrolling.
    longest = "q" * 196 + ".pdf"
    page.set_input_files("#id_file", files=[_pdf(longest, b"plan two")])
    page.click("button:has-text('Upload')")
    assert page.locator(f"table a:has-text('{longest}')").count() == 1
    _looks_right(page, "attachment-longest-name")
    assert [e for e in page.js_errors if "status of 400" not in e] == []
