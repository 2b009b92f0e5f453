"""Words in the report: provider kinds in the plural, paragraph numbers without gaps."""

from ecm_inspect.reports.document import _Builder, _plural


def test_provider_kinds_take_their_proper_plural() -> None:
    assert _plural("Adoption agency", 2) == "adoption agencies"
    assert _plural("Adoption agency", 1) == "adoption agency"
    assert _plural("Children's home", 3) == "children's homes"
    assert _plural("Nursery (day care)", 2) == "nurseries"
    assert _plural("Academy (converter)", 2) == "academies"
    assert _plural("Further education college", 2) == "further education colleges"
    assert _plural("Secure children's homes", 2) == "secure children's homes"


def test_a_paragraph_left_out_leaves_no_gap_in_the_numbering() -> None:
    b = _Builder()
    b.add("C1", "Context", "The area.")
    b.add("C2", "Context", "The settings.")
    # C3 (partners) left out: none on the register.
    b.add("C4", "Context", "What children told us.")
    b.add("O-SS", "Outcomes", "Staying safe.")
    b.add("R1", "Recommendations", "One.")
    b.add("R2", "Recommendations", "Two.")
    assert [p.id for p in b.paras] == ["C1", "C2", "C3", "O-SS", "R1", "R2"]
