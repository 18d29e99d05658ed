"""Large neighbourhood search (LNS) around CP-SAT: the one driver every rota model uses.

CP-SAT's own LNS workers need more cores than the two we have, so this drives the search
itself. :func:`improve` repeatedly re-solves a copy of the model in which every decision
variable outside a neighbourhood is fixed to the incumbent, which is also the hint, so each
small solve starts from a feasible rota and can only keep or improve the objective; equal-cost
results are taken too (the search can walk plateaus). ``lanes`` threads do this side by side,
each sub-solve with ``workers`` CP-SAT workers.

What differs per problem is only where the neighbourhoods come from: a
:class:`~openpcn.rota.neighbourhoods.Neighbourhoods` draws them and learns from each
sub-solve (the pattern of ehrQL's ``base_sql`` with thin subclasses per database). The PCN
rota draws from :class:`~openpcn.rota.neighbourhoods.Family` lists; the benchmark's
rostering moves (:mod:`openpcn.rota_benchmark.roster_lns`) are another subclass.

:func:`full_solve` is the whole-model solve that comes first (a first rota and the lower
bound, stopped at a given time once a rota exists); :func:`solve_lns` puts the two together
for a model and its families. LNS cannot improve a bound, so a rota is only reported OPTIMAL
when its objective reaches the bound the full solve proved.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from openpcn.rota.neighbourhoods import Family, FamilyNeighbourhoods, Neighbourhoods

ProgressFn = Callable[[float, int, float], None]
Tune = Callable[[object], None] | None  # sets CP-SAT parameters (a SatParameters message)


@dataclass
class LnsResult:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, MODEL_INVALID
    objective: int | None
    best_bound: float | None
    values: list[int] | None  # value of every model variable, by index
    iterations: int = 0
    improvements: int = 0
    log: list[tuple[float, int]] = field(default_factory=list)  # (seconds, objective)
    tries: dict[str, list[int]] = field(default_factory=dict)  # family: [tries, better, optimal]
    phases: list[tuple[str, float, int | None]] = field(default_factory=list)  # name, end s, value


class Values:
    """Read a solution held as a list of values like a solved ``CpSolver`` (value, boolean)."""

    def __init__(self, values: Sequence[int]) -> None:
        self._v = values

    def value(self, var) -> int:
        i = var.index
        return 1 - self._v[-i - 1] if i < 0 else self._v[i]

    def boolean_value(self, lit) -> bool:
        return bool(self.value(lit))


def complete(model: cp_model.CpModel, seconds: float = 10.0, workers: int = 1) -> list[int] | None:
    """A value for every variable of ``model`` (typically with its decisions fixed, so that
    CP-SAT only completes or checks them); None if CP-SAT finds none."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = seconds
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution)


def fix(model: cp_model.CpModel, values: Iterable[tuple[int, int]]) -> None:
    """Fix each variable (index, value) of ``values`` to that value, in place."""
    variables = model.proto.variables
    for i, v in values:
        d = variables[i].domain
        d.clear()
        d.extend([v, v])


def objective_of(model: cp_model.CpModel, values: Sequence[int]) -> int:
    """The objective of ``model`` at ``values`` (a value for every variable)."""
    o = model.proto.objective
    total = sum(
        c * (values[v] if v >= 0 else 1 - values[-v - 1])
        for v, c in zip(o.vars, o.coeffs, strict=True)
    )
    return round((total + o.offset) * (o.scaling_factor or 1))


def set_hint(model: cp_model.CpModel, values: Sequence[int]) -> None:
    """Make ``values`` (a value for every variable) the only hint of ``model``."""
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(values)))
    model.proto.solution_hint.values.extend(values)


def solver_for(limit: float, workers: int, seed: int, tune: Tune = None) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.05, limit)
    p.num_workers = workers
    p.random_seed = seed
    if tune:
        tune(p)
    return solver


class _FirstPhase(cp_model.CpSolverSolutionCallback):
    """Logs and reports better rotas; once ``expire`` is called, stops at the first rota."""

    def __init__(self, start: float, fn: ProgressFn | None, log: list, solver) -> None:
        super().__init__()
        self.start, self.fn, self.log, self.solver = start, fn, log, solver
        self.expired = False
        self.found = False
        self.lock = threading.Lock()

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            if self.found:
                self.solver.stop_search()

    def on_solution_callback(self) -> None:
        t, obj = time.perf_counter() - self.start, round(self.objective_value)
        with self.lock:
            self.found = True
            better = not self.log or obj < self.log[-1][1]  # e.g. not worse than a given start
            if better:
                self.log.append((t, obj))
            if self.expired:
                self.stop_search()
        if self.fn and better:
            self.fn(t, obj, self.best_objective_bound)


@dataclass
class FullSolve:
    status: int  # CP-SAT's status
    name: str
    values: list[int] | None
    objective: int | None
    bound: float


def full_solve(
    model: cp_model.CpModel,
    *,
    limit: float,
    stop_at: float,
    start: float,
    log: list[tuple[float, int]],
    workers: int = 2,
    seed: int = 0,
    tune: Tune = None,
    progress: ProgressFn | None = None,
) -> FullSolve:
    """CP-SAT on the whole model for up to ``limit`` seconds, stopped at ``stop_at``
    (``perf_counter``) once a rota exists (else at its first rota). Better rotas are appended
    to ``log`` as (seconds since ``start``, objective) and given to ``progress``."""
    solver = solver_for(limit, workers, seed, tune)
    cb = _FirstPhase(start, progress, log, solver)
    timer = threading.Timer(max(0.0, stop_at - time.perf_counter()), cb.expire)
    timer.start()
    try:
        status = solver.solve(model, cb)
    finally:
        timer.cancel()
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return FullSolve(status, name, None, None, solver.best_objective_bound)
    values = list(solver.response_proto.solution)
    return FullSolve(
        status, name, values, round(solver.objective_value), solver.best_objective_bound
    )


