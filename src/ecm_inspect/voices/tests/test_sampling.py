from collections import Counter
from decimal import Decimal

import pytest

from ecm_inspect.registry.models import Area
from ecm_inspect.voices.sampling import FrameSchool, SamplingError, sample_draw, sampling_frame

PHASES = ["primary"] * 40 + ["secondary"] * 12 + ["special"] * 3 + ["college"] * 2 + ["alternative"]


def frame() -> list[FrameSchool]:
    schools = [
        FrameSchool(f"1{n:05d}", f"School {n}", phase, False, 300, Decimal(n % 30))
        for n, phase in enumerate(PHASES)
    ]
    from ecm_inspect.voices.sampling import _with_deprivation

    return _with_deprivation(schools)


def test_fifteen_schools_by_phase_and_spread_over_deprivation() -> None:
    sample = sample_draw(frame(), size=15, seed=3)
    assert len(sample) == 15
    assert len({s.urn for s in sample}) == 15
    phases = Counter(s.phase for s in sample)
    # No nursery in this frame: its place goes to the biggest phase.
    assert phases == {"primary": 7, "secondary": 5, "special": 1, "college": 1, "alternative": 1}
    primary_thirds = Counter(s.deprivation for s in sample if s.phase == "primary")
    assert set(primary_thirds) == {"high", "middle", "low"}
    assert max(primary_thirds.values()) - min(primary_thirds.values()) <= 1


def test_the_same_seed_gives_the_same_sample_and_another_seed_another() -> None:
    urns = [s.urn for s in sample_draw(frame(), size=15, seed=3)]
    assert urns == [s.urn for s in sample_draw(list(reversed(frame())), size=15, seed=3)]
    assert urns != [s.urn for s in sample_draw(frame(), size=15, seed=4)]


def test_too_few_schools_is_explained() -> None:
    with pytest.raises(SamplingError, match="has 5 schools and colleges .* 15 were asked for"):
        sample_draw(frame()[:5], size=15, seed=1)


@pytest.mark.django_db
def test_the_real_frame_of_gateshead_estimates_mainstream_phases_from_the_roll() -> None:
    from ecm_inspect.registry.services import areas_load

    areas_load()
    gateshead = Area.objects.get(gss_code="E08000037")
    schools = sampling_frame(gateshead)
    assert len(schools) >= 70  # the register extract's Gateshead schools, independents left out
    estimated = [s for s in schools if s.phase_estimated]
    assert {s.phase for s in estimated} == {"primary", "secondary"}
    assert all((s.pupils or 0) >= 700 for s in estimated if s.phase == "secondary")
    assert Counter(s.deprivation for s in schools)["unknown"] < len(schools) / 10
