"""Large neighbourhood search (LNS) around CP-SAT, shared by the rota models.

CP-SAT's own LNS workers need more cores than the two we have, so this drives the search
itself: a first full solve (which also gives the lower bound), then repeated small solves of a
copy of the model in which most decision variables are fixed to the incumbent rota and only a
neighbourhood (a few staff, or a few days/weeks for everyone) is free. The incumbent is the
hint of each small solve, so every small solve starts from a feasible rota and can only keep or
improve the objective. Neighbourhood sizes adapt: grown when a neighbourhood was searched to
optimality, shrunk when its solve ran out of time.

The lower bound is the one the full solve proved; LNS cannot improve a bound, so a rota is only
reported OPTIMAL when its objective reaches that bound. A starting solution from elsewhere (e.g.
a greedy heuristic) can be given as ``initial``: it is the first incumbent and hints the full
solve. Sub-solves are tuned by the caller (``tune_sub``; the PCN engine turns presolve off: on
a large, mostly fixed model it took longer than the sub-solve's whole time limit).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

ProgressFn = Callable[[float, int, float], None]


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


class Values:
    """Read a solution held as a list of values like a solved ``CpSolver`` (value, boolean)."""

    def __init__(self, values: Sequence[int]) -> None:
        self._v = values

    def value(self, var) -> int:
        i = var.index
        return 1 - self._v[-i - 1] if i < 0 else self._v[i]

    def boolean_value(self, lit) -> bool:
        return bool(self.value(lit))


class _Cb(cp_model.CpSolverSolutionCallback):
    """Reports solutions; once ``expire`` is called, stops the search at the first rota."""

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


def _objective(model: cp_model.CpModel, values: Sequence[int]) -> int:
    o = model.proto.objective
    total = sum(
        c * (values[v] if v >= 0 else 1 - values[-v - 1])
        for v, c in zip(o.vars, o.coeffs, strict=True)
    )
    return round((total + o.offset) * (o.scaling_factor or 1))


class _Background(cp_model.CpSolverSolutionCallback):
    """A full solve in a thread (one worker): a lower bound, and rotas for the LNS to take."""

    def __init__(self, model, hint: list[int], limit: float, seed: int, tune) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.objective: int | None = None
        self.values: list[int] | None = None
        self.bound = float("-inf")
        self.done = threading.Event()
        self.model = model.clone()
        self.model.clear_hints()
        h = self.model.proto.solution_hint
        h.vars.extend(range(len(hint)))
        h.values.extend(hint)
        self.solver = cp_model.CpSolver()
        _params(self.solver, limit, 1, seed, tune)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            st = self.solver.solve(self.model, self)
            if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self.bound = self.solver.best_objective_bound
        finally:
            self.done.set()

    def on_solution_callback(self) -> None:
        obj = round(self.objective_value)
        if self.objective is None or obj < self.objective:
            values = list(self.response_proto.solution)
            with self.lock:
                self.objective, self.values = obj, values

    def finish(self) -> None:
        if not self.done.is_set():
            self.solver.stop_search()
        self.thread.join()


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


def complete(model: cp_model.CpModel, seconds: float = 10.0, workers: int = 1) -> list[int] | None:
    """A value for every variable of ``model`` (typically with its decisions fixed, so that
    CP-SAT only completes or checks them); None if CP-SAT finds none."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = seconds
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(solver.response_proto.solution)


def _star(fn: Callable) -> Callable:
    return lambda a: fn(*a)


