"""Neighbourhoods for large neighbourhood search: which decision variables one small solve
frees, and how that choice learns from each solve.

A :class:`Neighbourhoods` is what one problem gives the LNS driver of
:mod:`openpcn.rota.lns` (and the HiGHS search of :mod:`openpcn.rota.mip_search`): the
decision variables, a way to draw a neighbourhood, and feedback. :class:`FamilyNeighbourhoods`
draws from :class:`Family` lists (a few staff, a run of days, staff x days, ...) and adapts each
family's size; the PCN rota uses it. The benchmark's rostering moves
(:mod:`openpcn.rota_benchmark.roster_lns`) are another subclass.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """A kind of neighbourhood: ``groups`` of variable indices, freed together.

    ``window`` families free a contiguous run of groups (e.g. consecutive days); the others free
    a random subset (e.g. a few staff). With ``grid`` (``grid[row][column]`` = indices, e.g.
    staff x day), a neighbourhood is some random rows over a contiguous run of columns, and
    ``groups`` may be left empty.
    """

    name: str
    groups: Sequence[Sequence[int]] = ()
    window: bool = False
    grid: Sequence[Sequence[Sequence[int]]] | None = None
    min_rows: int = 2  # grid families: free at least this many rows

    def cells(self) -> Sequence[Sequence[int]]:
        if self.grid is None:
            return self.groups
        return [[i for col in row for i in col] for row in self.grid]


class Neighbourhoods:
    """Where one problem's neighbourhoods come from. ``decision`` lists the variable indices
    that are fixed outside a neighbourhood; :meth:`draw` gives a family name and the indices
    it frees; :meth:`feedback` hears how that sub-solve went; :meth:`moved` is told each new
    incumbent. The driver calls all three under one lock. ``tries`` counts, per family,
    [sub-solves, better rotas, solved to optimality]."""

    def __init__(self, decision: Sequence[int]) -> None:
        self.decision = list(decision)
        self.tries: dict[str, list[int]] = {}

    def can_draw(self) -> bool:
        return True

    def draw(self) -> tuple[str, set[int]]:
        raise NotImplementedError

    def moved(self, values: Sequence[int]) -> None:
        """A new incumbent (subclasses that draw around it look at it here)."""

    def feedback(self, name: str, optimal: bool, better: bool) -> None:
        t = self.tries.setdefault(name, [0, 0, 0])
        t[0] += 1
        t[1] += better
        t[2] += optimal


class FamilyNeighbourhoods(Neighbourhoods):
    """Neighbourhoods from :class:`Family` lists: a family at random, about a fraction of
    its groups (:func:`pick_neighbourhood`); the fraction starts at ``frac``, is multiplied by
    ``grow`` after a sub-solve proved optimal and by ``shrink`` after one that was not,
    within [0.02, 0.9]."""

    def __init__(
        self,
        families: Sequence[Family],
        rng: random.Random,
        frac: float = 0.2,
        grow: float = 1.15,
        shrink: float = 0.85,
    ) -> None:
        super().__init__(sorted({i for f in families for g in f.cells() for i in g}))
        self.rng, self.grow, self.shrink = rng, grow, shrink
        self.usable = [f for f in families if len(f.cells()) > 1]
        self.frac = {f.name: frac for f in families}

    def can_draw(self) -> bool:
        return bool(self.usable)

    def draw(self) -> tuple[str, set[int]]:
        fam = self.rng.choice(self.usable)
        return fam.name, pick_neighbourhood(fam, self.frac[fam.name], self.rng)

    def feedback(self, name: str, optimal: bool, better: bool) -> None:
        super().feedback(name, optimal, better)
        f = self.frac[name]
        self.frac[name] = min(0.9, f * self.grow) if optimal else max(0.02, f * self.shrink)


def pick_neighbourhood(fam: Family, frac: float, rng: random.Random) -> set[int]:
    """The variable indices one neighbourhood of ``fam`` frees: about ``frac`` of its groups
    (a random subset, or a run for ``window`` families), or of a ``grid`` family's rows and
    columns (random rows over a run of columns)."""
    if fam.grid is not None:
        rows, cols = len(fam.grid), len(fam.grid[0])
        side = frac**0.5
        kr = min(rows, max(fam.min_rows, round(side * rows)))
        kc = min(cols, max(1, round(side * cols)))
        c0 = rng.randrange(cols - kc + 1)
        return {
            i
            for r in rng.sample(range(rows), kr)
            for c in range(c0, c0 + kc)
            for i in fam.grid[r][c]
        }
    n = len(fam.groups)
    k = min(n - 1, max(1, round(frac * n)))
    if fam.window:
        s = rng.randrange(n - k + 1)
        chosen: Sequence[int] = range(s, s + k)
    else:
        chosen = rng.sample(range(n), k)
    return {i for c in chosen for i in fam.groups[c]}
