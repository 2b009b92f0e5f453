"""The outcomes as the shipped Framework file states them, read without the database: for the
places that need an outcome's title before any version is loaded (the choices of a model field,
a rule that runs on hand-built evidence). At run time, pages read the version in force
(selectors.outcome_titles)."""

from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_VERSION = "2005"


@cache
def shipped_outcome_titles(version: str = SHIPPED_VERSION) -> dict[str, str]:
    """The outcomes of the shipped Framework file of `version`, code to title, in its order."""
    path = DATA_DIR / f"framework-{version}.yaml"
    # Read at start-up (the choices of model fields): libyaml's loader where it is built in,
    # 3 ms instead of 30.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as f:
        content = yaml.load(f, Loader=loader)  # noqa: S506 (a safe loader)
    return {str(o["code"]): str(o["title"]) for o in content["outcomes"]}


def shipped_outcome_title(code: str) -> str:
    """One outcome's title in the shipped Framework (KeyError if it has no such outcome)."""
    return shipped_outcome_titles()[code]


def shipped_outcome_codes() -> tuple[str, ...]:
    """The codes of the shipped Framework's outcomes, in its order (BH, SS, EA, PC, EW)."""
    return tuple(shipped_outcome_titles())
