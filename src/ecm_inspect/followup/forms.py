from django import forms

from .models import Service


class ActionForm(forms.Form):
    """An action of the area's statement, against one recommendation."""

    recommendation = forms.IntegerField(label="Recommendation")
    text = forms.CharField(label="Action", max_length=4000)
    owner_body = forms.CharField(label="Owner", max_length=200)
    service = forms.ChoiceField(label="Service", choices=Service.choices)
    deadline = forms.DateField(label="Deadline", input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    milestones = forms.CharField(label="Milestones", required=False, max_length=4000)
