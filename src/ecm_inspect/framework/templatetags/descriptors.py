"""`{% load descriptors %}`: grade descriptors in the order and words the pages show them."""

from collections.abc import Mapping

from django import template

from ecm_inspect.framework.grades import Grade

register = template.Library()


@register.filter
def by_grade(descriptors: Mapping[int | str, str] | None) -> list[tuple[Grade, str]]:
    """{grade: text} as [(Grade, text)], 4 (outstanding) first; unknown grades are left out.
    Grades may be ints or their digits (as after a JSON round trip)."""
    if not descriptors:
        return []
    texts = {str(grade): text for grade, text in descriptors.items()}
    return [(g, texts[str(int(g))]) for g in Grade if str(int(g)) in texts]