def _params(
    solver: cp_model.CpSolver, limit: float, workers: int, seed: int, tune: Callable | None
) -> None:
    p = solver.parameters
    p.max_time_in_seconds = max(0.05, limit)
    p.num_workers = workers
    p.random_seed = seed
    if tune:
        tune(p)


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
    tune_full: Callable | None = None,
    tune_sub: Callable | None = None,
    parallel: bool = False,
    bound_thread: bool = False,
    initial: Sequence[int] | None = None,
) -> LnsResult:
    """Minimise ``model``: a full solve for ``first_phase`` of the time, then LNS to the limit.

    ``start`` is the ``perf_counter`` time the caller's clock started (model building counts
    against ``time_limit``); ``progress(seconds, objective, bound)`` is called on each new best.
    With ``bound_thread`` (and ``workers`` >= 2), once the first solution is found a full solve
    of the model with one worker runs beside the LNS until the end (hinted with the incumbent):
    it keeps improving the lower bound (its LP) and any better rota it finds is taken over by
    the LNS, which runs on the other ``workers - 1`` workers.
    ``initial`` (a value for every variable, e.g. from a constructive heuristic) must be a
    solution: it hints the full solve and is the incumbent if that solve finds nothing better.
    """
    start = time.perf_counter() if start is None else start
    deadline = start + time_limit
    rng = random.Random(seed)
    log: list[tuple[float, int]] = []

    def left() -> float:
        return deadline - time.perf_counter()

    # Phase 1: the full model until ``first_phase`` of the time has passed and a rota exists.
    init_obj = None
    if initial is not None:
        initial = list(initial)
        init_obj = _objective(model, initial)
        model = model.clone()
        model.clear_hints()
        model.proto.solution_hint.vars.extend(range(len(initial)))
        model.proto.solution_hint.values.extend(initial)
        log.append((time.perf_counter() - start, init_obj))
        if progress:
            progress(log[-1][0], init_obj, 0.0)
    solver = cp_model.CpSolver()
    _params(solver, left(), workers, seed, tune_full)
    cb = _Cb(start, progress, log, solver)
    timer = threading.Timer(
        max(0.0, first_phase * time_limit - (time.perf_counter() - start)), cb.expire
    )
    timer.start()
    try:
        status = solver.solve(model, cb)
    finally:
        timer.cancel()
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if initial is None or status == cp_model.INFEASIBLE:
            return LnsResult(name, None, None, None, log=log)
        # stopped (time) before a rota of its own: the initial one, and the bound so far
        name, best, obj = "FEASIBLE", initial, init_obj
        bound = solver.best_objective_bound
    else:
        best = list(solver.response_proto.solution)
        obj = round(solver.objective_value)
        bound = solver.best_objective_bound
        if init_obj is not None and init_obj < obj:
            best, obj = initial, init_obj
    res = LnsResult(name, obj, bound, best, log=log)
    if status == cp_model.OPTIMAL or obj <= bound:
        res.status = "OPTIMAL"
        return res
    bg = _Background(model, best, left(), seed, tune_full) if bound_thread and workers > 1 else None
    if bg:
        workers = workers - 1
    decision = sorted({i for f in families for g in f.cells() for i in g})
    frac = {f.name: 0.2 for f in families}
    usable = [f for f in families if len(f.cells()) > 1]
    lanes = max(1, workers) if parallel else 1
    per_lane = 1 if parallel else workers

    def neighbourhood() -> tuple[Family, set[int]]:
        fam = rng.choice(usable)
        return fam, pick_neighbourhood(fam, frac[fam.name], rng)

    def sub_solve(free: set[int], incumbent: list[int], limit: float, sd: int):
        sub = model.clone()
        proto = sub.proto
        for i in decision:
            if i not in free:
                d = proto.variables[i].domain
                d.clear()
                d.extend([incumbent[i], incumbent[i]])
        sub.clear_hints()
        hint = proto.solution_hint
        hint.vars.extend(range(len(incumbent)))
        hint.values.extend(incumbent)
        s2 = cp_model.CpSolver()
        _params(s2, limit, per_lane, sd, tune_sub)
        st = s2.solve(sub)
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return st, round(s2.objective_value), list(s2.response_proto.solution)
        return st, None, None

    pool = ThreadPoolExecutor(lanes) if lanes > 1 else None
    try:
        while usable and left() > 0.2:
            if bg and bg.objective is not None and bg.objective < obj:
                with bg.lock:
                    obj, best = bg.objective, bg.values
                res.improvements += 1
                t = time.perf_counter() - start
                log.append((t, obj))
                if progress:
                    progress(t, obj, bound)
            if bg and bg.done.is_set():
                bound = max(bound, bg.bound)
                if obj <= bound:
                    break
            moves = [neighbourhood() for _ in range(lanes)]
            limit = min(sub_limit, left())
            args = [(free, best, limit, rng.randrange(1 << 30)) for _, free in moves]
            outs = (
                [sub_solve(*a) for a in args]
                if pool is None
                else list(pool.map(_star(sub_solve), args))
            )
            for (fam, _), (st, new, _sol) in zip(moves, outs, strict=True):
                res.iterations += 1
                t3 = res.tries.setdefault(fam.name, [0, 0, 0])
                t3[0] += 1
                t3[1] += new is not None and new < obj
                t3[2] += st == cp_model.OPTIMAL
                if st == cp_model.OPTIMAL:
                    frac[fam.name] = min(0.9, frac[fam.name] * 1.15)
                else:
                    frac[fam.name] = max(0.02, frac[fam.name] * 0.85)
            found = [(new, sol) for st, new, sol in outs if new is not None and new <= obj]
            if found:
                new, sol = min(found, key=lambda f: f[0])
                best = sol
                if new < obj:
                    obj = new
                    res.improvements += 1
                    t = time.perf_counter() - start
                    log.append((t, obj))
                    if progress:
                        progress(t, obj, bound)
                    if obj <= bound:
                        break
    finally:
        if pool:
            pool.shutdown()
        if bg:
            bg.finish()
    if bg:
        bound = max(bound, bg.bound)
        if bg.objective is not None and bg.objective < obj:
            obj, best = bg.objective, bg.values
            res.improvements += 1
            log.append((time.perf_counter() - start, obj))
        res.best_bound = bound
    res.objective, res.values = obj, best
    res.status = "OPTIMAL" if obj <= bound else "FEASIBLE"
    return res
