import copy

import pytest

from ecm_inspect.voices.proforma import ProformaError, proforma_parse, proforma_read


@pytest.fixture
def raw() -> dict:
    return proforma_read()


def test_the_shipped_proforma_has_every_outcome_and_version(raw: dict) -> None:
    definition = proforma_parse(raw)
    assert [p.outcome for p in definition.pages if p.outcome] == ["BH", "SS", "EA", "PC", "EW"]
    assert set(definition.versions) == {"pictures", "primary", "secondary", "easy"}
    for version in definition.versions:
        pages = definition.pages_for(version)
        assert len(pages) >= 5, version
        assert all(item.label(version) for p in pages for item in p.items_for(version))
    assert definition.version_for("under_8") == "pictures"
    assert definition.version_for("8_10") == "primary"
    assert definition.version_for("16_19") == "secondary"
    assert definition.version_for("11_15", easy_read=True) == "easy"
    # Words differ by age: the 8-11 version asks in its own words.
    item = definition.items["life_satisfied"]
    assert item.label("primary") != item.label("secondary")


def test_skip_logic_asks_a_follow_up_only_after_the_answer_it_depends_on(raw: dict) -> None:
    told = proforma_parse(raw).items["bullied_told"]
    assert told.applies({"bullied_currently": "yes"})
    assert not told.applies({"bullied_currently": "no"})
    assert not told.applies({})  # skipped question: the follow-up is skipped too


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r["pages"][0]["items"][0].update(type="select_one nope"),
            "unknown choice list 'nope'",
        ),
        (
            lambda r: r["pages"][0]["items"][0].update(relevant={"item": "later", "in": ["yes"]}),
            "must name an earlier item",
        ),
        (lambda r: r["pages"][1]["items"][0].update(name="life_satisfied"), "used twice"),
        (lambda r: r["pages"][0]["items"][0].update(versions=["teen"]), "unknown version(s) teen"),
        (lambda r: r["pages"][0].update(outcome="XX"), "unknown outcome 'XX'"),
        (lambda r: r["versions"]["primary"].update(ages=["9_12"]), "unknown age band"),
    ],
)
def test_a_bad_proforma_is_refused_naming_page_and_item(raw: dict, change, message: str) -> None:
    broken = copy.deepcopy(raw)
    change(broken)
    with pytest.raises(ProformaError, match="area-survey") as exc:
        proforma_parse(broken, source="area-survey")
    assert message in str(exc.value)
