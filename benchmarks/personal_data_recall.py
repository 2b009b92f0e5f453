"""Recall and false alarms of the personal-data screen on its labelled corpus
(src/ecm_inspect/evidence/tests/data/personal_data_corpus.yaml), beside presidio-analyzer's
offline pattern recognisers on the same corpus (a dev tool: its names need a spaCy model, which
this machine cannot download, so it runs without one). Prints one line per screen, by kind;
figures go in docs/evidence.md.

    .venv/bin/python benchmarks/personal_data_recall.py
"""

import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ecm_inspect.evidence.screening import screen  # noqa: E402

CORPUS = yaml.safe_load(
    (ROOT / "src/ecm_inspect/evidence/tests/data/personal_data_corpus.yaml").read_text()
)
# presidio's entity for each of our kinds (dates of birth are dates to it; it has no school).
PRESIDIO_KIND = {
    "email address": "EMAIL_ADDRESS",
    "phone number": "PHONE_NUMBER",
    "date of birth": "DATE_TIME",
    "NHS number": "UK_NHS",
    "name": "PERSON",
    "postcode": "UK_POSTCODE",
    "address": "LOCATION",
    "school": "ORGANIZATION",
}


def ours(text: str) -> list[tuple[str, int, int]]:
    return [(f.kind, f.start, f.end) for f in screen(text)]


def presidio() -> Any:
    """presidio's pattern recognisers, without an NLP engine: e-mail, phone, dates, and the
    UK NHS number where this version has it."""
    logging.disable(logging.WARNING)  # its e-mail recogniser tries to fetch a suffix list
    from presidio_analyzer import predefined_recognizers as r

    names = ["EmailRecognizer", "PhoneRecognizer", "DateRecognizer", "NhsRecognizer"]
    recognisers = [getattr(r, n)() for n in names if hasattr(r, n)]
    back = {v: k for k, v in PRESIDIO_KIND.items()}

    def run(text: str) -> list[tuple[str, int, int]]:
        out = []
        for rec in recognisers:
            for found in rec.analyze(text, rec.supported_entities, None) or []:
                out.append((back.get(found.entity_type, found.entity_type), found.start, found.end))
        return out

    return run, [type(x).__name__ for x in recognisers]


def score(run: Any) -> tuple[Counter[str], Counter[str], int]:
    """Labelled pieces caught and missed by kind, and ordinary sentences flagged."""
    caught: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for entry in CORPUS["positives"]:
        text = entry["text"]
        found = run(text)
        for kind, words in entry["find"]:
            start = text.index(words)
            end = start + len(words)
            hit = any(k == kind and s <= start + 1 and e >= end - 1 for k, s, e in found)
            (caught if hit else missed)[kind] += 1
    false_alarms = sum(1 for text in CORPUS["negatives"] if run(text))
    return caught, missed, false_alarms


def line(name: str, run: Any) -> None:
    caught, missed, false_alarms = score(run)
    total = sum(caught.values()) + sum(missed.values())
    kinds = sorted(set(caught) | set(missed))
    by_kind = ", ".join(f"{k} {caught[k]}/{caught[k] + missed[k]}" for k in kinds)
    print(
        f"{name}: recall {sum(caught.values())}/{total} "
        f"({100 * sum(caught.values()) / total:.0f}%); false alarms "
        f"{false_alarms}/{len(CORPUS['negatives'])}; by kind: {by_kind}"
    )


if __name__ == "__main__":
    line("ECM Inspect's screen", ours)
    run, used = presidio()
    line(f"presidio-analyzer, offline ({', '.join(used)})", run)
