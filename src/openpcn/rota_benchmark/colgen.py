"""Column generation for the schedulingbenchmarks.org model: a strong bound and good rosters.

The rostering problem decomposes by employee: every hard rule concerns one employee, and only
the cover penalties link them. So a roster is one *pattern* (a feasible row: which shift on
which day) per employee, and the problem is a choice of one pattern each (the master).

* :class:`Master`: the linear relaxation of that choice over the patterns found so far
  (GLOP): one convexity row per employee (dual ``mu``), one row per cover requirement with
  under- and over-cover slacks at their weights (duals ``pi``).
* :class:`Pricer`: one employee's pricing problem, a small CP-SAT model with the employee's
  rules (:func:`openpcn.rota_benchmark.staff_rules.add_staff_rules`) minimising pattern cost
  minus the cover duals. Its negative reduced-cost patterns become new columns.
* :func:`generate`: alternates the two until no pattern prices out. With every pricing
  problem's lower bound, the Lagrangian bound ``LP + sum_e min(0, rc_e)`` is a valid lower
  bound on the whole problem at every iteration; at convergence it equals the LP value, which
  on these instances is within a few units of the best known rosters (instance 7: 1053.8
  against 1056).

Integer rosters from the relaxation, and the search that runs it all, are in
:mod:`openpcn.rota_benchmark.cg_search`.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from openpcn.rota_benchmark.format import Instance
from openpcn.rota_benchmark.staff_rules import add_staff_rules

Pattern = frozenset  # of (day, shift ID) worked
SCALE = 10_000  # pricing objective coefficients are duals x SCALE, rounded


class Pricer:
    """One employee's pricing problem: cheapest pattern under given cover duals."""

    def __init__(self, inst: Instance, st) -> None:
        self.inst, self.st = inst, st
        m = cp_model.CpModel()
        H, T = inst.horizon, inst.shift_ids
        self.cell = {(d, t): m.new_bool_var(f"x_{d}_{t}") for d in range(H) for t in T}
        add_staff_rules(m, inst, st, self.cell)
        self.model = m
        # Pattern cost = const + sum of coef over the cells worked (requests only).
        self.const = 0
        self.coef = dict.fromkeys(self.cell, 0)
        for r in inst.on_requests:
            if r.staff == st.id:
                self.const += r.weight
                self.coef[r.day, r.shift] -= r.weight
        for r in inst.off_requests:
            if r.staff == st.id:
                self.coef[r.day, r.shift] += r.weight
        # Largest rounding error of the scaled objective: one cell a day, 0.5 each.
        self.slack = inst.horizon * 0.5 / SCALE

    def cost(self, pat: Pattern) -> int:
        return self.const + sum(self.coef[k] for k in pat)

    def price(
        self, pi: dict, limit: float, seed: int = 0, keep: int = 5
    ) -> tuple[list[Pattern], float | None]:
        """Up to ``keep`` good patterns and a lower bound on min(cost - pi . pattern).

        The bound is None when the solve gave none (time out before any pattern); raises
        :class:`Infeasible` when the employee has no feasible pattern at all.
        """
        terms = []
        for k, v in self.cell.items():
            c = round(SCALE * (self.coef[k] - pi.get(k, 0.0)))
            if c:
                terms.append(c * v)
        self.model.minimize(sum(terms))
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.max_time_in_seconds = max(0.01, limit)
        p.num_workers = 1
        p.random_seed = seed
        p.linearization_level = 2
        found: list[Pattern] = []
        cells = self.cell

        class _Keep(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                found.append(Pattern(k for k, v in cells.items() if self.value(v)))

        status = solver.solve(self.model, _Keep())
        if status == cp_model.INFEASIBLE:
            raise Infeasible(self.st.id)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return found[-keep:], None
        return found[-keep:], self.const + solver.best_objective_bound / SCALE - self.slack


class Infeasible(Exception):
    """An employee has no pattern that keeps every hard rule."""


class Master:
    """LP relaxation of choosing one pattern per employee (restricted to known patterns)."""

    def __init__(self, inst: Instance, pricers: list[Pricer]) -> None:
        self.inst, self.pricers = inst, pricers
        lp = pywraplp.Solver.CreateSolver("GLOP")
        self.lp = lp
        self.obj = lp.Objective()
        self.obj.SetMinimization()
        self.conv = [lp.Add(lp.Sum([]) == 1, f"one_{st.id}") for st in inst.staff]
        self.rows: dict[tuple[int, str], list] = {}
        self.row_list: list[tuple[tuple[int, str], object, int]] = []  # key, row, requirement
        self.unders: list[tuple[object, int]] = []  # under-cover slack, its weight
        for c in inst.cover:
            under = lp.NumVar(0, lp.infinity(), "")
            self.unders.append((under, c.under_weight))
            over = lp.NumVar(0, lp.infinity(), "")
            row = lp.Add(under - over == c.requirement)
            self.obj.SetCoefficient(under, c.under_weight)
            self.obj.SetCoefficient(over, c.over_weight)
            self.rows.setdefault((c.day, c.shift), []).append(row)
            self.row_list.append(((c.day, c.shift), row, c.requirement))
        self.cols: list[list[tuple[Pattern, object]]] = [[] for _ in inst.staff]
        self.seen: list[set[Pattern]] = [set() for _ in inst.staff]

    def add(self, e: int, pat: Pattern) -> bool:
        if pat in self.seen[e]:
            return False
        self.seen[e].add(pat)
        v = self.lp.NumVar(0, 1, "")
        self.obj.SetCoefficient(v, self.pricers[e].cost(pat))
        self.conv[e].SetCoefficient(v, 1)
        for k in pat:
            for row in self.rows.get(k, ()):
                row.SetCoefficient(v, 1)
        self.cols[e].append((pat, v))
        return True

    def solve(self) -> tuple[float, list[float], list[float]]:
        """LP value, cover duals by cover row and convexity duals by employee."""
        self.lp.Solve()
        rows = [row.dual_value() for _, row, _ in self.row_list]
        return self.obj.Value(), rows, [c.dual_value() for c in self.conv]

    def by_cell(self, row_duals: list[float]) -> dict[tuple[int, str], float]:
        """Cover duals summed by (day, shift): what a pattern working that cell earns."""
        pi: dict[tuple[int, str], float] = {}
        for (key, _, _), v in zip(self.row_list, row_duals, strict=True):
            pi[key] = pi.get(key, 0.0) + v
        return pi

    def lagrangian(self, row_duals: list[float], lows: list[float]) -> float:
        """Lagrangian bound for cover duals inside the slack weights' box and, per employee,
        a lower bound on min over legal patterns of (cost - duals . pattern)."""
        fixed = sum(v * req for (_, _, req), v in zip(self.row_list, row_duals, strict=True))
        return fixed + sum(lows)

    def under_penalty(self) -> float:
        """The under-cover part of the last LP solution's value."""
        return sum(w * v.solution_value() for v, w in self.unders)

    def weights(self, e: int) -> list[tuple[Pattern, float]]:
        return [(pat, v.solution_value()) for pat, v in self.cols[e]]

    def heaviest(self, e: int) -> tuple[Pattern, object, float]:
        pat, v = max(self.cols[e], key=lambda c: c[1].solution_value())
        return pat, v, v.solution_value()


@dataclass
class CgState:
    lp: float | None = None
    bound: float = 0.0  # best Lagrangian lower bound on the whole objective
    iterations: int = 0
    converged: bool = False


def generate(
    master: Master,
    todo: list[int],
    *,
    deadline: float,
    workers: int,
    limit: float,
    state: CgState | None = None,
    max_iterations: int = 10_000,
    seed: int = 0,
    gap: float = 0.0,
    gap_after: float = 0.0,
) -> CgState:
    """Column generation for employees ``todo`` until no pattern prices out (or deadline).

    When ``todo`` is every employee and nothing is fixed, the Lagrangian bound of each
    iteration is recorded in ``state.bound`` (the best so far), and the search also stops
    once that bound is within ``gap`` (a share) of the LP value: the last rounds of column
    generation move the LP by fractions of a unit (instance 8: the last quarter of the time
    moves it from 1,296.9 to 1,296.6), time the rounding steps use better. That stop applies
    only from ``gap_after`` (perf_counter) on: small instances converge in a few seconds,
    and their converged LP gives RINS its best start and often proves a roster optimal.
    """
    state = state or CgState()
    everyone = len(todo) == len(master.pricers)
    pool = ThreadPoolExecutor(max(1, workers))
    try:
        # An employee without any pattern yet gets its cheapest one (requests only), so the
        # LP is feasible; raises Infeasible if the employee has no legal pattern at all.
        def price(e: int, pi: dict, lim: float) -> tuple[list[Pattern], float | None]:
            # each solve stops at the deadline: an employee priced too late gives no bound
            left = deadline - time.perf_counter()
            return master.pricers[e].price(pi, min(lim, left), seed) if left > 0.02 else ([], None)

        empty = [e for e in todo if not master.cols[e]]
        for e, (pats, _) in zip(empty, pool.map(lambda e: price(e, {}, limit), empty), strict=True):
            for pat in pats:
                master.add(e, pat)
        for _ in range(max_iterations):
            z, rows, mu = master.solve()
            state.lp = z
            left = deadline - time.perf_counter()
            if left <= 0.05:
                break
            state.iterations += 1
            pi = master.by_cell(rows)
            lim = min(limit, left)
            res = list(pool.map(lambda e, pi=pi, lim=lim: price(e, pi, lim), todo))
            added = 0
            for e, (pats, _) in zip(todo, res, strict=True):
                for pat in pats:
                    rc = master.pricers[e].cost(pat) - sum(pi.get(k, 0.0) for k in pat) - mu[e]
                    if rc < -1e-6 and master.add(e, pat):
                        added += 1
            lows = [low for _, low in res]
            if everyone and None not in lows:
                state.bound = max(state.bound, master.lagrangian(rows, lows))
            late = time.perf_counter() >= gap_after
            if added == 0 or (late and state.bound >= z - gap * abs(z)):
                state.converged = True
                break
        state.lp = master.solve()[0]  # the weights read next belong to the final LP
        return state
    finally:
        pool.shutdown()
