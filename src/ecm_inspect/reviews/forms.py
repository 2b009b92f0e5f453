from typing import Any

from django import forms

from ecm_inspect.core.inputs import ModelMultipleChoiceField
from ecm_inspect.registry.models import Area, Inspector

from .models import NarrowedBecause, NationalTheme, ScopeKind, Stage


class ReviewCreateForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=Area.objects.current().order_by("name"), label="Area", to_field_name="gss_code"
    )
    analysis_starts_on = forms.DateField(
        label="First day of the analysis week",
        help_text="For example, 2027-03-01. Every other date is computed from it.",
    )
    dcs_name = forms.CharField(label="Director of children's services (or nominated officer)")
    dcs_email = forms.EmailField(label="Their email address")
    scope = forms.ChoiceField(choices=ScopeKind.choices, initial=ScopeKind.FULL)
    narrowed_because = forms.ChoiceField(
        choices=[("", "Not narrowed"), *NarrowedBecause.choices], required=False,
        label="If narrowed, why",
    )  # fmt: skip
    scope_reason = forms.CharField(
        widget=forms.Textarea, required=False, label="Reason for the scope"
    )
    national_themes = ModelMultipleChoiceField(
        queryset=NationalTheme.objects.all(), to_field_name="code", required=False,
        widget=forms.CheckboxSelectMultiple, label="National themes",
    )  # fmt: skip


class TeamForm(forms.Form):
    leader = forms.ModelChoiceField(queryset=Inspector.objects.none(), label="Team leader")
    members = ModelMultipleChoiceField(
        queryset=Inspector.objects.none(), widget=forms.CheckboxSelectMultiple, label="Members",
        help_text="Between three and eight people with the leader, from at least two bodies.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pool = Inspector.objects.filter(is_active=True).select_related("inspectorate")
        for name in ("leader", "members"):
            field: Any = self.fields[name]
            field.queryset = pool
            field.label_from_instance = lambda i: f"{i.full_name} ({i.inspectorate.short_name})"


class MeetingForm(forms.Form):
    """The set-up meeting: what it confirmed."""

    held_on = forms.DateField(label="Held on", help_text="For example, 2027-02-01")
    attendees = forms.CharField(widget=forms.Textarea, label="Who attended (one per line)")
    basis_for_planning = forms.CharField(
        widget=forms.Textarea, required=False, label="Basis for planning the review programme"
    )
    fieldwork_issues = forms.CharField(
        widget=forms.Textarea, required=False, label="Issues on which fieldwork will be carried out"
    )
    timetable_confirmed = forms.BooleanField(required=False, label="The timetable was confirmed")
    notes = forms.CharField(widget=forms.Textarea, required=False)


class FindingsMeetingForm(forms.Form):
    """The findings meeting with senior officers and members of the local strategic
    partnership."""

    held_on = forms.DateField(label="Held on", help_text="For example, 2027-02-01")
    attendees = forms.CharField(widget=forms.Textarea, label="Who attended (one per line)")
    changes_agreed = forms.CharField(
        widget=forms.Textarea,
        required=False,
        label="Changes to the report agreed",
        help_text="Leave blank if none were agreed.",
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)


class FieldworkFeedbackForm(forms.Form):
    """The end of fieldwork: the headline feedback given to the DCS."""

    given_on = forms.DateField(label="Feedback given on", help_text="For example, 2027-02-12")
    given_to = forms.CharField(
        widget=forms.Textarea, label="Given to (one per line, the DCS first)"
    )
    findings = forms.CharField(widget=forms.Textarea, label="What was said: the emerging findings")


class FieldworkPlanForm(forms.Form):
    hypotheses = forms.CharField(widget=forms.Textarea, label="Hypotheses to test in fieldwork")
    activities = forms.CharField(
        widget=forms.Textarea,
        label="Fieldwork",
        help_text="Meetings, visits to settings, children to track, neighbourhood studies.",
    )
    agree = forms.BooleanField(required=False, label="As team leader, I agree this plan")


class AdvanceForm(forms.Form):
    to = forms.ChoiceField(choices=Stage.choices)
    on = forms.DateField(
        required=False, label="Date it happened", help_text="Leave blank for today"
    )
    note = forms.CharField(widget=forms.Textarea, required=False)
    confirmed = forms.BooleanField(required=False)
