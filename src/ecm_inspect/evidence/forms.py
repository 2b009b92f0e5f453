from typing import Any

from django import forms

from ecm_inspect.accounts.uploads import upload_field_clean

from .models import EvidenceKind, Indication
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
