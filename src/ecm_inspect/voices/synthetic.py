"""Synthetic responses for the demo and the load test: made-up children, realistic in the
aggregate. Where an item has a reference question, its answers follow the reference survey's
published 2023 distribution for the child's group (in care, special educational needs, or
all); other items follow the weights below. Every row is marked `is_synthetic`."""

import csv
import random
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import Any

import yaml
from django.utils import timezone

from .analysis import REFERENCE_FILE
from .concerns import concern_raise
from .models import ConcernSource, InCare, ParentResponse, Phase, Response, Survey, SurveySchool
from .proforma import DATA, Item
from .screening import disclosures_find
from .services import _fingerprint, token_hash

# Answer weights for items without a reference, by choice value.
WEIGHTS: dict[str, dict[str, float]] = {
    "faces3": {"happy": 6, "ok": 3, "sad": 1},
    "yes_no": {"yes": 7, "no": 3},
    "yes_no_unsure": {"yes": 5, "no": 3, "not_sure": 2},
    "yes_somewhat": {"yes": 5, "somewhat": 3, "no": 1, "not_sure": 1},
    "clubs3": {"attending": 5, "would_like": 3, "not_wanted": 2},
}
AGES_BY_PHASE: dict[str, dict[str, float]] = {
    Phase.NURSERY: {"under_8": 1},
    Phase.PRIMARY: {"under_8": 1, "8_10": 6},
    Phase.SECONDARY: {"11_15": 9, "16_19": 1},
    Phase.SPECIAL: {"8_10": 1, "11_15": 2, "16_19": 1},
    Phase.ALTERNATIVE: {"11_15": 3, "16_19": 1},
    Phase.COLLEGE: {"16_19": 1},
}
# Made-up words that a real screen would flag, so the demo shows the safeguarding path.
DISCLOSURES = ["My step dad hits me when he is drunk and I am scared to go home."]


@cache
def _reference_by_group() -> dict[tuple[str, str], dict[str, float]]:
    out: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    with REFERENCE_FILE.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out[(row["question"], row["group"])][row["response"]] = float(row["percent"])
    return out


@cache
def _texts() -> dict[str, list[str]]:
    return yaml.safe_load((DATA / "synthetic_texts.yaml").read_text(encoding="utf-8"))


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    values = list(weights)
    return rng.choices(values, weights=[weights[v] for v in values])[0]


def _answer(rng: random.Random, item: Item, group: str, list_name: str) -> str | None:
    if item.kind == "text":
        pool = _texts().get(item.name, [])
        return rng.choice(pool) if pool and rng.random() < 0.3 else None
    if rng.random() < 0.04:
        return None  # skipped
    if item.reference:
        figures = _reference_by_group().get((item.reference["question"], group)) or (
            _reference_by_group().get((item.reference["question"], "all"), {})
        )
        weights = {v: figures.get(label, 0.0) for v, label in item.reference["map"].items()}
        if sum(weights.values()) > 0:
            return _pick(rng, weights)
    weights = WEIGHTS.get(list_name) or {c.value: 1.0 for c in item.choices}
    return _pick(rng, {c.value: weights.get(c.value, 1.0) for c in item.choices})


