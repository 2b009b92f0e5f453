"""Forms for recording a setting inspection and its judgements (GOV.UK Design System markup
comes from templates/includes/field.html)."""

from typing import Any

from django import forms

from ecm_inspect.framework.grades import Grade
from ecm_inspect.registry.models import Inspectorate, Provider


class InspectionForm(forms.Form):
    providers = forms.CharField(
        label="Provider URNs",
        help_text="One URN, or several separated by commas for the services under one roof "
        "(a children's centre and its school).",
    )
    other_inspectorates = forms.ModelMultipleChoiceField(
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
