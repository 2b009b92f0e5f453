"""The timetable in working days, with England and Wales bank holidays."""

from datetime import date

from django.test import override_settings

from ecm_inspect.core.calendar import add_working_days, is_working_day
from ecm_inspect.reviews.models import MilestoneKind as K
from ecm_inspect.reviews.timetable import milestone_status, timetable_compute


def test_an_ordinary_autumn_review() -> None:
    table = timetable_compute(analysis_starts_on=date(2025, 9, 8))
    d = table.dates
    assert d[K.ANALYSIS_START] == date(2025, 9, 8)
    assert d[K.ANALYSIS_END] == date(2025, 9, 12)  # a week
    assert d[K.FIELDWORK_START] == date(2025, 9, 29)  # two weeks after the analysis
    assert d[K.FIELDWORK_END] == date(2025, 10, 10)  # a two-week period
    assert d[K.DRAFT_SENT] == date(2025, 12, 5)  # within eight weeks
    # About six weeks after the draft: 30 working days, over Christmas Day, Boxing Day and
    # New Year's Day.
    assert d[K.PUBLICATION] == date(2026, 1, 21)
    assert d[K.NOTIFICATION] < d[K.SET_UP_MEETING] < d[K.ANALYSIS_START]
    assert table.warnings == []


def test_over_christmas() -> None:
    d = timetable_compute(analysis_starts_on=date(2025, 12, 8)).dates
    assert d[K.ANALYSIS_END] == date(2025, 12, 12)
    # The gap runs 15 Dec to 30 Dec, skipping 25 and 26 December.
    assert d[K.FIELDWORK_START] == date(2025, 12, 31)
    # Fieldwork skips New Year's Day.
    assert d[K.FIELDWORK_END] == date(2026, 1, 14)
    assert (d[K.FIELDWORK_END] - d[K.ANALYSIS_START]).days < 42  # within six weeks


def test_over_easter() -> None:
    d = timetable_compute(analysis_starts_on=date(2026, 3, 30)).dates
    # Good Friday (3 April) and Easter Monday (6 April) fall in the analysis week.
    assert d[K.ANALYSIS_END] == date(2026, 4, 7)
    assert d[K.FIELDWORK_START] == date(2026, 4, 22)
    # The early May bank holiday (4 May) falls in fieldwork.
    assert d[K.FIELDWORK_END] == date(2026, 5, 6)


def test_starting_on_a_bank_holiday_monday() -> None:
    table = timetable_compute(analysis_starts_on=date(2026, 8, 31))
    d = table.dates
    assert d[K.ANALYSIS_START] == date(2026, 9, 1)
    assert d[K.ANALYSIS_END] == date(2026, 9, 7)
    assert d[K.FIELDWORK_START] == date(2026, 9, 22)
    assert d[K.FIELDWORK_END] == date(2026, 10, 5)
    assert table.warnings == [
        "31 August 2026 is not a working day (Late Summer Bank Holiday): analysis starts on "
        "Tuesday 1 September 2026."
    ]


def test_working_days() -> None:
    assert not is_working_day(date(2025, 12, 25))
    assert not is_working_day(date(2025, 12, 27))  # a Saturday
    assert is_working_day(date(2025, 12, 24))
    assert add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)
    assert add_working_days(date(2025, 12, 29), -1) == date(2025, 12, 24)


@override_settings(ECM_REVIEW_NOTICE_DAYS=10, ECM_REVIEW_COMMENTS_DAYS=5)
def test_notice_and_comment_periods_are_settings() -> None:
    d = timetable_compute(analysis_starts_on=date(2025, 9, 8)).dates
    assert d[K.NOTIFICATION] == date(2025, 8, 22)  # 10 working days, over 25 August
    assert d[K.COMMENTS_CLOSE] == date(2025, 12, 12)


def test_slippage_and_overdue() -> None:
    late = milestone_status(K.DRAFT_SENT, date(2025, 12, 5), date(2025, 12, 9), date(2026, 1, 1))
    assert (late.slip_days, late.overdue) == (2, False)
    due = milestone_status(K.DRAFT_SENT, date(2025, 12, 5), None, date(2025, 12, 10))
    assert (due.slip_days, due.overdue) == (3, True)
    early = milestone_status(K.DRAFT_SENT, date(2025, 12, 5), date(2025, 12, 4), date(2025, 12, 10))
    assert (early.slip_days, early.overdue) == (-1, False)
