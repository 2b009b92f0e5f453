"""The four-point grade scale every inspectorate shares (Framework paragraph 12), as a value
type: 4 is best, as in joint area reviews and APA from 2005. Conversions from other scales
live with the Framework (framework/grades.py); a bare int is never treated as a grade."""

from django.db import models


class Grade(models.IntegerChoices):
    """A grade on the Framework's four-point scale; 4 is best."""

    OUTSTANDING = 4, "Outstanding"
    GOOD = 3, "Good"
    ADEQUATE = 2, "Adequate"
    INADEQUATE = 1, "Inadequate"

    @property
    def apa_2005_label(self) -> str:
        """The 2005 APA called grade 4 "very good"; "outstanding" from 2007."""
        return "Very good" if self is Grade.OUTSTANDING else str(self.label)

    def is_at_least(self, other: "Grade") -> bool:
        return int(self) >= int(other)


def grade_words(grade: int | None) -> str:
    """A grade as a word in a sentence ("good"), or "no grade"."""
    return str(Grade(grade).label).lower() if grade else "no grade"
