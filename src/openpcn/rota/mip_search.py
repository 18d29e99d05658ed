"""The HiGHS side of :mod:`openpcn.rota.mip_lns`: the LP, RENS and the neighbourhood search
with exact sub-MIPs, and HiGHS's branch and bound beside them (or on a small model whole).

:func:`run_search` runs in a process of its own (HiGHS can spend unbounded time in parts of
its presolve that never look at the clock; a process can be stopped, a thread cannot). It
sends what it finds through ``conn`` as it goes: ``("rota", x)`` for each better rota,
``("bound", b)`` for each better lower bound, ``("lp", ok)`` once the LP is solved (or not),
``("stats", iterations, tries)`` and finally ``("done",)``; ``("error", text)`` if it fails.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from openpcn.rota.highs_run import MANY, BranchAndBound, Highs
from openpcn.rota.mip import Mip
from openpcn.rota.neighbourhoods import Family, FamilyNeighbourhoods


class Incumbents:
    """The rotas found so far (each better than the last) and the lower bound. ``on_better``
    is called with (objective, x) for each better rota, ``on_bound`` with each better bound."""

    def __init__(
        self,
        mip: Mip,
        integral: bool,
        on_better: Callable[[int, np.ndarray], None] | None = None,
        on_bound: Callable[[float], None] | None = None,
    ) -> None:
        self.mip, self.integral = mip, integral
        self.on_better, self.on_bound = on_better, on_bound
        self.found: list[tuple[int, np.ndarray]] = []
        self.bound = -math.inf

    @property
    def incumbent(self) -> np.ndarray | None:
        return self.found[-1][1] if self.found else None

    @property
    def objective(self) -> float:
        return self.found[-1][0] if self.found else math.inf

    def raise_bound(self, bound: float) -> None:
        if math.isfinite(bound):
            bound = math.ceil(bound - 1e-6) if self.integral else bound
            if bound > self.bound:
                self.bound = bound
                if self.on_bound:
                    self.on_bound(bound)

    def take(self, x: np.ndarray | None) -> bool:
        """Keep ``x`` (rounded) if it is an exact solution better than the incumbent."""
        if x is None:
            return False
        x = np.round(np.asarray(x, dtype=float))
        if len(x) != self.mip.num_cols or self.mip.violation(x) > 1e-9:
            return False  # within HiGHS's tolerances only: not an exact rota
        obj = round(self.mip.objective(x))
        if obj >= self.objective:
            return False
        self.found.append((obj, x))
        if self.on_better:
            self.on_better(obj, x)
        return True


@dataclass
class Job:
    """What the search process is given (plain data: it is pickled to the process)."""

    mip: Mip
    decision: np.ndarray  # indices of the decision variables
    families: Sequence[Family]
    initial: np.ndarray | None
    deadline: float  # time.monotonic() (system-wide on Linux): when to stop
    seed: int
    sub_limit: float
    beside: bool  # HiGHS's branch and bound beside the search (a second core, time for it)
    integral: bool


def run_search(conn, stop, job: Job) -> None:
    """The search, in its own process; ``stop`` (an Event) asks it to end early."""
    try:
        _run(conn, stop, job)
        conn.send(("done",))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which falls back
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def solve_whole(mip: Mip, s: Incumbents, seed: int, limit: float) -> None:
    """HiGHS's branch and bound on the whole MIP from the incumbent, in this process (for
    small models: it proves them optimal in moments)."""
    optimal, x, dual = Highs(mip, seed).solve(limit, start=s.incumbent)
    s.raise_bound(dual)
    s.take(x)
    if optimal and s.found:
        s.raise_bound(s.objective)


def _run(conn, stop, job: Job) -> None:
    def left() -> float:
        return 0.0 if stop.is_set() else job.deadline - time.monotonic()

    mip = job.mip
    s = Incumbents(
        mip,
        job.integral,
        on_better=lambda obj, x: conn.send(("rota", x.astype(np.int32))),
        on_bound=lambda b: conn.send(("bound", b)),
    )
    if job.initial is not None:
        s.found.append((round(mip.objective(job.initial)), job.initial))  # the parent has it
    hs = Highs(mip, job.seed)
    bb = BranchAndBound(mip, job.seed + 1, left(), s.incumbent) if job.beside else None
    stats = _Stats()
    try:
        hs.set_integer(False)
        lp_ok, x_lp, lp_obj = hs.solve(left())
        hs.set_integer(True)
        conn.send(("lp", bool(lp_ok and x_lp is not None)))
        if not lp_ok or x_lp is None:
            return
        s.raise_bound(lp_obj)
        _first_rotas(hs, s, x_lp, job.decision, left, job.sub_limit)
        if s.found:
            _neighbourhoods(hs, job, s, bb, left, stats)
    finally:
        conn.send(("stats", stats.iterations, stats.tries))
        if bb:
            bb.finish()
            _from_branch_and_bound(s, bb)


@dataclass
class _Stats:
    iterations: int = 0
    tries: dict | None = None  # family: [tries, better, solved to optimality]


def _from_branch_and_bound(s: Incumbents, bb: BranchAndBound) -> bool:
    """The branch and bound's bound, and its rota if better; True once the incumbent is
    proved optimal."""
    s.raise_bound(bb.bound)
    got = bb.take()
    if got is not None:
        s.take(got[1])
    return s.objective <= s.bound


def _first_rotas(hs: Highs, s: Incumbents, x_lp: np.ndarray, decision, left, sub_limit) -> None:
    """RENS from the LP solution: fix the decision variables it has at 0 or 1; if that
    sub-MIP has no solution, fix only the zeros; with still no rota, the whole MIP until its
    first."""
    mip = hs.mip
    xd = x_lp[decision]
    for fixed in (decision[(xd < 1e-6) | (xd > 1 - 1e-6)], decision[xd < 1e-6]):
        lo, hi = mip.col_lower.copy(), mip.col_upper.copy()
        lo[fixed] = hi[fixed] = np.round(x_lp[fixed])
        optimal, x, _ = hs.solve(min(left(), 2 * sub_limit), lo, hi)
        if s.take(x) or (optimal and x is not None):
            return
    if not s.found:
        hs.h.setOptionValue("mip_max_improving_sols", 1)
        _, x, _ = hs.solve(left() / 2)
        hs.h.setOptionValue("mip_max_improving_sols", MANY)
        s.take(x)


def _neighbourhoods(hs: Highs, job: Job, s: Incumbents, bb, left, stats: _Stats) -> None:
    hoods = FamilyNeighbourhoods(
        job.families, random.Random(job.seed), frac=0.15, grow=1.2, shrink=0.8
    )
    mip, decision = hs.mip, job.decision
    position = {int(i): n for n, i in enumerate(decision)}
    stats.tries = hoods.tries
    while hoods.can_draw() and left() > 0.2 and s.objective > s.bound:
        if bb and _from_branch_and_bound(s, bb):
            break
        name, free = hoods.draw()
        incumbent = s.incumbent
        keep = np.ones(len(decision), dtype=bool)
        keep[[position[i] for i in free if i in position]] = False
        fixed = decision[keep]
        lo, hi = mip.col_lower.copy(), mip.col_upper.copy()
        lo[fixed] = hi[fixed] = incumbent[fixed]
        optimal, x, _ = hs.solve(min(job.sub_limit, left()), lo, hi, incumbent)
        better = s.take(x)
        if better and bb:
            bb.offer(s.incumbent)
        stats.iterations += 1
        hoods.feedback(name, bool(optimal), better)
