"""Who is a child or young person for inspection purposes (Framework paragraph 3)."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecm_inspect.framework.scope import ServiceScope, age_on, is_child_or_young_person

STANDARD = ServiceScope.STANDARD
UNDER_18 = ServiceScope.UNDER_18
# No example database: nothing is written outside the test run.
settings.register_profile("ecm-framework", database=None, deadline=None)
PROFILE = settings.get_profile("ecm-framework")


@pytest.mark.parametrize(
    ("age", "care_leaver", "ldd", "expected"),
    [
        (0, False, False, True),
        (18, False, False, True),
        (19, False, False, True),
        (20, False, False, False),
        (20, True, False, True),
        (21, True, False, True),
        (20, False, True, True),
        (24, False, True, True),
        (25, False, True, False),
        (30, False, True, False),
        (25, True, True, True),  # a care leaver is in whatever the learning difficulty
    ],
)
def test_standard_scope(age: int, care_leaver: bool, ldd: bool, expected: bool) -> None:
    assert (
        is_child_or_young_person(
            age=age, scope=STANDARD, is_care_leaver=care_leaver, has_learning_difficulty=ldd
        )
        is expected
    )


@pytest.mark.parametrize(
    ("age", "care_leaver", "ldd", "expected"),
    [
        (0, False, False, True),
        (17, False, False, True),
        (17, True, True, True),
        (18, False, False, False),
        (18, True, False, False),
        (18, False, True, False),
        (19, False, False, False),
        (21, True, False, False),
        (24, False, True, False),
    ],
)
def test_under_18_scope(age: int, care_leaver: bool, ldd: bool, expected: bool) -> None:
    assert (
        is_child_or_young_person(
            age=age, scope=UNDER_18, is_care_leaver=care_leaver, has_learning_difficulty=ldd
        )
        is expected
    )


def test_scope_given_as_stored_string() -> None:
    """ProviderKind.scope is stored as text; the plain value works like the enum member."""
    assert is_child_or_young_person(age=18, scope="under_18") is False  # type: ignore[arg-type]
    assert is_child_or_young_person(age=18, scope="standard") is True  # type: ignore[arg-type]


@pytest.mark.parametrize("scope", list(ServiceScope))
def test_negative_age_is_an_error(scope: ServiceScope) -> None:
    with pytest.raises(ValueError, match=r"must not be negative \(got -1\)"):
        is_child_or_young_person(age=-1, scope=scope, is_care_leaver=True)


@PROFILE
@given(age=st.integers(min_value=0, max_value=120), care_leaver=st.booleans(), ldd=st.booleans())
def test_under_18_never_depends_on_the_flags(age: int, care_leaver: bool, ldd: bool) -> None:
    answer = is_child_or_young_person(
        age=age, scope=UNDER_18, is_care_leaver=care_leaver, has_learning_difficulty=ldd
    )
    assert answer is is_child_or_young_person(age=age, scope=UNDER_18)
    assert answer is (age < 18)


@PROFILE
@given(age=st.integers(min_value=0, max_value=19), care_leaver=st.booleans(), ldd=st.booleans())
def test_standard_19_and_under_always_in(age: int, care_leaver: bool, ldd: bool) -> None:
    assert is_child_or_young_person(
        age=age, scope=STANDARD, is_care_leaver=care_leaver, has_learning_difficulty=ldd
    )


@PROFILE
@given(age=st.integers(min_value=0, max_value=120), care_leaver=st.booleans(), ldd=st.booleans())
def test_standard_scope_is_never_narrower_than_under_18(
    age: int, care_leaver: bool, ldd: bool
) -> None:
    flags = {"is_care_leaver": care_leaver, "has_learning_difficulty": ldd}
    if is_child_or_young_person(age=age, scope=UNDER_18, **flags):
        assert is_child_or_young_person(age=age, scope=STANDARD, **flags)


@PROFILE
@given(age=st.integers(min_value=20, max_value=120))
def test_standard_over_19_needs_a_reason(age: int) -> None:
    assert not is_child_or_young_person(age=age, scope=STANDARD)
    assert is_child_or_young_person(age=age, scope=STANDARD, is_care_leaver=True)
    assert is_child_or_young_person(age=age, scope=STANDARD, has_learning_difficulty=True) is (
        age < 25
    )


# --- age_on -----------------------------------------------------------------------------------

D = datetime.date


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (D(2000, 6, 15), D(2000, 6, 15), 0),
        (D(2000, 6, 15), D(2018, 6, 14), 17),
        (D(2000, 6, 15), D(2018, 6, 15), 18),
        (D(2000, 6, 15), D(2018, 6, 16), 18),
        (D(2000, 6, 15), D(2019, 1, 1), 18),
        (D(1999, 12, 31), D(2019, 12, 30), 19),
        (D(1999, 12, 31), D(2019, 12, 31), 20),
        # 29 February: the birthday is taken as 1 March in years that have no 29 February.
        (D(2000, 2, 29), D(2018, 2, 28), 17),
        (D(2000, 2, 29), D(2018, 3, 1), 18),
        (D(2000, 2, 29), D(2016, 2, 28), 15),
        (D(2000, 2, 29), D(2016, 2, 29), 16),
        (D(2004, 2, 29), D(2005, 2, 28), 0),
        (D(2004, 2, 29), D(2005, 3, 1), 1),
    ],
)
def test_age_on(born: datetime.date, on: datetime.date, age: int) -> None:
    assert age_on(date_of_birth=born, on=on) == age


def test_age_on_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError, match="2010-01-01 is before the date of birth 2010-01-02"):
        age_on(date_of_birth=D(2010, 1, 2), on=D(2010, 1, 1))


def test_18th_birthday_ends_under_18_scope() -> None:
    born = D(2000, 2, 29)
    day_before = age_on(date_of_birth=born, on=D(2018, 2, 28))
    birthday = age_on(date_of_birth=born, on=D(2018, 3, 1))
    assert is_child_or_young_person(age=day_before, scope=UNDER_18)
    assert not is_child_or_young_person(age=birthday, scope=UNDER_18)


@PROFILE
@given(
    born=st.dates(min_value=D(1950, 1, 1), max_value=D(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=40_000),
)
def test_age_on_counts_whole_years(born: datetime.date, days: int) -> None:
    on = born + datetime.timedelta(days=days)
    if on.year > 9999:
        return
    age = age_on(date_of_birth=born, on=on)
    assert 0 <= age <= days // 365
    assert age >= (days - 1) // 366
    # A day later the age is the same or one more.
    later = age_on(date_of_birth=born, on=on + datetime.timedelta(days=1))
    assert later - age in (0, 1)
