"""A small programme problem (a few areas, one year, three bodies) that each solve takes a second
or two on, shared by the solver's and re-planning's tests (conftest's `solved` solves it)."""

from datetime import date

from ecm_inspect.programme import problem as p

START = date(2005, 9, 1)
REGIONS = ("E12000001", "E12000002")


def small_problem(
    n_areas: int = 6,
    per_body: int = 6,
    bodies: tuple[str, ...] = ("OFSTED", "CSCI", "HEALTHCARE_COMMISSION"),
) -> p.Problem:
    areas = [
        p.AreaInput(gss=f"E0600000{k}", name=f"Area {k}", region=REGIONS[k % 2], risk=10 * k)
        for k in range(n_areas)
    ]
    inspectors = []
    n = 0
    for body in bodies:
        for k in range(per_body):
            n += 1
            inspectors.append(
                p.InspectorInput(
                    id=n,
                    body=body,
                    is_lead=k < 2,
                    region=REGIONS[k % 2],
                    outcomes=frozenset(p.ALL_OUTCOMES),
                    unavailable=((date(2005, 12, 19), date(2006, 1, 3)),),
                )
            )
    return p.Problem(
        start=START, years=1, areas=areas, inspectors=inspectors, team_size=4, review_share=0.5
    )
