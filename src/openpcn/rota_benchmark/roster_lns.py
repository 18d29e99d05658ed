"""Rostering neighbourhoods for the rota engine's LNS driver, and roster arithmetic.

:func:`improve` runs :func:`openpcn.rota.lns.improve` with :class:`RosterMoves`:
``lanes`` threads (one CP-SAT worker each) repeatedly re-solve the model with every
employee-day outside a neighbourhood fixed to the incumbent roster. Neighbourhoods follow the
structure of rosters:

* ``staff``: a few employees over the whole horizon;
* ``block``: more employees over a window of 7-14 consecutive days;
* ``days``: everyone over a short window of days;
* ``cover``: around a day/shift whose cover is missed (or exceeded), a few employees who could
  take it (not already on that shift that day) and one who is on it, over a window of days;
* ``request``: around a request the roster does not grant, its employee and a few others,
  over a window of days.

Each family's size adapts: it grows when its sub-solve finished (proved optimal) and shrinks
when it ran out of time; families that recently improved the roster are drawn more often.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from ortools.sat.python import cp_model

from openpcn.rota import lns
from openpcn.rota.lns import LnsResult
from openpcn.rota.neighbourhoods import Neighbourhoods
from openpcn.rota_benchmark.format import Instance

Shifts = list[list[str | None]]  # shift (or None: off) per employee index and day


class RosterMoves(Neighbourhoods):
    """Draws neighbourhoods (sets of free (employee, day) cells) around the incumbent."""

    FAMILIES = ("staff", "block", "days", "cover", "request")

    def __init__(self, inst: Instance, x: dict, rng: random.Random) -> None:
        self.inst, self.x, self.rng = inst, x, rng
        self.n, self.h = len(inst.staff), inst.horizon
        self.grid = {
            (e, d): [x[st.id, d, t].index for t in inst.shift_ids]
            for e, st in enumerate(inst.staff)
            for d in range(self.h)
        }
        super().__init__([i for idx in self.grid.values() for i in idx])
        self.size = {"staff": 3.0, "block": 8.0, "days": 4.0, "cover": 7.0, "request": 7.0}
        self.lo = {"staff": 2, "block": 3, "days": 2, "cover": 3, "request": 3}
        h = self.h
        self.hi = {"staff": self.n - 1, "block": self.n, "days": h - 1, "cover": h, "request": h}
        self.score = dict.fromkeys(self.FAMILIES, 0.2)
        self.shifts: Shifts = []
        self.missed: list[tuple[int, str]] = []
        self.requests: list[tuple[int, int]] = []

    def moved(self, values: Sequence[int]) -> None:
        self.shifts = shifts(self.inst, self.x, values)
        self.missed = _missed(self.inst, self.shifts)
        self.requests = _requests(self.inst, self.shifts)

    def feedback(self, name: str, optimal: bool, better: bool) -> None:
        super().feedback(name, optimal, better)
        f = 1.12 if optimal else 0.88
        self.size[name] = min(self.hi[name], max(self.lo[name], self.size[name] * f))
        # Families that improve the roster are drawn more often (never below a floor).
        self.score[name] = 0.9 * self.score[name] + 0.1 * (1.0 if better else 0.0)

    def _k(self, fam: str) -> int:
        s = self.size[fam]
        k = int(s) + (1 if self.rng.random() < s - int(s) else 0)
        return min(self.hi[fam], max(self.lo[fam], k))

    def _window(self, length: int, centre: int | None = None) -> range:
        length = min(self.h, length)
        if centre is None:
            a = self.rng.randrange(self.h - length + 1)
        else:
            a = min(max(0, centre - self.rng.randrange(length)), self.h - length)
        return range(a, a + length)

    def draw(self) -> tuple[str, set[int]]:
        fam, cells = self.draw_cells()
        return fam, {i for cell in cells for i in self.grid[cell]}

    def draw_cells(self) -> tuple[str, set[tuple[int, int]]]:
        rng, n = self.rng, self.n
        fams = [
            f
            for f in self.FAMILIES
            if (f != "cover" or self.missed) and (f != "request" or self.requests)
        ]
        fam = rng.choices(fams, [0.05 + self.score[f] for f in fams])[0]
        k = self._k(fam)
        if fam == "staff":
            return fam, {(e, d) for e in rng.sample(range(n), k) for d in range(self.h)}
        if fam == "block":
            days = self._window(rng.randint(7, 14))
            return fam, {(e, d) for e in rng.sample(range(n), k) for d in days}
        if fam == "days":
            days = self._window(k)
            return fam, {(e, d) for e in range(n) for d in days}
        if fam == "request":
            e0, d = rng.choice(self.requests)
            days = self._window(k, d)
            others = rng.sample([e for e in range(n) if e != e0], min(n - 1, rng.randint(2, 5)))
            return fam, {(e, dd) for e in [e0, *others] for dd in days}
        d, t = rng.choice(self.missed)
        days = self._window(k, d)
        cand = [e for e in range(n) if self.shifts[e][d] != t]
        take = rng.sample(cand, min(len(cand), rng.randint(3, 6)))
        busy = [e for e in range(n) if self.shifts[e][d] == t]
        take += rng.sample(busy, min(len(busy), 1))
        return fam, {(e, dd) for e in take for dd in days}


def _missed(inst: Instance, shifts: Shifts) -> list[tuple[int, str]]:
    under, over = [], []
    for c in inst.cover:
        n = sum(1 for row in shifts if row[c.day] == c.shift)
        if n < c.requirement:
            under.append((c.day, c.shift))
        elif n > c.requirement:
            over.append((c.day, c.shift))
    return under or over


def _requests(inst: Instance, shifts: Shifts) -> list[tuple[int, int]]:
    """(employee index, day) of every request the roster does not grant."""
    pos = {st.id: e for e, st in enumerate(inst.staff)}
    out = [
        (pos[r.staff], r.day) for r in inst.on_requests if shifts[pos[r.staff]][r.day] != r.shift
    ]
    out += [
        (pos[r.staff], r.day) for r in inst.off_requests if shifts[pos[r.staff]][r.day] == r.shift
    ]
    return out


def shifts(inst: Instance, x: dict, values: Sequence[int]) -> Shifts:
    return [
        [
            next((t for t in inst.shift_ids if values[x[st.id, d, t].index]), None)
            for d in range(inst.horizon)
        ]
        for st in inst.staff
    ]


def penalty(inst: Instance, shifts: Shifts) -> tuple[int, int]:
    """(whole penalty, under-cover penalty) of a roster given as shift per employee and day."""
    pos = {st.id: e for e, st in enumerate(inst.staff)}
    total = sum(r.weight for r in inst.on_requests if shifts[pos[r.staff]][r.day] != r.shift)
    total += sum(r.weight for r in inst.off_requests if shifts[pos[r.staff]][r.day] == r.shift)
    under = 0
    for c in inst.cover:
        n = sum(1 for row in shifts if row[c.day] == c.shift)
        under += max(0, c.requirement - n) * c.under_weight
        total += max(0, n - c.requirement) * c.over_weight
    return total + under, under


def improve(
    inst: Instance,
    model: cp_model.CpModel,
    x: dict,
    out: LnsResult,
    *,
    deadline: float,
    start: float,
    lanes: int = 2,
    seed: int = 0,
    sub_limit: float = 0.5,
    bound: float = 0.0,
    progress=None,
) -> LnsResult:
    """LNS with :class:`RosterMoves` from ``out.values`` (a solution of ``model``) until
    ``deadline`` (perf_counter) or ``bound``; ``lanes`` one-worker sub-solves side by side;
    ``progress(seconds, objective, bound)`` on each better roster."""
    moves = RosterMoves(inst, x, random.Random(seed))
    lns.improve(
        model,
        moves,
        out,
        deadline=deadline,
        start=start,
        lanes=max(1, lanes),
        workers=1,
        seed=seed,
        sub_limit=sub_limit,
        bound=bound,
        tune_sub=_linear_level_1,
        progress=progress,
    )
    out.tries = moves.tries
    return out


def _linear_level_1(p) -> None:
    p.linearization_level = 1
