"""Running HiGHS on a :class:`openpcn.rota.mip.Mip`: one re-usable instance for the LP and the
sub-MIPs of a search (:class:`Highs`), and HiGHS's own branch and bound on the whole MIP in a
thread beside it (:class:`BranchAndBound`), for its bound and any rota it finds.

HiGHS releases the GIL while it solves, so a search in one thread and the branch and bound in
another use both cores.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence

import highspy
import numpy as np

from openpcn.rota.mip import Mip, highs_model

_OPTIMAL = highspy.HighsModelStatus.kOptimal
_FEASIBLE = 2  # HiGHS's solution status "feasible"
MANY = 2**31 - 1  # HiGHS's default for the most improving solutions before it stops


class Highs:
    """One HiGHS instance, re-used for every solve: only column bounds (and integrality)
    change between them."""

    def __init__(self, mip: Mip, seed: int) -> None:
        self.mip = mip
        self.h = highs_model(mip)
        self.h.setOptionValue("random_seed", seed)
        self.cols = np.arange(mip.num_cols, dtype=np.int32)
        self.integer = True

    def set_integer(self, integer: bool) -> None:
        self.integer = integer
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        n = self.mip.num_cols
        self.h.changeColsIntegrality(n, self.cols, np.full(n, kind))

    def solve(
        self,
        limit: float,
        lo: np.ndarray | None = None,
        hi: np.ndarray | None = None,
        start: np.ndarray | None = None,
    ) -> tuple[bool, np.ndarray | None, float]:
        """(solved to optimality, solution or None, lower bound) of the current model (for an
        LP the bound is its optimum; for a MIP, the dual bound HiGHS proved)."""
        h, mip = self.h, self.mip
        lo = mip.col_lower if lo is None else lo
        hi = mip.col_upper if hi is None else hi
        h.changeColsBounds(mip.num_cols, self.cols, lo, hi)
        h.setOptionValue("time_limit", max(0.05, limit))
        if start is not None:
            sol = highspy.HighsSolution()
            sol.col_value = np.asarray(start, dtype=float)
            sol.value_valid = True
            h.setSolution(sol)
        h.run()
        info = h.getInfo()
        optimal = h.getModelStatus() == _OPTIMAL
        feasible = info.primal_solution_status == _FEASIBLE
        x = np.array(h.getSolution().col_value) if feasible else None
        if self.integer:
            return optimal, x, info.mip_dual_bound
        return optimal, x, info.objective_function_value if optimal else -math.inf


class BranchAndBound:
    """HiGHS's branch and bound on the whole MIP in a thread, for ``limit`` seconds, from
    ``start``: ``bound`` (the dual bound proved so far: LP, cuts, branching), ``best`` (its
    best solution not yet taken, as ``(objective, x)``) and ``optimal`` once it has proved
    one. ``offer(x)`` gives it a better solution found elsewhere (HiGHS takes it at its next
    callback); ``finish()`` stops it and waits. HiGHS's LPs inside the branch and bound do not
    call back, so ``finish()`` during the root LP waits until that ends or ``limit`` is up."""

    def __init__(self, mip: Mip, seed: int, limit: float, start: Sequence[float] | None) -> None:
        self.lock = threading.Lock()
        self.bound = -math.inf
        self.best: tuple[float, np.ndarray] | None = None
        self.optimal = False
        self.error: str | None = None
        self._offered: np.ndarray | None = None
        self._stop = False
        self._args = (mip, seed, time.perf_counter() + limit, start)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def offer(self, x: np.ndarray) -> None:
        with self.lock:
            self._offered = np.asarray(x, dtype=float)

    def take(self) -> tuple[float, np.ndarray] | None:
        with self.lock:
            best, self.best = self.best, None
        return best

    def _run(self) -> None:
        mip, seed, deadline, start = self._args
        try:
            hs = Highs(mip, seed)
            h = hs.h
            h.cbMipImprovingSolution.subscribe(self._improving)
            h.cbMipInterrupt.subscribe(self._interrupt)
            h.cbMipUserSolution.subscribe(self._user_solution)
            optimal, x, dual = hs.solve(deadline - time.perf_counter(), start=start)
            with self.lock:
                if math.isfinite(dual):
                    self.bound = max(self.bound, dual)
                self.optimal = optimal
                if x is not None:
                    self.best = (mip.objective(x), x)
        except Exception as exc:  # noqa: BLE001 - a failed bound must not lose the search
            self.error = f"{type(exc).__name__}: {exc}"

    def _improving(self, e) -> None:
        x = np.array(e.data_out.mip_solution)
        with self.lock:
            self.best = (e.data_out.objective_function_value, x)

    def _interrupt(self, e) -> None:
        dual = e.data_out.mip_dual_bound
        if math.isfinite(dual):
            with self.lock:
                self.bound = max(self.bound, dual)
        if self._stop:
            e.interrupt()

    def _user_solution(self, e) -> None:
        with self.lock:
            offered, self._offered = self._offered, None
        if offered is not None:
            e.data_in.setSolution(offered)
            e.data_in.user_has_solution = True

    def finish(self) -> None:
        self._stop = True
        self.thread.join()