def responses_generate(
    *, survey: Survey, count: int, seed: int = 2026, on: date | None = None
) -> int:
    """Add `count` submitted synthetic responses spread over the survey's schools (bigger
    schools answer more), and raise the concerns their words would raise."""
    rng = random.Random(seed)  # noqa: S311 (reproducible sample, not a secret)
    definition = survey.proforma.parsed
    list_of = {
        item["name"]: str(item["type"]).partition(" ")[2]
        for page in survey.proforma.definition["pages"]
        for item in page["items"]
    }
    schools: list[SurveySchool] = list(survey.schools.all())
    sizes = [max(s.pupils or 100, 30) for s in schools]
    start = on or survey.opens_on
    days = max((survey.closes_on - start).days, 0)
    rows = []
    flagged: list[tuple[SurveySchool, str]] = []
    for n in range(count):
        school = rng.choices(schools, weights=sizes)[0]
        age_band = _pick(rng, AGES_BY_PHASE[school.phase])
        easy = age_band != "under_8" and rng.random() < 0.05
        version = definition.version_for(age_band, easy)
        in_care = _pick(rng, {InCare.YES: 2, InCare.NO: 93, InCare.PREFER_NOT: 2, "": 3})
        disability = _pick(rng, {InCare.YES: 8, InCare.NO: 85, InCare.PREFER_NOT: 3, "": 4})
        if school.phase == Phase.SPECIAL:
            disability = InCare.YES
        group = (
            "in_care" if in_care == InCare.YES else "send" if disability == InCare.YES else "all"
        )
        answers: dict[str, str] = {}
        for page in definition.pages_for(version):
            for item in page.items_for(version):
                if not item.applies(answers):
                    continue
                value = _answer(rng, item, group, list_of[item.name])
                if value is not None:
                    answers[item.name] = value
        if n % 997 == 500 and "anything_else" in answers:
            answers["anything_else"] = DISCLOSURES[0]
        day = start + timedelta(days=rng.randint(0, days))
        response = Response(
            survey=survey,
            school=school,
            version=version,
            age_band=age_band,
            in_care=in_care,
            disability=disability,
            answers=answers,
            pages_done=len(definition.pages_for(version)),
            started_on=day,
            submitted_on=day,
            token_sha256=token_hash(f"synthetic-{survey.pk}-{seed}-{n}"),
            is_synthetic=True,
        )
        response.answers_sha256 = _fingerprint(response, answers)
        rows.append(response)
        for name, text in answers.items():
            if definition.items[name].kind == "text" and disclosures_find(text):
                flagged.append((school, text))
    Response.objects.bulk_create(rows, batch_size=1000)
    for school, text in flagged:
        found = disclosures_find(text)
        concern_raise(
            school=school,
            source=ConcernSource.SCREENED,
            text=text,
            matched="; ".join(f"{d.label}: {d.text!r}" for d in found),
        )
    return len(rows)


# Made-up parents and carers (issue 19, part 5). The weights are illustrative, not from a
# published survey of parents: parents of children in care and of disabled children agree
# less often that services help, as the 2004 proposals expect reviews to look for.
PARENT_WORDS = {
    "works_well": [
        "The health visitor was kind and came back when she said she would.",
        "School staff know my son and tell me when something is wrong.",
        "The short breaks service gives us a rest at weekends.",
        "The nursery helped with speech and language.",
    ],
    "could_be_better": [
        "We waited months for an assessment and nobody told us what was happening.",
        "Too many different people ask the same questions.",
        "Not enough for teenagers to do in the evenings.",
        "Help with housing took a long time.",
    ],
}


def parent_responses_generate(*, proforma: Any, count: int, seed: int) -> int:
    """Add `count` made-up parents' and carers' responses (marked synthetic) to a proforma."""
    from .parents import QUESTIONS, parent_answers_clean

    rng = random.Random(seed)  # noqa: S311 (made-up data, not security)
    for _ in range(count):
        relationship = rng.choices(["parent", "carer", "foster_kinship"], [14, 3, 3])[0]
        in_care = "yes" if relationship == "foster_kinship" or rng.random() < 0.03 else "no"
        disabled = rng.choices(["yes", "no", "prefer_not"], [2, 7, 1])[0]
        agree = 0.72 - (0.12 if in_care == "yes" else 0) - (0.12 if disabled == "yes" else 0)
        data = {
            "relationship": relationship,
            "child_age_band": rng.choices(["under_8", "8_10", "11_15", "16_19"], [4, 3, 4, 2])[0],
            "child_in_care": in_care,
            "child_disabled": disabled,
        }
        for question in QUESTIONS:
            roll = rng.random()
            if roll < 0.06:
                continue  # left out: does not apply
            data[question.name] = (
                "agree" if roll < agree else "disagree" if roll < agree + 0.18 else "not_sure"
            )
        for name, texts in PARENT_WORDS.items():
            if rng.random() < 0.3:
                data[name] = rng.choice(texts)
        # Made up, so neither rate-limited nor screened for a child at risk.
        ParentResponse.objects.create(
            proforma=proforma,
            submitted_on=timezone.localdate(),
            is_synthetic=True,
            **parent_answers_clean(data),
        )
    return count
