"""Converters from each published grade scale to the Framework's four-point scale (4 best).

Each source format names its converter in its mapping file (data/mappings/*.yaml); each is a
documented table here (docs/provision.md, "Converters"). A converter returns a Grade, None for
"no grade given" (blank, not judged), or raises ValueError for a value it does not know, which
the import reports with its row and column.
"""

from collections.abc import Callable

from ecm_inspect.framework.grades import Grade, OfstedGrade, grade_from_csci, grade_from_ofsted

Converter = Callable[[str], Grade | None]

NO_GRADE = {"", "not judged", "not applicable", "n/a", "none"}

# Ofsted's labels over the years, onto Ofsted's own 1-4 scale (1 = outstanding). Before 2012
# grade 3 was "satisfactory" (schools) or "adequate" (social care); from 2012 "requires
# improvement (to be good)". All are the third of Ofsted's four grades.
OFSTED_LABELS = {
    "outstanding": OfstedGrade.OUTSTANDING,
    "good": OfstedGrade.GOOD,
    "requires improvement to be good": OfstedGrade.REQUIRES_IMPROVEMENT,
    "requires improvement": OfstedGrade.REQUIRES_IMPROVEMENT,
    "adequate": OfstedGrade.REQUIRES_IMPROVEMENT,
    "satisfactory": OfstedGrade.REQUIRES_IMPROVEMENT,
    "inadequate": OfstedGrade.INADEQUATE,
}

# Joint Ofsted-CQC area SEND inspections (2023 framework) give one of three outcomes.
AREA_SEND_OUTCOMES = {
    # "typically lead to positive experiences and outcomes": good, not more: the verdict
    # itself says the partnership "is taking action where improvements are needed".
    "1": Grade.GOOD,
    # "inconsistent experiences and outcomes": adequate.
    "2": Grade.ADEQUATE,
    # "widespread and/or systemic failings": inadequate.
    "3": Grade.INADEQUATE,
}

# Ofsted school report cards (from November 2025): five grades per evaluation area, and a
# separate safeguarding line, met or not met.
REPORT_CARD_GRADES = {
    "exceptional": Grade.OUTSTANDING,
    "strong standard": Grade.GOOD,
    "expected standard": Grade.GOOD,
    "needs attention": Grade.ADEQUATE,
    "urgent improvement": Grade.INADEQUATE,
}
REPORT_CARD_SAFEGUARDING = {"met": None, "not met": Grade.INADEQUATE}


def _key(value: str) -> str:
    return " ".join(value.strip().casefold().split())


def ofsted_label(value: str) -> Grade | None:
    """Ofsted's grade labels (Outstanding, Good, Requires improvement, Inadequate...)."""
    key = _key(value)
    if key in NO_GRADE:
        return None
    if key not in OFSTED_LABELS:
        raise ValueError(f"{value!r} is not an Ofsted grade label")
    return grade_from_ofsted(OFSTED_LABELS[key])


def ofsted_number(value: str) -> Grade | None:
    """Ofsted's grade numbers, 1 outstanding ... 4 inadequate (the reverse of the Framework)."""
    key = _key(value).removesuffix(".0")
    if key in NO_GRADE:
        return None
    if not key.isdigit():
        raise ValueError(f"{value!r} is not an Ofsted grade (1 outstanding ... 4 inadequate)")
    return grade_from_ofsted(int(key))


def csci_rating(value: str) -> Grade | None:
    """CSCI's star-free standards rating, 4 exceeded ... 1 not met."""
    key = _key(value)
    if key in NO_GRADE:
        return None
    if not key.isdigit():
        raise ValueError(f"{value!r} is not a CSCI rating (4 exceeded ... 1 not met)")
    return grade_from_csci(int(key))


def area_send_outcome(value: str) -> Grade | None:
    """Area SEND inspection outcomes 1-3 (2023 framework)."""
    key = _key(value).removesuffix(".0")
    if key in NO_GRADE:
        return None
    if key not in AREA_SEND_OUTCOMES:
        raise ValueError(f"{value!r} is not an area SEND outcome (1, 2 or 3)")
    return AREA_SEND_OUTCOMES[key]


def report_card(value: str) -> Grade | None:
    """School report card grades (2025): five grades, or the safeguarding line."""
    key = _key(value)
    if key in NO_GRADE:
        return None
    if key in REPORT_CARD_GRADES:
        return REPORT_CARD_GRADES[key]
    if key in REPORT_CARD_SAFEGUARDING:
        return REPORT_CARD_SAFEGUARDING[key]
    raise ValueError(f"{value!r} is not a report card grade or safeguarding line")


CONVERTERS: dict[str, Converter] = {
    "ofsted_label": ofsted_label,
    "ofsted_number": ofsted_number,
    "csci_rating": csci_rating,
    "area_send_outcome": area_send_outcome,
    "report_card": report_card,
}
