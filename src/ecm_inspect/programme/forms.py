"""The forms that start a plan or a re-plan in the background, and that record a council's
corporate assessment and CPA category (the national lead's; the API and `ecm import` check
with the same forms)."""

from typing import Any

from django import forms

from ecm_inspect.registry.models import Area, Inspector

from .models import CPA_BLOCKS, DirectionOfTravel, Sequencing

# Ours: enough for the national programme (issue 11: 120 s), short enough not to hold the
# machine's cores for long.
TIME_LIMITS = (5, 600)


def _codes(text: str) -> list[str]:
    return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]


class PlanForm(forms.Form):
    starts_on = forms.DateField(
        label="Start of the programme", help_text="For example, 2026-09-01."
    )
    years = forms.IntegerField(min_value=1, max_value=3, initial=3, label="Years")
    time_limit = forms.IntegerField(
        min_value=TIME_LIMITS[0],
        max_value=TIME_LIMITS[1],
        initial=120,
        label="Time limit for the solver (seconds)",
    )

    def parameters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"starts_on": data["starts_on"].isoformat(), "years": data["years"]}


class ReplanForm(forms.Form):
    time_limit = forms.IntegerField(
        min_value=TIME_LIMITS[0],
        max_value=TIME_LIMITS[1],
        initial=60,
        label="Time limit for the solver (seconds)",
    )
    urgent_area = forms.CharField(
        required=False, label="Short-notice review: area (GSS code)", max_length=9
    )
    urgent_on = forms.DateField(
        required=False, label="Date of the critical event", help_text="For example, 2027-01-18."
    )
    council_area = forms.CharField(
        required=False, label="Council's dates changed: area (GSS code)", max_length=9
    )
    council_from = forms.DateField(required=False, label="It cannot have a review from")
    council_to = forms.DateField(required=False, label="To")
    inspectors_left = forms.CharField(
        required=False, label="Inspectors who have left (ids, separated by commas)"
    )
    release = forms.CharField(
        required=False,
        label="Let these held reviews move (GSS codes, separated by commas)",
        help_text="Confirmed and notified reviews stay fixed unless released here.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        areas = set(Area.objects.values_list("gss_code", flat=True))
        if bool(data.get("urgent_area")) != bool(data.get("urgent_on")):
            self.add_error("urgent_on", "Give both the area and the date of the critical event.")
        council = [data.get(k) for k in ("council_area", "council_from", "council_to")]
        if any(council) and not all(council):
            self.add_error("council_to", "Give the area and both dates the council cannot do.")
        elif all(council) and data["council_to"] < data["council_from"]:
            self.add_error("council_to", "The end is before the start.")
        for name in ("urgent_area", "council_area"):
            if data.get(name) and data[name] not in areas:
                self.add_error(name, f"There is no area {data[name]}.")
        unknown = [g for g in _codes(data.get("release", "")) if g not in areas]
        if unknown:
            self.add_error("release", f"There is no area {', '.join(unknown)}.")
        try:
            left = [int(t) for t in _codes(data.get("inspectors_left", ""))]
        except ValueError:
            self.add_error("inspectors_left", "Give inspectors by their number, e.g. 17, 42.")
        else:
            found = set(Inspector.objects.filter(pk__in=left).values_list("pk", flat=True))
            if set(left) - found:
                self.add_error(
                    "inspectors_left", f"There is no inspector {sorted(set(left) - found)[0]}."
                )
            data["left"] = left
        return data

    def parameters(self, programme_id: int) -> dict[str, Any]:
        data = self.cleaned_data
        params: dict[str, Any] = {
            "programme": programme_id,
            "left": data.get("left", []),
            "release": _codes(data.get("release", "")),
            "urgent": {},
            "unavailable": {},
        }
        if data.get("urgent_area"):
            params["urgent"] = {data["urgent_area"]: data["urgent_on"].isoformat()}
        if data.get("council_area"):
            params["unavailable"] = {
                data["council_area"]: [
                    [data["council_from"].isoformat(), data["council_to"].isoformat()]
                ]
            }
        return params


class _AreaField(forms.CharField):
    """An area by its GSS code (or DfE LA code)."""

    def clean(self, value: Any) -> Area:
        code = super().clean(value).strip()
        area = Area.objects.filter(gss_code=code).first() or (
            Area.objects.filter(la_code=code).first() if code else None
        )
        if area is None:
            raise forms.ValidationError(f"No area has the code {code!r}.")
        return area


class CorporateAssessmentForm(forms.Form):
    """A council's corporate assessment: its dates on site, the Appendix 3 option chosen for
    sequencing the review against it, and the inspectors on both."""

    area = _AreaField(label="Area (GSS code)", max_length=9)
    starts_on = forms.DateField(label="Starts on", help_text="For example, 2026-09-21.")
    ends_on = forms.DateField(label="Ends on", help_text="For example, 2026-10-02.")
    option = forms.TypedChoiceField(
        label="Appendix 3 option", choices=Sequencing.choices, coerce=int
    )
    shared_team_members = forms.CharField(
        required=False,
        label="Shared team members",
        help_text="Inspectors on both, by id or full name, separated by semicolons.",
    )

    def clean_shared_team_members(self) -> list[Inspector]:
        out, unknown = [], []
        for token in (t.strip() for t in self.cleaned_data["shared_team_members"].split(";")):
            if not token:
                continue
            found = (
                Inspector.objects.filter(pk=int(token)).first()
                if token.isascii() and token.isdigit() and len(token) < 10
                else Inspector.objects.filter(full_name=token).first()
            )
            if found is None:
                unknown.append(token)
            else:
                out.append(found)
        if unknown:
            raise forms.ValidationError(f"No inspector is {', '.join(unknown)}.")
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "It ends on or after the day it starts.")
        return data


class CpaCategoryForm(forms.Form):
    """A council's CPA category for a year: stars, direction of travel, block scores."""

    area = _AreaField(label="Area (GSS code)", max_length=9)
    year = forms.IntegerField(label="Year", min_value=2002, max_value=2100)
    stars = forms.IntegerField(label="Stars", min_value=0, max_value=4, help_text="0 to 4.")
    direction_of_travel = forms.ChoiceField(
        label="Direction of travel",
        choices=[("", "Not given"), *DirectionOfTravel.choices],
        required=False,
    )
    source = forms.CharField(label="Source", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for block, label in CPA_BLOCKS.items():
            self.fields[f"block_{block}"] = forms.IntegerField(
                label=f"Block score: {label}", min_value=1, max_value=4, required=False
            )

    def block_scores(self) -> dict[str, int]:
        return {
            block: self.cleaned_data[f"block_{block}"]
            for block in CPA_BLOCKS
            if self.cleaned_data.get(f"block_{block}") is not None
        }
