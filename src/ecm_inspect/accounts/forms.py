from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from ecm_inspect.core.inputs import ModelMultipleChoiceField
from ecm_inspect.framework.models import Outcome, ProviderKind
from ecm_inspect.registry.models import Inspector

from .selectors import record_types


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs = {
            "autocomplete": "username",
            "spellcheck": "false",
        }
        self.fields["password"].widget.attrs = {"autocomplete": "current-password"}


class SecurityCodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class InspectorForm(forms.ModelForm):
    """An inspector's record, edited by their inspectorate's lead. `version` is the version the
    editor started from: the save is refused if someone else saved in between."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Inspector
        fields = [
            "full_name",
            "grade",
            "home_region_code",
            "days_per_week",
            "is_active",
            "outcome_expertise",
            "provider_kind_expertise",
        ]
        labels = {
            "full_name": "Full name",
            "home_region_code": "Home region (ONS code)",
            "days_per_week": "Days a week for inspection work",
            "is_active": "Available for inspection work",
            "outcome_expertise": "Expertise by outcome",
            "provider_kind_expertise": "Expertise by kind of provider",
        }
        widgets = {
            "outcome_expertise": forms.CheckboxSelectMultiple,
            "provider_kind_expertise": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "outcome_expertise": ModelMultipleChoiceField,
            "provider_kind_expertise": ModelMultipleChoiceField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcomes: Any = self.fields["outcome_expertise"]
        outcomes.queryset = Outcome.objects.filter(version__code="2005").order_by("order")
        kinds: Any = self.fields["provider_kind_expertise"]
        kinds.queryset = ProviderKind.objects.order_by("order")
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class AuditFilterForm(forms.Form):
    record_type = forms.ChoiceField(label="Kind of record", required=False)
    who = forms.CharField(label="Changed by (username or name)", required=False, max_length=150)
    since = forms.DateField(label="From", help_text="For example, 2026-11-01", required=False)
    until = forms.DateField(label="To", help_text="For example, 2026-11-30", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: Any = self.fields["record_type"]
        choices.choices = [("", "Any"), *record_types()]
