"""Forms for recording a setting inspection and its judgements (GOV.UK Design System markup
comes from templates/includes/field.html)."""

from typing import Any

from django import forms

from ecm_inspect.core.inputs import ModelMultipleChoiceField
from ecm_inspect.framework.grades import Grade
from ecm_inspect.registry.models import Inspectorate, Provider

from .models import ContactKind


class InspectionForm(forms.Form):
    providers = forms.CharField(
        label="Provider URNs",
        help_text="One URN, or several separated by commas for the services under one roof "
        "(a children's centre and its school).",
    )
    other_inspectorates = ModelMultipleChoiceField(
        queryset=Inspectorate.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Other inspectorates taking part",
    )
    starts_on = forms.DateField(label="First day (YYYY-MM-DD)")
    ends_on = forms.DateField(label="Last day (YYYY-MM-DD)")
    statutory_framework = forms.CharField(
        label="Statutory framework", help_text="The requirements the inspection is run under."
    )
    visit_plan = forms.CharField(
        label="Coordinated visit plan", widget=forms.Textarea, required=False
    )

    def clean_providers(self) -> list[Provider]:
        urns = [u.strip() for u in self.cleaned_data["providers"].split(",") if u.strip()]
        found = {p.urn: p for p in Provider.objects.filter(urn__in=urns).select_related("kind")}
        missing = [u for u in urns if u not in found]
        if missing:
            raise forms.ValidationError(f"No provider with URN {', '.join(missing)}.")
        return [found[u] for u in urns]


class JudgementForm(forms.Form):
    """One judgement: only the key judgements relevant to the chosen provider and the user's
    inspectorate are offered."""

    choice = forms.ChoiceField(label="Provider and key judgement")
    grade = forms.TypedChoiceField(
        label="Grade",
        choices=[("", "Not judged")] + [(g.value, g.label) for g in sorted(Grade, reverse=True)],
        coerce=lambda v: Grade(int(v)),
        empty_value=None,
        required=False,
    )
    not_judged_reason = forms.CharField(
        label="Reason it was not judged", required=False, max_length=300
    )
    evidence_notes = forms.CharField(label="Evidence notes", widget=forms.Textarea, required=False)
    criteria = forms.CharField(label="Criteria used", required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = choices  # type: ignore[attr-defined]


class ContactForm(forms.Form):
    """A visit or an information request, for the burden ledger."""

    kind = forms.ChoiceField(
        label="What was it?",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a visit or an information request."},
    )
    starts_on = forms.DateField(
        label="Date, or first day (YYYY-MM-DD)",
        error_messages={
            "required": "Enter the date, for example 2026-03-02.",
            "invalid": "Enter a real date, for example 2026-03-02.",
        },
    )
    ends_on = forms.DateField(
        label="Last day (YYYY-MM-DD)",
        error_messages={"invalid": "Enter a real date, for example 2026-03-04."},
        required=False,
        help_text="Leave blank for a one-day visit, or a request with no deadline.",
    )
    description = forms.CharField(
        label="What was visited or asked for",
        max_length=300,
        widget=forms.Textarea,
        error_messages={"required": "Say what was visited or asked for."},
    )
    inspection = forms.TypedChoiceField(
        label="Part of an inspection",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Only if it was part of one of this provider's inspections.",
    )

    def __init__(self, *args: Any, inspections: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspection"].choices = [("", "Not part of an inspection"), *inspections]  # type: ignore[attr-defined]


class PublishForm(forms.Form):
    """The confirmation of publishing: the version seen on the confirmation page."""

    version = forms.IntegerField(widget=forms.HiddenInput)
