"""LP-guided large neighbourhood search with exact HiGHS sub-MIPs (decision 0009).

For a CP-SAT model that :func:`openpcn.rota.mip.to_mip` can translate:

1. **The LP relaxation** (HiGHS simplex) gives the lower bound (rounded up: the objective is
   integral) and a fractional rota. On the generated PCN-scale rota only ~3% of the decision
   variables are fractional in it.
2. **RENS**: every decision variable the LP has at 0 or 1 is fixed there and HiGHS solves the
   rest exactly (well under a second): the first rota, typically within 1.5% of the bound.
   When that sub-MIP has no solution, only the zeros are fixed; with still no rota (and no
   starting rota given), HiGHS solves the whole MIP until its first rota.
3. **LNS**: repeatedly fix every decision variable outside a neighbourhood (a few staff, a run
   of days, some roles over a run of days, the staff based at neighbouring sites: the
   engine's :class:`openpcn.rota.lns.Family` list) to the incumbent and solve the rest
   exactly with HiGHS, started from the incumbent, for at most ``sub_limit`` seconds. A
   neighbourhood solved to optimality grows its family's size, one cut off by time shrinks it.

With ``workers`` > 1, HiGHS's own branch and bound runs on the whole MIP beside all this
(:class:`openpcn.rota.highs_run.BranchAndBound`): its cuts raise the bound above the LP's
(seed 2 of the generated rota: 4,208 to 4,222 in ~35 s), and rotas pass both ways between it
and the search.

Small models (at most ``whole_below`` decision variables) are solved whole by HiGHS instead,
which proves optimality. Every rota HiGHS returns is rounded and checked against the MIP's rows
exactly; the one returned is also checked by CP-SAT against the original model with every
variable fixed (the translation is trusted only once CP-SAT agrees). When this route cannot
be taken (a constraint kind the translation refuses, no LP in time, no rota) it returns
``None`` and the caller searches with CP-SAT alone.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence

import numpy as np
from ortools.sat.python import cp_model

from openpcn.rota.highs_run import MANY, BranchAndBound, Highs
from openpcn.rota.lns import Family, LnsResult, pick_neighbourhood
from openpcn.rota.mip import Mip, integral_objective, to_mip

ProgressFn = Callable[[float, int, float], None]


def solve_mip_lns(
    model: cp_model.CpModel,
    families: Sequence[Family],
    *,
    time_limit: float,
    start: float | None = None,
    seed: int = 0,
    initial: Sequence[int] | None = None,
    progress: ProgressFn | None = None,
    sub_limit: float = 3.0,
    whole_below: int = 5000,
    workers: int = 2,
) -> LnsResult | None:
    """Minimise ``model`` by the LP, RENS and HiGHS sub-MIPs; ``None`` if this route fails.

    ``start`` is the ``perf_counter`` time the caller's clock started; ``initial`` (a solution
    of ``model``) is the incumbent if nothing better is found; ``progress(seconds, objective,
    bound)`` is called on each better rota.
    """
    start = time.perf_counter() if start is None else start
    deadline = start + time_limit
    reserve = 1.0  # for CP-SAT's check of the final rota

    def left() -> float:
        return deadline - reserve - time.perf_counter()

    try:
        mip = to_mip(model)
    except ValueError:
        return None
    decision = np.array(sorted({i for f in families for g in f.cells() for i in g}), dtype=int)
    integral = integral_objective(model)
    hs = Highs(mip, seed)
    s = _Search(mip, start, progress, integral)
    if initial is not None:
        s.take(np.asarray(initial, dtype=float))
    if len(decision) <= whole_below:
        optimal, x, dual = hs.solve(left(), start=s.incumbent)
        s.raise_bound(dual)
        s.take(x)
        if optimal and s.found:
            s.raise_bound(s.found[-1][0])
    else:
        bb = BranchAndBound(mip, seed + 1, left(), s.incumbent) if workers > 1 else None
        try:
            hs.set_integer(False)
            lp_ok, x_lp, lp_obj = hs.solve(left())
            hs.set_integer(True)
            if lp_ok and x_lp is not None:
                s.raise_bound(lp_obj)
                _first_rotas(hs, s, x_lp, decision, left, sub_limit)
            if s.found and lp_ok:
                _search(hs, families, decision, s, bb, left, seed, sub_limit)
        finally:
            if bb:
                bb.finish()
                s.from_branch_and_bound(bb)
        if not lp_ok:
            return None
    return s.result(model)


class _Search:
    """The incumbents found so far (each better than the last), the bound, the result."""

    def __init__(self, mip: Mip, start: float, progress: ProgressFn | None, integral: bool):
        self.mip, self.start, self.progress, self.integral = mip, start, progress, integral
        self.found: list[tuple[int, np.ndarray]] = []
        self.bound = -math.inf
        self.res = LnsResult("UNKNOWN", None, None, None)

    @property
    def incumbent(self) -> np.ndarray | None:
        return self.found[-1][1] if self.found else None

    @property
    def objective(self) -> float:
        return self.found[-1][0] if self.found else math.inf

    def raise_bound(self, bound: float) -> None:
        if math.isfinite(bound):
            bound = math.ceil(bound - 1e-6) if self.integral else bound
            self.bound = max(self.bound, bound)

    def take(self, x: np.ndarray | None) -> bool:
        """Keep ``x`` if it is an exact solution (rounded) better than the incumbent."""
        if x is None:
            return False
        x = np.round(x)
        if self.mip.violation(x) > 1e-9:
            return False  # within HiGHS's tolerances only: not an exact rota
        obj = round(self.mip.objective(x))
        if obj >= self.objective:
            return False
        self.found.append((obj, x))
        self.res.improvements += 1
        t = time.perf_counter() - self.start
        self.res.log.append((t, obj))
        if self.progress:
            self.progress(t, obj, self.bound)
        return True

    def from_branch_and_bound(self, bb: BranchAndBound) -> bool:
        """The branch and bound's bound, and its rota if better; True once the incumbent is
        proved optimal."""
        self.raise_bound(bb.bound)
        got = bb.take()
        if got is not None:
            self.take(got[1])
        return self.objective <= self.bound

    def result(self, model: cp_model.CpModel) -> LnsResult | None:
        res = self.res
        for obj, x in reversed(self.found):  # the best rota CP-SAT agrees with
            values = _checked(model, x)
            if values is not None:
                res.objective, res.values = obj, values
                break
        else:
            return None
        res.best_bound = min(self.bound, res.objective)
        res.status = "OPTIMAL" if res.objective <= self.bound else "FEASIBLE"
        return res


def _first_rotas(hs: Highs, s: _Search, x_lp: np.ndarray, decision, left, sub_limit) -> None:
    """RENS from the LP solution: fix the decision variables it has at 0 or 1; if that
    sub-MIP has no solution, fix only the zeros; with still no rota, the whole MIP until its
    first."""
    mip = hs.mip
    xd = x_lp[decision]
    for fixed in (decision[(xd < 1e-6) | (xd > 1 - 1e-6)], decision[xd < 1e-6]):
        lo, hi = mip.col_lower.copy(), mip.col_upper.copy()
        lo[fixed] = hi[fixed] = np.round(x_lp[fixed])
        optimal, x, _ = hs.solve(min(left(), 2 * sub_limit), lo, hi)
        better = s.take(x)
        if better or (optimal and x is not None):
            return
    if not s.found:
        hs.h.setOptionValue("mip_max_improving_sols", 1)
        _, x, _ = hs.solve(left() / 2)
        hs.h.setOptionValue("mip_max_improving_sols", MANY)
        s.take(x)


def _search(hs: Highs, families, decision, s: _Search, bb, left, seed, sub_limit) -> None:
    rng = random.Random(seed)
    mip = hs.mip
    frac = {f.name: 0.15 for f in families}
    usable = [f for f in families if len(f.cells()) > 1]
    position = {int(i): n for n, i in enumerate(decision)}
    res = s.res
    while usable and left() > 0.2 and s.objective > s.bound:
        if bb and s.from_branch_and_bound(bb):
            break
        fam = rng.choice(usable)
        free = pick_neighbourhood(fam, frac[fam.name], rng)
        incumbent = s.incumbent
        keep = np.ones(len(decision), dtype=bool)
        keep[[position[i] for i in free if i in position]] = False
        fixed = decision[keep]
        lo, hi = mip.col_lower.copy(), mip.col_upper.copy()
        lo[fixed] = hi[fixed] = incumbent[fixed]
        optimal, x, _ = hs.solve(min(sub_limit, left()), lo, hi, incumbent)
        better = s.take(x)
        if better and bb:
            bb.offer(s.incumbent)
        res.iterations += 1
        tries = res.tries.setdefault(fam.name, [0, 0, 0])
        tries[0] += 1
        tries[1] += better
        tries[2] += optimal
        f = frac[fam.name]
        frac[fam.name] = min(0.9, f * 1.2) if optimal else max(0.02, f * 0.8)


def _checked(model: cp_model.CpModel, x: np.ndarray) -> list[int] | None:
    """``x`` as a CP-SAT solution of ``model`` (every variable fixed), or None if CP-SAT says
    it is not one."""
    m = model.clone()
    m.clear_hints()
    for var, v in zip(m.proto.variables, x, strict=True):
        var.domain.clear()
        var.domain.extend([int(v), int(v)])
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = 10.0
    s.parameters.num_workers = 1
    if s.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(s.response_proto.solution)
