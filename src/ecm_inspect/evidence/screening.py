"""Screening free text for personal data before it is saved: offline, pattern-based recognisers
for names, dates of birth, addresses, UK postcodes, NHS numbers, phone numbers and email
addresses. Each finding names what it found and where; the author must redact it or confirm that
it names no one.

The recognisers lean towards flagging: a false alarm costs the inspector a click, a miss can
identify a child. Names are found three ways: a title before a capitalised word ("Mrs Patel"),
a common first name followed by a capitalised word ("Jessica Smith"), and "called/named X".
"""

import re
from dataclasses import dataclass
from pathlib import Path

FIRST_NAMES_FILE = Path(__file__).resolve().parent / "data" / "first_names.txt"
FIRST_NAMES = frozenset(
    line.strip().lower()
    for line in FIRST_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)

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
ADDRESS = re.compile(
    r"\b\d{1,4}[a-z]?\s+(?:[A-Z][a-z]+\s+){1,3}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Crescent|Place|Terrace|"
    r"Gardens|Grove|Square|Walk|View|Hill)\b"
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
    birth_words = [b.start() for b in BIRTH.finditer(text)]
    for m in DATE.finditer(text):
        near_birth = any(abs(m.start() - b) < 40 for b in birth_words)
        add("date of birth" if near_birth else "date", m)
    found.sort(key=lambda f: (f.start, f.kind))
    # One finding per stretch of text (a postcode inside an address is reported once).
    out: list[Finding] = []
    for f in found:
        if out and f.start < out[-1].end and f.kind == out[-1].kind:
            continue
        out.append(f)
    return out


def redact(text: str, findings: list[Finding]) -> str:
    """The text with every finding replaced by its kind in brackets."""
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[: f.start] + f"[{f.kind}]" + text[f.end :]
    return text
