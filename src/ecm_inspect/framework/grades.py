"""The four-point grade scale shared by every inspectorate (Framework paragraph 12).

4 is best, as in joint area reviews and APA from 2005. Other scales (today's Ofsted files run
1 = outstanding; CSCI rated standards 4 exceeded ... 1 not met) are converted explicitly through
the functions here, never by treating a bare int as a grade.
"""

from django.db import models

from ecm_inspect.core.grades import Grade, grade_words

__all__ = [
    "Grade",
    "grade_words",
    "OfstedGrade",
    "CsciStandardRating",
    "grade_from_ofsted",
    "grade_from_csci",
]


class OfstedGrade(models.IntegerChoices):
    """Today's Ofsted inspection files: 1 is best."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement to be good"
    INADEQUATE = 4, "Inadequate"


class CsciStandardRating(models.IntegerChoices):
    """CSCI ratings of national minimum standards (2004-2009)."""

    EXCEEDED = 4, "Standard exceeded"
    MET = 3, "Standard met"
    ALMOST_MET = 2, "Standard almost met"
    NOT_MET = 1, "Standard not met"


# Documented mappings onto the Framework scale (docs/framework.md, "Grades").
_FROM_OFSTED = {
    OfstedGrade.OUTSTANDING: Grade.OUTSTANDING,
    OfstedGrade.GOOD: Grade.GOOD,
    OfstedGrade.REQUIRES_IMPROVEMENT: Grade.ADEQUATE,
    OfstedGrade.INADEQUATE: Grade.INADEQUATE,
}
_FROM_CSCI = {
    CsciStandardRating.EXCEEDED: Grade.OUTSTANDING,
    CsciStandardRating.MET: Grade.GOOD,
    CsciStandardRating.ALMOST_MET: Grade.ADEQUATE,
    CsciStandardRating.NOT_MET: Grade.INADEQUATE,
}


def grade_from_ofsted(value: int) -> Grade:
    """Convert an Ofsted grade (1 = outstanding) to the Framework scale (4 = outstanding)."""
    try:
        return _FROM_OFSTED[OfstedGrade(value)]
    except ValueError:
        raise ValueError(
            f"{value!r} is not an Ofsted grade (1 outstanding ... 4 inadequate)"
        ) from None


def grade_from_csci(value: int) -> Grade:
    """Convert a CSCI standards rating (4 = exceeded) to the Framework scale."""
    try:
        return _FROM_CSCI[CsciStandardRating(value)]
    except ValueError:
        raise ValueError(f"{value!r} is not a CSCI rating (4 exceeded ... 1 not met)") from None
