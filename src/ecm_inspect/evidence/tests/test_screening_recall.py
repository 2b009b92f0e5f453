"""The personal-data screen against a labelled corpus (tests/data/personal_data_corpus.yaml):
every piece of personal data labelled there is caught, as the kind it is, and none of the
ordinary sentences is flagged; and properties that hold for any text (hypothesis)."""

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ecm_inspect.evidence.screening import EVERYDAY_WORDS, FIRST_NAMES, redact, screen

CORPUS = yaml.safe_load(
    (Path(__file__).resolve().parent / "data" / "personal_data_corpus.yaml").read_text()
)
NAMES = sorted(FIRST_NAMES)


def _caught(text: str, kind: str, words: str) -> bool:
    """A finding of the kind covers the labelled words."""
    start = text.index(words)
    end = start + len(words)
    return any(f.kind == kind and f.start <= start + 1 and f.end >= end - 1 for f in screen(text))


def test_every_labelled_piece_of_personal_data_is_caught() -> None:
    missed = [
        f"{entry['text']!r}: {kind} {words!r}"
        for entry in CORPUS["positives"]
        for kind, words in entry["find"]
        if not _caught(entry["text"], kind, words)
    ]
    assert missed == []
    assert len(CORPUS["positives"]) >= 40


def test_no_ordinary_sentence_of_the_corpus_is_flagged() -> None:
    flagged = {text: [f.describe() for f in screen(text)] for text in CORPUS["negatives"]}
    assert {t: f for t, f in flagged.items() if f} == {}
    assert len(CORPUS["negatives"]) >= 30


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(NAMES), template=st.sampled_from([
    "We spoke to {Name} about home.",
    "my friend {name} hits me",
    "my name is {name}",
    "{name} said it was fine",
    "Her carer and {Name} both came.",
]))  # fmt: skip
def test_any_common_first_name_is_caught_where_a_name_is_expected(name: str, template: str) -> None:
    text = template.format(name=name, Name=name.capitalize())
    assert any(f.kind == "name" for f in screen(text)), text


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *[e["text"] for e in CORPUS["positives"]],
                *CORPUS["negatives"],
                "and",
                "then",
                "\n",
            ]
        ),
        min_size=1,
        max_size=4,
    )
)
def test_redacted_text_shows_nothing_the_screen_found_and_redacting_again_changes_nothing(
    parts: list[str],
) -> None:
    text = " ".join(parts)
    findings = screen(text)
    redacted = redact(text, findings)
    assert screen(redacted) == []
    assert redact(redacted, screen(redacted)) == redacted
    # Only the flagged stretches change: what lies between them is kept, in order.
    kept, at, position = [], 0, 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start > at:
            kept.append(text[at : f.start])
        at = max(at, f.end)
    kept.append(text[at:])
    for piece in kept:
        found = redacted.find(piece, position)
        assert found >= 0, (piece, redacted)
        position = found + len(piece)
    assert redacted.count("[") - text.count("[") >= (1 if findings else 0)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("L", "N")), max_size=80))
def test_text_without_letters_or_digits_is_never_flagged(text: str) -> None:
    assert screen(text) == []


def test_an_everyday_word_that_is_a_name_is_flagged_only_inside_a_sentence() -> None:
    assert "grace" in EVERYDAY_WORDS & FIRST_NAMES
    assert screen("Grace periods for rent arrears are used.") == []
    assert [f.text for f in screen("We asked Grace about school.")] == ["Grace"]
