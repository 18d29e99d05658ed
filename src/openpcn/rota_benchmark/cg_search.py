"""Rosters from the column generation relaxation, and the search built on them.

* :func:`rins` fixes the employee-days on which every pattern in the LP solution agrees and
  lets CP-SAT solve the rest of the whole model;
* :func:`dive` repeatedly fixes the employees whose patterns carry the most weight and
  re-generates columns for the others, until everyone has a pattern, then lets CP-SAT
  re-solve the employees fixed last (:func:`subsolve`, cover first);
* :func:`solve_cg` runs them in order (probe, root column generation of
  :mod:`openpcn.rota_benchmark.colgen`, RINS, dives, then the rostering LNS of
  :mod:`openpcn.rota_benchmark.roster_lns` from the best roster to the deadline).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from openpcn.rota.lns import complete
from openpcn.rota_benchmark import roster_lns
from openpcn.rota_benchmark.colgen import (
    CgState,
    Infeasible,
    Master,
    Pattern,
    Pricer,
    generate,
)
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


def solve_cg(
    inst: Instance,
    parts,
    *,
    time_limit: float,
    workers: int = 2,
    seed: int = 0,
    start: float | None = None,
    probe: float = 0.05,
    root_until: float = 0.45,
    rins_share: float = 0.03,
    dive_until: float = 0.95,
    complete_share: float = 0.2,
    again_for: float = 0.2,
    early_step: int = 3,
    free_at_end: float = 1 / 3,
    pricing_limit: float = 2.0,
    root_gap: float = 0.002,
    root_gap_after: float = 0.25,
    linearization_level: int = 2,
    on_phase: Callable[[str, float, int | None], None] | None = None,
) -> roster_lns.LnsOutcome:
    """Probe, root column generation, RINS, dive, then LNS; times are shares of the limit.

    1. ``probe``: the whole model by CP-SAT for that share (at least min(3 s, 25%)) or until
       a first roster: small instances are proved optimal here.
    2. Root column generation until it converges, its Lagrangian bound is within
       ``root_gap`` of the LP (once ``root_gap_after`` of the time has passed), or
       ``root_until``; that bound becomes the reported bound
       (rounded up: penalties are integers).
    3. :func:`rins` for ``rins_share`` of the time, 4. :func:`dive` until ``dive_until``
       (re-solving for up to ``complete_share`` of the time); again, in another order, while
       the best roster misses more cover than the relaxation and ``again_for`` of the time
       is left before ``dive_until``,
    5. the rostering LNS (:func:`openpcn.rota_benchmark.roster_lns.improve`) from the best roster
       found, stopping early if it reaches the bound.
    """
    start = time.perf_counter() if start is None else start
    deadline = start + time_limit
    model, x = parts.model, parts.x
    log: list[tuple[float, int]] = []

    def left() -> float:
        return deadline - time.perf_counter()

    def phase(name: str, value: int | None) -> None:
        out.phases.append((name, time.perf_counter() - start, value))
        if on_phase:
            on_phase(name, time.perf_counter() - start, value)

    out = roster_lns.run_probe(
        model, start, time_limit, probe, workers, seed, linearization_level, log
    )
    if out.status != "FEASIBLE":
        return out
    values, bound = out.values, out.best_bound
    phase("probe", out.objective)

    def under() -> int:
        return roster_lns.penalty(inst, roster_lns.shifts(inst, x, out.values))[1]

    def consider(roster: Roster | None, label: str) -> None:
        if roster is None:
            return
        shifts = [roster[st.id] for st in inst.staff]
        pen = roster_lns.penalty(inst, shifts)[0]
        phase(label, pen)
        if pen < out.objective:
            vals = values_of(parts, inst, roster)
            if vals is not None:
                out.values, out.objective = vals, pen
                log.append((time.perf_counter() - start, pen))

    pricers = [Pricer(inst, st) for st in inst.staff]
    master = Master(inst, pricers)
    incumbent = roster_lns.shifts(inst, x, values)
    for e in range(len(inst.staff)):  # the probe's roster: the master is never empty
        master.add(e, Pattern((d, t) for d, t in enumerate(incumbent[e]) if t is not None))
    try:
        state = generate(
            master,
            list(range(len(pricers))),
            deadline=start + root_until * time_limit,
            workers=workers,
            limit=pricing_limit,
            seed=seed,
            gap=root_gap,
            gap_after=start + root_gap_after * time_limit,
        )
    except Infeasible:  # cannot happen once the probe found a roster; kept for safety
        state = CgState()
    bound = max(bound, math.ceil(state.bound - 1e-6))
    out.best_bound = bound
    phase("columns", math.ceil(state.lp) if state.lp is not None else None)
    if out.objective > bound and state.lp is not None and left() > 0.5:
        consider(
            rins(
                master,
                parts,
                limit=min(left(), rins_share * time_limit),
                workers=workers,
                seed=seed,
                bound=bound,
            ),
            "rins",
        )
    # Dives until one misses no more cover than the relaxation (or time for another is short):
    # a dive that misses one cover too many is rarely repaired by local moves afterwards.
    cover_target = master.under_penalty() if state.lp is not None else None
    dive_end = start + dive_until * time_limit
    attempt = 0
    while out.objective > bound and state.lp is not None and left() > 0.5:
        if attempt and (
            dive_end - time.perf_counter() < again_for * time_limit
            or under() <= cover_target + 1e-6
        ):
            break
        complete_for = min(complete_share * time_limit, 0.5 * (dive_end - time.perf_counter()))
        consider(
            dive(
                master,
                parts,
                bound=bound,
                complete_for=complete_for,
                early_step=early_step,
                free_at_end=free_at_end,
                deadline=dive_end,
                workers=workers,
                limit=min(0.5, pricing_limit),
                seed=seed + attempt,
                cover_target=cover_target,
                rng=random.Random(seed + attempt) if attempt else None,
            ),
            "dive",
        )
        attempt += 1
    if left() > 0.3 and out.objective > bound:
        roster_lns.improve(
            inst,
            model,
            x,
            out.values,
            out.objective,
            deadline=deadline,
            lanes=workers,
            seed=seed,
            bound=bound,
            out=out,
            start=start,
        )
        phase("lns", out.objective)
    out.status = "OPTIMAL" if out.objective <= bound else "FEASIBLE"
    return out
