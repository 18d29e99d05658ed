"""CP-SAT model of the schedulingbenchmarks.org staff-rostering problem (the standard model).

Variables: boolean ``x[e, d, t]`` (employee e works shift t on day d), at most one per day.

Hard constraints (per employee): days off; at most ``MaxShifts`` of each shift type; total
minutes within [MinTotalMinutes, MaxTotalMinutes]; at most ``MaxConsecutiveShifts`` working
days in any window of MaxConsecutiveShifts+1 days (sliding window); every working stretch at
least ``MinConsecutiveShifts`` long and every stretch of days off at least
``MinConsecutiveDaysOff`` long, except stretches touching the start or the end of the horizon
(forbidden-pattern clauses); at most ``MaxWeekends`` weekends (Saturday or Sunday) worked; no
forbidden succession (shift t on day d followed by a shift t cannot be followed by).

Objective (soft): sum of on-request weights not granted + off-request weights violated
+ cover shortfall x under-weight + cover excess x over-weight.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from openpcn.rota.lns import Values
from openpcn.rota_benchmark import cg_search, default
from openpcn.rota_benchmark.format import Instance, Roster
from openpcn.rota_benchmark.progress import ProgressFn, Reporter
from openpcn.rota_benchmark.staff_rules import add_staff_rules

METHODS = ("auto", "cg", "cpsat")


@dataclass
class CurtoisResult:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    objective: int | None
    best_bound: float | None
    seconds: float
    roster: Roster | None


@dataclass
class Parts:
    model: cp_model.CpModel
    x: dict  # (employee ID, day, shift ID) -> BoolVar
    objective: cp_model.LinearExpr
    cover_under: cp_model.LinearExpr  # the under-cover part of the objective (weighted)


def build_parts(inst: Instance) -> Parts:
    m = cp_model.CpModel()
    H = inst.horizon
    T = inst.shift_ids
    x: dict[tuple[str, int, str], cp_model.IntVar] = {}
    terms: list = []
    for st in inst.staff:
        e = st.id
        for d in range(H):
            for t in T:
                x[e, d, t] = m.new_bool_var(f"x_{e}_{d}_{t}")
        add_staff_rules(m, inst, st, {(d, t): x[e, d, t] for d in range(H) for t in T})
    for r in inst.on_requests:
        terms.append(r.weight * (1 - x[r.staff, r.day, r.shift]))
    for r in inst.off_requests:
        terms.append(r.weight * x[r.staff, r.day, r.shift])
    n = len(inst.staff)
    unders = []
    for c in inst.cover:
        under = m.new_int_var(0, c.requirement, f"under_{c.day}_{c.shift}")
        over = m.new_int_var(0, n, f"over_{c.day}_{c.shift}")
        m.add(sum(x[st.id, c.day, c.shift] for st in inst.staff) - c.requirement == over - under)
        terms.append(c.under_weight * under + c.over_weight * over)
        unders.append(c.under_weight * under)
    objective = sum(terms)
    m.minimize(objective)
    return Parts(m, x, objective, sum(unders))


def solve_instance(
    inst: Instance,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    linearization_level: int = 2,
    method: str = "auto",
    progress: ProgressFn | None = None,
) -> CurtoisResult:
    """Solve with CP-SAT; return status, objective, best bound, wall seconds and roster.

    ``method="auto"`` (the default, :mod:`openpcn.rota_benchmark.default`): a quick roster
    before the model is built (:mod:`openpcn.rota_benchmark.quick_roster`), then one of the
    two searches below, chosen from the instance's shape (``cg`` for few shift types,
    otherwise CP-SAT on the whole model hinted with the quick roster).
    ``method="cg"`` (:mod:`openpcn.rota_benchmark.cg_search`): a short full solve
    (which proves small instances optimal), column generation (a strong bound), rosters from
    its relaxation (RINS, a dive), then LNS from the best of them.
    ``method="cpsat"``: one CP-SAT solve of the whole model for the rest of the time (the
    baseline of the benchmark tables, and the tests' independent reference optimum).
    Every method's time runs from the call, model building included.
    ``progress(seconds, objective, bound)`` is called as the best roster or bound improves
    (seconds from the call, model building included).
    """
    start = time.perf_counter()
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    report = Reporter(start, progress)  # one monotone series across every phase
    quick = None
    if method == "auto":  # a first roster before the model is built (large ones take seconds)
        quick = default.quick_start(inst, start, time_limit, seed, on_roster=report.roster)
    parts = build_parts(inst)
    model, x = parts.model, parts.x
    if method in ("auto", "cg"):
        common = dict(
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            start=start,
            linearization_level=linearization_level,
            progress=lambda _t, objective, bound: report.roster(objective, bound),
        )
        if method == "auto":
            out = default.solve_default(inst, parts, quick=quick, **common)
        else:
            out = cg_search.solve_cg(inst, parts, **common)
        name, obj, bound = out.status, out.objective, out.best_bound
        sol = Values(out.values) if out.values is not None else None
    else:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, start + time_limit - time.perf_counter())
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.linearization_level = linearization_level
        status = solver.solve(model, _Progress(report) if progress else None)
        name = solver.status_name(status)
        ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        sol = solver if ok else None
        obj = round(solver.objective_value) if ok else None
        bound = solver.best_objective_bound if ok else None
    seconds = time.perf_counter() - start
    if sol is None:
        return CurtoisResult(name, None, None, seconds, None)
    roster: Roster = {}
    for st in inst.staff:
        roster[st.id] = [
            next((t for t in inst.shift_ids if sol.value(x[st.id, d, t])), None)
            for d in range(inst.horizon)
        ]
    return CurtoisResult(name, obj, bound, seconds, roster)


class _Progress(cp_model.CpSolverSolutionCallback):
    """Tells a :class:`Reporter` each roster a plain CP-SAT solve finds."""

    def __init__(self, report: Reporter) -> None:
        super().__init__()
        self.report = report

    def on_solution_callback(self) -> None:
        self.report.roster(round(self.objective_value), self.best_objective_bound)
