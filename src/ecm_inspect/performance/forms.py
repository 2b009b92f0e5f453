from typing import Any

from django import forms

from .models import IncidentKind

GRADE_CHOICES = [
    ("", "Choose a grade"),
    (4, "4 Outstanding"),
    (3, "3 Good"),
    (2, "2 Adequate"),
    (1, "1 Inadequate"),
]
SECTION_CHOICES = [
    ("BH", "Being healthy"),
    ("SS", "Staying safe"),
    ("EA", "Enjoying and achieving"),
    ("PC", "Making a positive contribution"),
    ("EW", "Achieving economic well-being"),
    ("SM", "Service management"),
]


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
