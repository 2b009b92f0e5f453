"""Text filters every app's templates may load (`{% load text %}`)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def breakable(value: object, every: int = 8) -> SafeString:
    """The text with a line-break opportunity (<wbr>) every `every` characters, so a long
    word (a file name, a SHA-256) wraps in a table on a phone instead of widening the page.
    The text itself is unchanged and escaped."""
    text = str(value)
    size = max(int(every), 1)
    parts = (conditional_escape(text[i : i + size]) for i in range(0, len(text), size))
    return mark_safe("<wbr>".join(parts))  # noqa: S308 (each part is escaped)
