"""Secondary suppression: no hidden figure of a published survey result can be worked out.

Primary suppression (in `analysis.py`) hides a count under the floor and a group too small to
show. That alone is not enough: wherever a published total is the sum of published parts, one
hidden part is the total minus the others ("2 of 3": 33 answered, 30 of them not in care, so 3
in care; 22 positive, 20 of them not in care, so 2 of the 3). The totals a reader has:

- the number of respondents, the sum of each "who answered" table (age, school, in care,
  disability);
- per question, the number who answered (when 10 or more), the sum of its answers' counts; the
  positive answers, the sum of the positive answers' counts; and for each breakdown, the sum of
  the groups' bases (answered) and of their positive counts;
- where everyone answered a question, each group's base is that group's "who answered" count.

Each of these is a linear equation over the figures. A hidden figure can be worked out exactly
when it is determined by the equations once every published figure is put in, i.e. when no
solution of the homogeneous system moves it. `derivable` finds those by Gaussian elimination
over the rationals; `protect` hides one more figure at a time (the smallest count sharing an
equation with a derivable one: a zero or a small count before a large one, an answer before a
positive total) until none is derivable, then shows again any it hid that is not needed. So
every hidden figure needs at least one other hidden figure in every equation it is in, across
every dimension, and a count of 10 or more is hidden only when something must be.

This is protection against exact arithmetic, the attack the findings reproduced; ranges (a
hidden figure lies between 0 and the total) are not narrowed further.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol


class Unit(Protocol):
    """What is hidden as a whole: a `Cell` (its count, and its base where that is its own)."""

    count: int
    shown: bool


@dataclass(eq=False)
class Figure:
    """One published number, and the unit it is hidden with (None: always published)."""

    value: int
    unit: Unit | None = None

    @property
    def hidden(self) -> bool:
        return self.unit is not None and not self.unit.shown


@dataclass(eq=False)
class Equation:
    """`total` is the sum of `parts`."""

    total: Figure
    parts: Sequence[Figure]

    def figures(self) -> list[Figure]:
        return [self.total, *self.parts]


def derivable(equations: Sequence[Equation]) -> list[Figure]:
    """The hidden figures the equations determine exactly, given every shown figure."""
    unknowns: list[Figure] = []
    index: dict[int, int] = {}
    for eq in equations:
        for f in eq.figures():
            if f.hidden and id(f) not in index:
                index[id(f)] = len(unknowns)
                unknowns.append(f)
    rows: list[list[Fraction]] = []
    for eq in equations:
        row = [Fraction(0)] * len(unknowns)
        for f, sign in [(eq.total, -1), *((p, 1) for p in eq.parts)]:
            if f.hidden:
                row[index[id(f)]] += sign
        if any(row):
            rows.append(row)
    # Reduced row echelon form: a pivot variable whose row has no free variable is determined.
    pivots: list[int] = []
    r = 0
    for col in range(len(unknowns)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [v / lead for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    found = []
    for i, col in enumerate(pivots):
        if all(v == 0 for j, v in enumerate(rows[i]) if j != col):
            found.append(unknowns[col])
    return found


def _units(equations: Iterable[Equation]) -> list[Unit]:
    seen: dict[int, Unit] = {}
    for eq in equations:
        for f in eq.figures():
            if f.unit is not None:
                seen.setdefault(id(f.unit), f.unit)
    return list(seen.values())


def protect(
    equations: Sequence[Equation],
    *,
    keep: Iterable[Unit] = (),
    last: Iterable[Unit] = (),
    size: Callable[[Unit], int] = lambda u: u.count,
) -> list[Unit]:
    """Hide more units until no hidden figure is derivable. `keep`: units whose state is
    decided elsewhere (never changed here); `last`: hidden only when nothing else will do
    (a question's positive total); `size`: how much hiding a unit costs (its count, or a
    group's base). Returns the units it could not protect (none unless a hidden figure
    equals an always-published total on its own)."""
    kept = {id(u) for u in keep}
    costly = {id(u) for u in last}

    def cost(u: Unit) -> tuple[bool, int]:
        return (id(u) in costly, size(u))

    added: list[Unit] = []
    while found := derivable(equations):
        target = found[0]
        near = [eq for eq in equations if any(f is target for f in eq.figures())]
        candidates = [
            f.unit
            for eq in near
            for f in eq.figures()
            if f.unit is not None and f.unit.shown and id(f.unit) not in kept
        ]
        if not candidates:
            candidates = [u for u in _units(equations) if u.shown and id(u) not in kept]
        if not candidates:
            return [f.unit for f in found if f.unit is not None]
        chosen = min(candidates, key=cost)
        chosen.shown = False
        added.append(chosen)
    # Show again, largest first, whatever turned out not to be needed.
    for unit in sorted(added, key=cost, reverse=True):
        unit.shown = True
        if derivable(equations):
            unit.shown = False
    return []
