from typing import Any

from django import forms

from ecm_inspect.accounts.uploads import upload_field_clean
from ecm_inspect.framework.models import VulnerableGroupCode

from .models import (
    EvidenceKind,
    Indication,
    MeetingKind,
    PlaceKind,
    ServiceAspect,
    Severity,
    StepKind,
)
from .services import ATTACHMENT_NAME_MAX, TITLE_MAX

GRADES = [
    ("", "No grade"),
    (4, "4 Outstanding"),
    (3, "3 Good"),
    (2, "2 Adequate"),
    (1, "1 Inadequate"),
]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(choices=EvidenceKind.choices)
    title = forms.CharField(max_length=300)
    source = forms.CharField(max_length=300)
    dated = forms.DateField(label="Date of the evidence", help_text="For example, 2026-11-20")
    key_judgements = forms.CharField(
        label="Key judgements it bears on",
        help_text="Codes separated by spaces, e.g. SS.3 SS.4",
        required=False,
    )
    grade = forms.TypedChoiceField(choices=GRADES, coerce=int, required=False, empty_value=None)
    indication = forms.ChoiceField(choices=Indication.choices, initial=Indication.NEUTRAL)
    summary = forms.CharField(widget=forms.Textarea, required=False)
    confirm = forms.BooleanField(
        required=False, label="I have checked: this names no one (shown if something is flagged)"
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Add a file (a file of the same name becomes a new revision)")

    def clean_file(self) -> Any:
        return upload_field_clean(self.cleaned_data.get("file"), max_name_chars=ATTACHMENT_NAME_MAX)


class HypothesisForm(forms.Form):
    key_judgement = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    hypothesis = forms.CharField(widget=forms.Textarea, label="Hypothesis to test")


class RequestForm(forms.Form):
    kind = forms.ChoiceField(choices=EvidenceKind.choices)
    what = forms.CharField(max_length=300, label="What is asked for")
    due_on = forms.DateField(label="Due", help_text="For example, 2026-12-04")


class SupplyForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    summary = forms.CharField(widget=forms.Textarea, required=False)
    dated = forms.DateField(help_text="For example, 2026-11-30")
    file = forms.FileField(required=False)

    def clean_file(self) -> Any:
        return upload_field_clean(self.cleaned_data.get("file"), max_name_chars=ATTACHMENT_NAME_MAX)


class CaseListForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=True,  # refused by the import, naming the file
        label="The area's pseudonymised list (CSV)",
        help_text="Columns reference, age, categories, services; categories and services "
        "separated by ';'. No names.",
    )
    replace_with_empty = forms.BooleanField(
        required=False,
        label="Yes, replace the list held with this list of no children",
    )

    def clean_file(self) -> Any:
        # The file's name is not kept: only its size is limited.
        return upload_field_clean(self.cleaned_data.get("file"), max_name_chars=255)


class SampleForm(forms.Form):
    size = forms.IntegerField(min_value=1, max_value=500, initial=30, label="How many case files")
    seed = forms.IntegerField(required=False, help_text="Leave blank to use the review's own")


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea, label="Note (name no one)")
    key_judgements = forms.CharField(required=False, help_text="Codes separated by spaces")
    indication = forms.ChoiceField(choices=Indication.choices, initial=Indication.NEUTRAL)
    confirm = forms.BooleanField(required=False, label="I have checked: this names no one")

    def codes(self) -> list[str]:
        return _codes(self.cleaned_data.get("key_judgements", ""))


def _codes(text: Any) -> list[str]:
    return [c.strip().upper() for c in str(text or "").replace(",", " ").split() if c.strip()]


class FindingForm(forms.Form):
    """What fieldwork found: in a case file, a tracked child's services, a neighbourhood or a
    meeting."""

    found = forms.CharField(
        widget=forms.Textarea,
        label="What was found",
        help_text="Name no one: this stays in the team's confidential area and is cited "
        "elsewhere only by its reference.",
    )
    key_judgements = forms.CharField(
        label="Key judgements it bears on", help_text="Codes separated by spaces, e.g. SS.3 SS.4"
    )
    indication = forms.ChoiceField(label="Direction", choices=[("", "Choose"), *Indication.choices])
    severity = forms.ChoiceField(
        label="How serious (for a weakness)",
        choices=[("", "Not a weakness"), *Severity.choices],
        required=False,
    )
    service = forms.CharField(
        max_length=200, required=False, label="Service", help_text="For example, health visiting"
    )
    aspect = forms.ChoiceField(
        label="About", choices=[("", "Not one aspect"), *ServiceAspect.choices], required=False
    )
    found_on = forms.DateField(label="Found on", help_text="For example, 2026-11-20")
    confirm = forms.BooleanField(required=False, label="I have checked: this names no one")

    def codes(self) -> list[str]:
        return _codes(self.cleaned_data.get("key_judgements", ""))


class JourneyStepForm(forms.Form):
    on = forms.DateField(label="Date", help_text="For example, 2026-03-02")
    kind = forms.ChoiceField(label="Step", choices=StepKind.choices)
    service = forms.CharField(max_length=200, label="Service")
    what_happened = forms.CharField(widget=forms.Textarea, label="What happened (name no one)")
    confirm = forms.BooleanField(required=False, label="I have checked: this names no one")


class NeighbourhoodForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=100, label="Name of the place")
    place_kind = forms.ChoiceField(label="Kind of place", choices=PlaceKind.choices)
    lsoa_codes = forms.CharField(
        required=False,
        label="Small areas (LSOAs) it covers besides the one chosen",
        help_text="Codes separated by spaces, e.g. E01008745 E01008746",
    )
    context = forms.CharField(widget=forms.Textarea, required=False, label="Context")
    provision = forms.CharField(widget=forms.Textarea, required=False, label="Provision found")
    visits = forms.CharField(widget=forms.Textarea, required=False, label="Visits made")
    discussions = forms.CharField(widget=forms.Textarea, required=False, label="Discussions held")
    confirm = forms.BooleanField(required=False, label="I have checked: this names no one")

    def codes(self) -> list[str]:
        return _codes(self.cleaned_data.get("lsoa_codes", ""))


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="With", choices=MeetingKind.choices)
    title = forms.CharField(
        max_length=200, label="Who, described", help_text="For example, children in care council"
    )
    held_on = forms.DateField(label="Held on", help_text="For example, 2026-11-24")
    attendees = forms.IntegerField(min_value=1, max_value=500, label="How many took part")
    groups = forms.MultipleChoiceField(
        required=False,
        label="They speak for",
        choices=VulnerableGroupCode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    under_eights = forms.BooleanField(required=False, label="Children under 8")
    hard_to_reach = forms.CharField(
        max_length=200, required=False, label="A hard-to-reach or local group they speak for"
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, label="Notes (name no one)")
    confirm = forms.BooleanField(required=False, label="I have checked: this names no one")


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, withdraw this finding and take it out of every judgement resting on it"
    )