def improve(
    model: cp_model.CpModel,
    hoods: Neighbourhoods,
    result: LnsResult,
    *,
    deadline: float,
    start: float,
    lanes: int = 1,
    workers: int = 1,
    seed: int = 0,
    sub_limit: float = 3.0,
    bound: float = -math.inf,
    tune_sub: Tune = None,
    progress: ProgressFn | None = None,
) -> LnsResult:
    """LNS from ``result.values`` (a solution of ``model``, objective ``result.objective``)
    until ``deadline`` (``perf_counter``) or ``bound``; updates ``result`` and returns it.

    Each of ``lanes`` threads draws a neighbourhood from ``hoods`` and re-solves with it
    free (``workers`` CP-SAT workers, at most ``sub_limit`` s, parameters set by
    ``tune_sub``). A better rota is taken at once; an equal one only if no other lane moved
    the incumbent meanwhile. Each better rota is logged (seconds since ``start``) and given
    to ``progress``."""
    rng = random.Random(seed)
    lock = threading.Lock()
    hoods.moved(result.values)

    def lane() -> None:
        while hoods.can_draw():
            left = deadline - time.perf_counter()
            if left < 0.2 or result.objective <= bound:
                return
            with lock:
                incumbent = result.values
                name, free = hoods.draw()
                sub_seed = rng.randrange(1 << 30)
            solver = solver_for(min(sub_limit, left - 0.1), workers, sub_seed, tune_sub)
            sub = _fixed_outside(model, hoods.decision, free, incumbent)
            status = solver.solve(sub)
            ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            new = round(solver.objective_value) if ok else None
            with lock:
                better = new is not None and new < result.objective
                hoods.feedback(name, status == cp_model.OPTIMAL, better)
                result.iterations += 1
                if new is None or new > result.objective:
                    continue
                if not better and result.values is not incumbent:
                    continue  # another lane moved the incumbent meanwhile; keep theirs
                result.values = list(solver.response_proto.solution)
                hoods.moved(result.values)
                if better:
                    result.objective = new
                    result.improvements += 1
                    result.log.append((time.perf_counter() - start, new))
                    if progress:
                        progress(result.log[-1][0], new, bound)

    if lanes <= 1:
        lane()
        return result
    threads = [threading.Thread(target=lane) for _ in range(lanes)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return result


def _fixed_outside(
    model: cp_model.CpModel, decision: Sequence[int], free: set[int], values: Sequence[int]
) -> cp_model.CpModel:
    """A copy of ``model`` with each decision variable not in ``free`` fixed to its value in
    ``values``, which is also the hint."""
    sub = model.clone()
    fix(sub, ((i, values[i]) for i in decision if i not in free))
    set_hint(sub, values)
    return sub


def solve_lns(
    model: cp_model.CpModel,
    families: Sequence[Family],
    *,
    time_limit: float,
    workers: int = 2,
    seed: int = 0,
    first_phase: float = 0.25,
    sub_limit: float = 3.0,
    start: float | None = None,
    progress: ProgressFn | None = None,
    tune_full: Tune = None,
    tune_sub: Tune = None,
    initial: Sequence[int] | None = None,
) -> LnsResult:
    """Minimise ``model``: a full solve for ``first_phase`` of the time, then LNS to the limit
    (one lane, sub-solves on ``workers`` workers, neighbourhoods from ``families``).

    ``start`` is the ``perf_counter`` time the caller's clock started (model building counts
    against ``time_limit``); ``progress(seconds, objective, bound)`` is called on each new best.
    ``initial`` (a value for every variable, e.g. from a constructive heuristic) must be a
    solution: it hints the full solve and is the incumbent if that solve finds nothing better.
    """
    start = time.perf_counter() if start is None else start
    deadline = start + time_limit
    log: list[tuple[float, int]] = []
    init_obj = None
    if initial is not None:
        initial = list(initial)
        init_obj = objective_of(model, initial)
        model = model.clone()
        set_hint(model, initial)
        log.append((time.perf_counter() - start, init_obj))
        if progress:
            progress(log[-1][0], init_obj, 0.0)
    first = full_solve(
        model,
        limit=deadline - time.perf_counter(),
        stop_at=start + first_phase * time_limit,
        start=start,
        log=log,
        workers=workers,
        seed=seed,
        tune=tune_full,
        progress=progress,
    )
    if first.values is None:
        if initial is None or first.status == cp_model.INFEASIBLE:
            return LnsResult(first.name, None, None, None, log=log)
        # stopped (time) before a rota of its own: the initial one, and the bound so far
        res = LnsResult("FEASIBLE", init_obj, first.bound, initial, log=log)
    else:
        res = LnsResult(first.name, first.objective, first.bound, first.values, log=log)
        if init_obj is not None and init_obj < first.objective:
            res.values, res.objective = initial, init_obj
    bound = first.bound
    if first.status == cp_model.OPTIMAL or res.objective <= bound:
        res.status = "OPTIMAL"
        return res
    hoods = FamilyNeighbourhoods(families, random.Random(seed))
    improve(
        model,
        hoods,
        res,
        deadline=deadline,
        start=start,
        workers=workers,
        seed=seed,
        sub_limit=sub_limit,
        bound=bound,
        tune_sub=tune_sub,
        progress=progress,
    )
    res.tries = hoods.tries
    res.status = "OPTIMAL" if res.objective <= bound else "FEASIBLE"
    return res
