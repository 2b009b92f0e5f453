"""The outcomes read from the shipped Framework file, for the code that runs before a version
is loaded: their titles are the file's, never written out in code."""

import yaml

from ecm_inspect.framework.shipped import DATA_DIR, shipped_outcome_codes, shipped_outcome_titles


def test_the_shipped_outcomes_are_the_files_in_its_order() -> None:
    content = yaml.safe_load((DATA_DIR / "framework-2005.yaml").read_text(encoding="utf-8"))
    assert shipped_outcome_titles() == {o["code"]: o["title"] for o in content["outcomes"]}
    assert shipped_outcome_codes() == ("BH", "SS", "EA", "PC", "EW")
