"""Screening free text for personal data before it is saved: offline, pattern-based recognisers
for names, dates of birth, addresses, UK postcodes, NHS numbers, phone numbers and email
addresses. Each finding names what it found and where; the author must redact it or confirm that
it names no one.

The recognisers lean towards flagging: a false alarm costs the inspector a click, a miss can
identify a child. Names are found five ways: a title before a capitalised word ("Mrs Patel");
a common first name, capitalised, alone or before a surname ("Jessica told us", "Jessica
Smith"), unless it is also a common word at the start of a sentence ("Will the council...");
a common first name in lower case where a name is expected ("my name is sam", "my friend sam",
"sam said"); "called/named X"; and "my name is X" whatever X is. A date after "born" or "date
of birth" is a date of birth, even a year alone ("born 2012", "born in March 2012"). A school's
name is flagged where the text also names a person or says who goes there ("Ahmed at St
Mary's Primary"). The recall on a labelled corpus is in docs/evidence.md
(benchmarks/personal_data_recall.py).
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIRST_NAMES_FILE = Path(__file__).resolve().parent / "data" / "first_names.txt"
FIRST_NAMES = frozenset(
    line.strip().lower()
    for line in FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)

# First names that are also everyday words: flagged alone only away from a sentence's start.
EVERYDAY_WORDS = frozenset(
    {"will", "may", "mark", "grace", "hope", "joy", "faith", "summer", "jack", "bill", "rose"}
)
MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"

TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z'’-]+")
CALLED = re.compile(r"\b(?:called|named|known as)\s+[A-Z][a-z'’-]+")
CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z'’-]+)\s+([A-Z][a-z'’-]+)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
NHS_NUMBER = re.compile(r"\b(\d{3})[ -]?(\d{3})[ -]?(\d{4})\b")
PHONE = re.compile(r"(?:\+44\s?|\b0)\d(?:[\s-]?\d){8,9}\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{4})\b",
    re.IGNORECASE,
)
BIRTH = re.compile(r"\b(?:born|d\.?o\.?b\.?|date of birth|birthday)\b", re.IGNORECASE)
# "born 2012", "born in March 2012", "born on 3rd May 2012", "DOB: 2012".
BORN_IN = re.compile(
    r"\b(?:born|d\.?o\.?b\.?:?|date of birth:?)\s+(?:(?:in|on)\s+)?"
    rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTHS}\s+)?(?:19|20)\d{{2}}\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z][a-z'’-]*")
# Words that follow "my name is" or "my friend" without being a name.
NOT_NAMES = frozenset(
    "a an and the is was who not never always he she they it me my too also at in on with "
    "from said says told".split()
)
# Where a name is expected, in any case: "my name is X", "my friend X", "X said".
MY_NAME = re.compile(
    r"\b(?:my name is|my name's|i'm called|i am called|call me)\s+([A-Za-z][a-z'’-]+)",
    re.IGNORECASE,
)
KIN = re.compile(
    r"\b(?:my|her|his|their)\s+(?:friend|brother|sister|mum|mom|dad|nan|gran|cousin|carer|"
    r"foster (?:mum|dad|carer)|social worker|key worker|teacher)\s+([a-z][a-z'’-]+)",
    re.IGNORECASE,
)
SAID = re.compile(
    r"\b([a-z][a-z'’-]+)\s+(?:said|says|told|tells|asked|hit|hits|hurt|hurts|bullied|"
    r"lives|lived|goes|went|is in year)\b"
)
SCHOOL = re.compile(
    r"\b(?:St\.?\s+)?(?:[A-Z][a-z'’]+\s+){1,3}(?:Primary|Secondary|Academy|High School|"
    r"Grammar School|School|College|Infants|Juniors|Nursery)\b"
)
ATTENDS = re.compile(
    r"\b(?:goes to|go to|went to|attends|attended|pupil at|pupils? of|in year \d+ at|at)\b",
    re.IGNORECASE,
)
ADDRESS = re.compile(
    r"\b(?:\d{1,4}[a-z]?|flat \d{1,4}[a-z]?,?)\s+(?:[a-z]+\s+){1,3}"
    r"(?:street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|court|crescent|place|terrace|"
    r"gardens|grove|square|walk|view|hill|mews|row)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int

    def describe(self) -> str:
        return f"{self.kind}: {self.text!r}"


def _nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def screen(text: str) -> list[Finding]:
    """Every piece of personal data the recognisers find in `text`, in order."""
    found: list[Finding] = []

    def add(kind: str, match: re.Match[str]) -> None:
        found.append(Finding(kind, match.group(0), match.start(), match.end()))

    for m in TITLE.finditer(text):
        add("name", m)
    for m in CALLED.finditer(text):
        add("name", m)
    for m in CAPITALISED_PAIR.finditer(text):
        if m.group(1).lower() in FIRST_NAMES:
            add("name", m)
    for m in WORD.finditer(text):
        word = m.group(0)
        if word[0].isupper() and word.lower() in FIRST_NAMES and not _everyday(text, m):
            add("name", m)
    for pattern in (MY_NAME, KIN, SAID):
        for m in pattern.finditer(text):
            word = m.group(1)
            if pattern is SAID and word.lower() not in FIRST_NAMES:
                continue  # "she said", "it hurts": a name only if it is one
            if word.lower() not in NOT_NAMES:
                found.append(Finding("name", word, m.start(1), m.end(1)))
    for m in POSTCODE.finditer(text):
        add("postcode", m)
    for m in NHS_NUMBER.finditer(text):
        digits = "".join(m.groups())
        if _nhs_number_valid(digits):
            add("NHS number", m)
    for m in EMAIL.finditer(text):
        add("email address", m)
    for m in PHONE.finditer(text):
        add("phone number", m)
    for m in ADDRESS.finditer(text):
        add("address", m)
    for m in BORN_IN.finditer(text):
        add("date of birth", m)
    if any(f.kind == "name" for f in found) or ATTENDS.search(text):
        for m in SCHOOL.finditer(text):
            add("school", m)
    birth_words = [b.start() for b in BIRTH.finditer(text)]
    for m in DATE.finditer(text):
        near_birth = any(abs(m.start() - b) < 40 for b in birth_words)
        add("date of birth" if near_birth else "date", m)
    found.sort(key=lambda f: (f.start, f.kind))
    # One finding per stretch of text (a postcode inside an address, a first name inside
    # "Jessica Smith", is reported once).
    out: list[Finding] = []
    for f in found:
        if out and f.start < out[-1].end and f.kind == out[-1].kind:
            if f.end > out[-1].end:
                last = out[-1]
                out[-1] = Finding(last.kind, text[last.start : f.end], last.start, f.end)
            continue
        out.append(f)
    return out


def _everyday(text: str, m: re.Match[str]) -> bool:
    """A first name that is also an everyday word ("Will", "May"), at a sentence's start."""
    if m.group(0).lower() not in EVERYDAY_WORDS:
        return False
    before = text[: m.start()].rstrip()
    return not before or before[-1] in ".!?:;\n"


def redact(text: str, findings: list[Finding]) -> str:
    """The text with every finding replaced by its kind in brackets (overlapping findings
    replaced once, as one stretch)."""
    spans: list[list[Any]] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if spans and f.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], f.end)
            continue
        spans.append([f.start, f.end, f.kind])
    for start, end, kind in reversed(spans):
        text = text[:start] + f"[{kind}]" + text[end:]
    return text
