"""`{% load descriptors %}`: grade descriptors in the order and words the pages show them."""

from collections.abc import Mapping

from django import template

from ecm_inspect.framework.grades import Grade

register = template.Library()


@register.filter
def by_grade(descriptors: Mapping[int, str] | None) -> list[tuple[Grade, str]]:
    """{grade: text} as [(Grade, text)], 4 (outstanding) first; unknown grades are left out."""
    if not descriptors:
        return []
    return [(g, descriptors[int(g)]) for g in Grade if int(g) in descriptors]
