from django import forms
from django.contrib.auth import get_user_model

from ecm_inspect.core.inputs import ModelMultipleChoiceField
from ecm_inspect.framework.models import Outcome

from .models import GatheredViews


class SurveyForm(forms.Form):
    opens_on = forms.DateField(label="Opens on", help_text="For example, 2026-09-14")
    closes_on = forms.DateField(label="Closes on (the last day children can answer)")
    safeguarding_contact = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        label="Named safeguarding contact",
        help_text="Told at once, by email, when a child asks to talk to someone.",
    )
    schools = forms.IntegerField(
        label="How many schools and colleges", initial=15, min_value=3, max_value=40
    )

    def __init__(self, *args, contacts=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["safeguarding_contact"].queryset = contacts  # type: ignore[attr-defined]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "The closing date must be on or after the opening date.")
        return data


class GatheredViewsForm(forms.ModelForm):
    outcomes = ModelMultipleChoiceField(
        queryset=Outcome.objects.filter(version__code="2005").order_by("order"),
        widget=forms.CheckboxSelectMultiple,
        label="Outcomes these views bear on",
    )
    confirm = forms.BooleanField(
        required=False, label="I confirm the summary names no child or family"
    )

    class Meta:
        model = GatheredViews
        fields = [
            "kind",
            "title",
            "gathered_on",
            "by_whom",
            "children",
            "age_group",
            "group",
            "summary",
            "used",
        ]
