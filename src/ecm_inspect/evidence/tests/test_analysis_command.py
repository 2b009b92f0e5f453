"""`ecm analysis REVIEW` and `ecm review analyse REVIEW` print the same fieldwork specification
(the reviews app hands over to the evidence app's command)."""

import json
from io import StringIO

from django.core.management import call_command

from ecm_inspect.reviews.tests.conftest import ReviewWorld


def test_both_commands_print_the_analysis_of_a_review(rw: ReviewWorld) -> None:
    texts = []
    for command in (["analysis"], ["review", "analyse"]):
        out = StringIO()
        call_command(*command, str(rw.review.pk), stdout=out)
        texts.append(out.getvalue())
    assert texts[0] == texts[1]
    assert "judgements can be agreed at analysis" in texts[0]
    assert "Fieldwork specification (team of 4" in texts[0]


def test_the_analysis_as_json_names_each_key_judgement(rw: ReviewWorld) -> None:
    out = StringIO()
    call_command("review", "analyse", str(rw.review.pk), format="json", stdout=out)
    found = json.loads(out.getvalue())
    codes = {a["key_judgement"] for a in found["analysis"]}
    assert "SS.1" in codes
    assert all(a["status"] in ("agreed", "fieldwork") for a in found["analysis"])
