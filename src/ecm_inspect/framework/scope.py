"""Who counts as a child or young person for inspection purposes (Framework paragraph 3).

Children's services are defined by section 23 of the Children Act 2004. In general: services for
children and young people aged 0-19 inclusive; also those over 19 receiving services as care
leavers (sections 23C and 24D of the Children Act 1989), and those over 19 but under 25 with a
learning difficulty (section 13 of the Learning and Skills Act 2000) receiving services under that
Act. For secure training centres, prisons and removal centres, youth offending teams, local
probation boards and police forces, only services for children up to their 18th birthday count.
"""

import datetime

from django.db import models

# Paragraph 3: "aged 0–19 inclusive".
GENERAL_MAXIMUM_AGE = 19
# Paragraph 3: "over 19 but under 25 with a learning difficulty".
LEARNING_DIFFICULTY_AGE_LIMIT = 25
# Paragraph 3: "only services for children up to their 18th birthday".
UNDER_18_AGE_LIMIT = 18


class ServiceScope(models.TextChoices):
    """The age scope that applies to a kind of service."""

    STANDARD = (
        "standard",
        "Children and young people 0-19, care leavers, learning difficulty under 25",
    )
    UNDER_18 = "under_18", "Children up to their 18th birthday only"


def age_on(*, date_of_birth: datetime.date, on: datetime.date) -> int:
    """Age in whole years on a date."""
    if on < date_of_birth:
        raise ValueError(f"{on} is before the date of birth {date_of_birth}")
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - int(before_birthday)


def is_child_or_young_person(
    *,
    age: int,
    scope: ServiceScope,
    is_care_leaver: bool = False,
    has_learning_difficulty: bool = False,
) -> bool:
    """Whether a person of this age is within the Framework's scope for this kind of service.

    `is_care_leaver`: receiving services as a care leaver under sections 23C and 24D of the
    Children Act 1989. `has_learning_difficulty`: a learning difficulty within section 13 of the
    Learning and Skills Act 2000, receiving services under that Act.
    """
    if age < 0:
        raise ValueError(f"age must not be negative (got {age})")
    if scope == ServiceScope.UNDER_18:
        return age < UNDER_18_AGE_LIMIT
    if age <= GENERAL_MAXIMUM_AGE:
        return True
    if is_care_leaver:
        return True
    return has_learning_difficulty and age < LEARNING_DIFFICULTY_AGE_LIMIT
