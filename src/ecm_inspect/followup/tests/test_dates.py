"""Follow-up's dates: a month later is the same day or the month's last, and the statement is
due on a working day the regulations' period after publication."""

from datetime import date, timedelta

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from ecm_inspect.core.calendar import is_working_day, working_days_between
from ecm_inspect.followup.services import add_months, statement_due
from ecm_inspect.reports.models import Publication

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(day=days, months=st.integers(min_value=0, max_value=60))
def test_add_months_moves_the_month_and_keeps_the_day_where_it_can(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    if later.day != day.day:  # only where the month is too short
        assert later.day < day.day
        assert (later + timedelta(days=1)).day == 1


@given(day=days, a=st.integers(0, 40), b=st.integers(0, 40))
def test_add_months_keeps_the_order_of_months(day: date, a: int, b: int) -> None:
    if a < b:
        assert add_months(day, a) < add_months(day, b)
    assert add_months(day, 0) == day


def test_add_months_at_the_ends_of_months() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert add_months(date(2027, 1, 20), 18) == date(2028, 7, 20)


@given(day=days, period=st.integers(min_value=1, max_value=80))
def test_the_statement_is_due_on_a_working_day_the_period_after(day: date, period: int) -> None:
    with override_settings(ECM_STATEMENT_DAYS=period):
        due = statement_due(Publication(published_on=day))
    assert due > day
    assert is_working_day(due)
    assert working_days_between(day, due) == period


def test_the_statement_is_due_fifty_working_days_after_publication_by_default() -> None:
    # 20 January 2027 (a Wednesday) + 50 working days would be 31 March, but Good Friday (26
    # March) and Easter Monday (29 March) are not working days.
    assert statement_due(Publication(published_on=date(2027, 1, 20))) == date(2027, 4, 2)
