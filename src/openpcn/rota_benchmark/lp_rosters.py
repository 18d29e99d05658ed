"""Integer rosters from the column generation relaxation of :mod:`openpcn.rota_benchmark.colgen`.

* :func:`rins` fixes the employee-days on which every pattern in the LP solution agrees and
  lets CP-SAT solve the rest of the whole model;
* :func:`dive` repeatedly fixes the employees whose patterns carry the most weight and
  re-generates columns for the others, until everyone has a pattern, then lets CP-SAT
  re-solve the employees fixed last (:func:`subsolve`, cover first).

The search that runs them in order is :func:`openpcn.rota_benchmark.cg_search.solve_cg`.
"""

from __future__ import annotations

import math
import random
import time

from ortools.sat.python import cp_model

from openpcn.rota.lns import complete
from openpcn.rota_benchmark.colgen import CgState, Master, Pattern, generate
from openpcn.rota_benchmark.format import Instance, Roster


class _StopAt(cp_model.CpSolverSolutionCallback):
    """Stops a solve as soon as a solution's objective is at or below ``target``."""

    def __init__(self, target: float) -> None:
        super().__init__()
        self.target = target

    def on_solution_callback(self) -> None:
        if self.objective_value <= self.target + 1e-6:
            self.stop_search()


def subsolve(
    parts,
    inst: Instance,
    fix: dict[tuple[int, int], str | None],
    hint: list[Pattern],
    *,
    limit: float,
    workers: int,
    seed: int,
    floor: int = 0,
    cover_first: float | None = None,
    cover_share: float = 0.5,
) -> Roster | None:
    """CP-SAT on the whole model with the employee-days in ``fix`` fixed to the given shift
    (None: day off), every employee hinted with a pattern, and the objective kept at or above
    ``floor`` (a known lower bound, so the solve can stop as soon as it reaches it).

    With ``cover_first`` (an under-cover penalty to aim for, e.g. the relaxation's), the solve
    is lexicographic: first the under-cover penalty alone, for up to ``cover_share`` of the
    time or until it reaches ``cover_first``; then, if it did, the whole objective with the
    under-cover penalty kept there (if not, the first step's roster is returned at once).
    Missed cover costs 100 a unit against 1-10 for requests, and the first step finds the
    rosters that miss the fewest covers far more often than the whole objective does in the
    same time (instance 8, same dives: 3 runs in 4 against 2).
    """
    t0 = time.perf_counter()
    H, T = inst.horizon, inst.shift_ids
    model = parts.model.clone()
    x = parts.x
    for e, st in enumerate(inst.staff):
        for d in range(H):
            for t in T:
                v = model.get_bool_var_from_proto_index(x[st.id, d, t].index)
                if (e, d) in fix:
                    model.add(v == int(fix[e, d] == t))
                model.add_hint(v, int((d, t) in hint[e]))

    def read(solver: cp_model.CpSolver) -> Roster:
        return {
            st.id: [next((t for t in T if solver.value(x[st.id, d, t])), None) for d in range(H)]
            for st in inst.staff
        }

    def solver_for(seconds: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.max_time_in_seconds = max(0.05, seconds)
        p.num_workers = workers
        p.random_seed = seed
        return solver

    if cover_first is not None:
        first = model.clone()
        first.minimize(parts.cover_under)
        solver = solver_for(limit * cover_share)
        if solver.solve(first, _StopAt(cover_first)) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if solver.objective_value > cover_first + 1e-6:
                return read(solver)  # short of the aim: the caller can try elsewhere
            model.add(parts.cover_under <= round(solver.objective_value))
            model.clear_hints()
            for i, value in enumerate(solver.response_proto.solution):
                model.proto.solution_hint.vars.append(i)
                model.proto.solution_hint.values.append(value)
    if floor > 0:
        model.add(parts.objective >= floor)
    solver = solver_for(limit - (time.perf_counter() - t0))
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return read(solver)


def rins(
    master: Master, parts, *, limit: float, workers: int, seed: int, bound: float
) -> Roster | None:
    """CP-SAT on the whole model with every employee-day fixed where the LP's patterns agree."""
    inst = master.inst
    fix: dict[tuple[int, int], str | None] = {}
    for e in range(len(inst.staff)):
        active = [pat for pat, w in master.weights(e) if w > 1e-6]
        for d in range(inst.horizon):
            worked = {next((t for t in inst.shift_ids if (d, t) in pat), None) for pat in active}
            if len(worked) == 1:
                fix[e, d] = worked.pop()
    hint = [master.heaviest(e)[0] for e in range(len(inst.staff))]
    return subsolve(
        parts,
        inst,
        fix,
        hint,
        limit=limit,
        workers=workers,
        seed=seed,
        floor=math.ceil(bound - 1e-6),
    )


def dive(
    master: Master,
    parts,
    *,
    deadline: float,
    workers: int,
    limit: float,
    seed: int = 0,
    integral: float = 0.99,
    early_step: int = 3,
    free_at_end: float = 1 / 3,
    complete_for: float = 10.0,
    bound: float = 0.0,
    step_iterations: int = 2,
    cover_target: float | None = None,
    rng: random.Random | None = None,
) -> Roster | None:
    """Depth-first rounding of the relaxation with column generation at every step, then an
    exact completion.

    Each step fixes every employee whose heaviest pattern already carries the whole weight
    (at least ``integral``) and the one fractional employee whose heaviest pattern carries the
    most, then re-generates columns for the employees still free, until everyone is fixed
    (once ``complete_for`` seconds before the deadline, everyone left takes their heaviest
    pattern). The relaxation of the last few free employees is weak, so the last fixings lose
    the most: CP-SAT then re-solves (:func:`subsolve`, hinted with the dive's roster) the
    ``free_at_end`` share of the staff fixed last, for up to ``complete_for`` seconds, cover
    first (aiming at the relaxation's under-cover penalty), then the whole objective.

    ``step_iterations`` pricing rounds follow each fixing: two leave the LP close enough to
    guide the next fixing and finish the dive on instance 8 in ~9 s (fifteen took ~30 s and
    ran out of time with a quarter of the staff left to round at once, which the re-solve
    could rarely repair).

    With ``rng`` the fractional employees are taken in a shuffled order (weights scaled by
    0.6-1.0 at random), for a different roster on a second dive. The dive leaves the master
    as it found it, with the columns it generated added.
    """
    inst = master.inst
    master.solve()  # the weights read below belong to this LP
    if cover_target is None:
        cover_target = master.under_penalty()
    n = len(inst.staff)
    pinned: list = []  # the LP columns fixed to 1, released when the rounding ends
    try:
        fixed, order = _round(
            master,
            pinned,
            until=deadline - complete_for,
            integral=integral,
            early_step=early_step,
            step_iterations=step_iterations,
            workers=workers,
            limit=limit,
            seed=seed,
            rng=rng,
        )
    finally:
        for v in pinned:
            v.SetLb(0)
    # The re-solve frees the last ``free_at_end`` fixed, including those rounded at once when
    # time ran out.
    frozen = set(order[: n - max(1, int(n * free_at_end))])
    hint = [fixed[e] for e in range(n)]
    fix = {
        (e, d): next((t for t in inst.shift_ids if (d, t) in fixed[e]), None)
        for e in frozen
        for d in range(inst.horizon)
    }
    left = deadline - time.perf_counter()
    return subsolve(
        parts,
        inst,
        fix,
        hint,
        limit=min(left, complete_for) if left > 0.5 else 0.5,
        workers=workers,
        seed=seed,
        floor=math.ceil(bound - 1e-6),
        cover_first=cover_target,
    )


def _round(
    master: Master,
    pinned: list,
    *,
    until: float,
    integral: float,
    early_step: int,
    step_iterations: int,
    workers: int,
    limit: float,
    seed: int,
    rng: random.Random | None,
) -> tuple[dict[int, Pattern], list[int]]:
    """The dive's fixing steps: a pattern per employee, and the order they were fixed in."""
    n = len(master.inst.staff)
    fixed: dict[int, Pattern] = {}
    order: list[int] = []
    state = CgState()
    while len(fixed) < n:
        noise = {e: rng.uniform(0.6, 1.0) if rng else 1.0 for e in range(n)}
        cand = sorted(
            ((master.heaviest(e), e) for e in range(n) if e not in fixed),
            key=lambda c: -c[0][2] * (1.0 if c[0][2] >= integral else noise[c[1]]),
        )
        take = [c for c in cand if c[0][2] >= integral]
        # One fractional employee at a time, or ``early_step`` while over half are free
        # (the relaxation hardly moves in the first fixings).
        step = early_step if 2 * (n - len(fixed)) > n else 1
        take += cand[len(take) : len(take) + step]
        if until - time.perf_counter() <= 0:
            take = cand  # out of time: everyone left takes their heaviest pattern
        for (pat, v, _), e in take:
            fixed[e] = pat
            order.append(e)
            v.SetLb(1)
            pinned.append(v)
        todo = [e for e in range(n) if e not in fixed]
        if todo:
            generate(
                master,
                todo,
                deadline=until,
                workers=workers,
                limit=limit,
                state=state,
                max_iterations=step_iterations,
                seed=seed,
            )
    return fixed, order


def values_of(parts, inst: Instance, roster: Roster) -> list[int] | None:
    """Every variable of the whole model for ``roster`` (a quick solve with x fixed)."""
    model = parts.model.clone()
    for st in inst.staff:
        for d, worked in enumerate(roster[st.id]):
            for t in inst.shift_ids:
                v = model.get_bool_var_from_proto_index(parts.x[st.id, d, t].index)
                model.add(v == int(t == worked))
    return complete(model)
