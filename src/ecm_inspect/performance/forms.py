from typing import Any

from django import forms

from ecm_inspect.accounts.uploads import upload_field_clean

from .models import CouncilDocumentKind, IncidentKind, JudgementKind, RepresentationAnswer
from .proposals import OUTCOME_TITLES
from .self_assessment import DOCUMENT_NAME_MAX, DOCUMENT_TITLE_MAX

GRADE_CHOICES = [
    ("", "Choose a grade"),
    (4, "4 Outstanding"),
    (3, "3 Good"),
    (2, "2 Adequate"),
    (1, "1 Inadequate"),
]
SECTION_CHOICES = list(OUTCOME_TITLES.items())


class RecordGradeForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    grade = forms.TypedChoiceField(choices=GRADE_CHOICES, coerce=int, label="Grade")
    rationale = forms.CharField(widget=forms.Textarea, label="Rationale")
    override_reason = forms.CharField(
        widget=forms.Textarea, required=False,
        label="If the grade differs from the proposal, why",
    )  # fmt: skip


class SelfAssessmentPartForm(forms.Form):
    section = forms.ChoiceField(choices=SECTION_CHOICES)
    strengths = forms.CharField(widget=forms.Textarea)
    weaknesses = forms.CharField(widget=forms.Textarea, label="Weaknesses (areas for improvement)")
    impact_evidence = forms.CharField(
        widget=forms.Textarea, required=False, label="Evidence of the impact of action taken"
    )
    resources = forms.CharField(widget=forms.Textarea, required=False, label="Resources used")
    self_grade = forms.TypedChoiceField(
        choices=[("", "No grade"), *GRADE_CHOICES[1:]], coerce=int, required=False,
        empty_value=None, label="Your own grade for this section",
    )  # fmt: skip


class IncidentForm(forms.Form):
    area = forms.CharField(label="Area (GSS code)", max_length=9)
    kind = forms.ChoiceField(choices=IncidentKind.choices)
    occurred_on = forms.DateField(label="Date", help_text="For example, 2024-03-14")
    source = forms.CharField(label="Source (where it was reported)")
    description = forms.CharField(widget=forms.Textarea, required=False)

    def clean_area(self) -> Any:
        return self.cleaned_data["area"].strip().upper()


class CouncilDocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=CouncilDocumentKind.choices)
    title = forms.CharField(
        max_length=DOCUMENT_TITLE_MAX, required=False, help_text="The file's name if left blank"
    )
    document = forms.FileField(label="File")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "doc-%s")  # beside the part form on one page
        super().__init__(*args, **kwargs)

    def clean_document(self) -> Any:
        return upload_field_clean(
            self.cleaned_data.get("document"), max_name_chars=DOCUMENT_NAME_MAX
        )


class AssessmentMeetingForm(forms.Form):
    held_on = forms.DateField(
        label="Date of the assessment meeting with the council", help_text="For example, 2025-09-24"
    )


LETTER_PART_CHOICES = [
    ("", "The whole letter"),
    *SECTION_CHOICES,
    *((kind.value, kind.label) for kind in (JudgementKind.CAPACITY, JudgementKind.OVERALL)),
]


class RepresentationForm(forms.Form):
    section = forms.ChoiceField(
        choices=LETTER_PART_CHOICES, required=False, label="Part of the letter"
    )
    text = forms.CharField(
        widget=forms.Textarea, label="What is factually inaccurate, and the evidence",
        max_length=5000,
    )  # fmt: skip


class RepresentationAnswerForm(forms.Form):
    representation = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(
        choices=[("", "Choose an answer"), *RepresentationAnswer.choices], label="Answer"
    )
    reasons = forms.CharField(widget=forms.Textarea, label="Reasons")


class LetterConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the letter", error_messages={"required": "Confirm: tick to confirm."}
    )


class CalendarForm(forms.Form):
    """One due date per step of the APA's year (performance/calendar.py)."""

    def __init__(self, *args: Any, steps: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for step in steps:
            self.fields[step.code] = forms.DateField(
                label=step.title, help_text="For example, 2025-07-29"
            )
