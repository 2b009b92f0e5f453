"""What every app's forms share."""

from typing import Any


def form_errors(form: Any) -> list[str]:
    """A form's errors as lines that name their field by its label ("First year: ..."), for a
    page's error summary or an API's 422 answer."""
    return [
        f"{form.fields[field].label}: {error}"
        if field in form.fields and form.fields[field].label
        else error
        for field, messages_ in form.errors.items()
        for error in messages_
    ]
