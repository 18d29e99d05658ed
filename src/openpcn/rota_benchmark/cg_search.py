"""The default search for benchmark instances: a greedy roster, probe, column generation,
rosters from the relaxation, then the rostering LNS.

:func:`solve_cg` runs, in order: a roster built one employee at a time
(:mod:`openpcn.rota_benchmark.greedy`), a short full CP-SAT solve (the probe), root column
generation (:mod:`openpcn.rota_benchmark.colgen`), RINS and dives
(:mod:`openpcn.rota_benchmark.lp_rosters`), then the rostering LNS
(:mod:`openpcn.rota_benchmark.roster_lns`, on the rota engine's LNS driver) from the best
roster to the deadline.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from openpcn.rota import lns
from openpcn.rota.lns import LnsResult
from openpcn.rota_benchmark import roster_lns
from openpcn.rota_benchmark.colgen import CgState, Infeasible, Master, Pattern, Pricer, generate
from openpcn.rota_benchmark.format import Instance, Roster
from openpcn.rota_benchmark.greedy import as_roster, greedy
from openpcn.rota_benchmark.lp_rosters import dive, rins, values_of
from openpcn.rota_benchmark.progress import ProgressFn, Reporter


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
    greedy_share: float = 0.1,
    on_phase: Callable[[str, float, int | None], None] | None = None,
    given: tuple[list[int], int] | None = None,
    progress: ProgressFn | None = None,
) -> LnsResult:
    """Greedy, probe, root column generation, RINS, dive, then LNS; times are shares of the
    limit.

    0. ``greedy_share``: a first roster one employee at a time (its first pass within
       min(1 s, 10%)), improved row by row (:mod:`openpcn.rota_benchmark.greedy`) until no
       row changes or the share is up; ``given`` ((model values, objective), e.g. the
       quick roster) replaces it when better. It hints the probe and is kept if nothing
       beats it.
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

    ``progress(seconds, objective, bound)`` is called whenever the best roster or the bound
    improves (:class:`openpcn.rota_benchmark.progress.Reporter`).
    """
    start = time.perf_counter() if start is None else start
    deadline = start + time_limit
    model, x = parts.model, parts.x

    def left() -> float:
        return deadline - time.perf_counter()

    phases: list[tuple[str, float, int | None]] = []  # the result's, once there is one

    def phase(name: str, value: int | None) -> None:
        phases.append((name, time.perf_counter() - start, value))
        if on_phase:
            on_phase(name, time.perf_counter() - start, value)

    report = Reporter(start, progress)
    pricers = [Pricer(inst, st) for st in inst.staff]
    first = greedy_start(inst, parts, pricers, start, time_limit, greedy_share, seed)
    if given is not None and (first is None or given[1] < first[1]):
        first = given  # the caller's roster (the quick roster) is better
    if first is not None:
        phase("greedy", first[1])
        report.roster(first[1])
    hint = first[0] if first else None
    out = _probe(
        model, start, time_limit, probe, workers, seed, linearization_level, hint, report.roster
    )
    log = out.log
    if out.status not in ("FEASIBLE", "OPTIMAL") and first is not None:
        out = LnsResult("FEASIBLE", first[1], 0, first[0], log=log)
    elif first is not None and out.status == "FEASIBLE" and first[1] < out.objective:
        out.values, out.objective = first[0], first[1]
    if first is not None and not log:
        log.append((time.perf_counter() - start, out.objective))
    phases[:0], out.phases = out.phases, phases
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
                report.roster(pen)

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
    report.bound_is(bound)
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
            out,
            deadline=deadline,
            start=start,
            lanes=workers,
            seed=seed,
            bound=bound,
            progress=lambda _t, objective, _b: report.roster(objective),
        )
        phase("lns", out.objective)
    out.status = "OPTIMAL" if out.objective <= bound else "FEASIBLE"
    return out


def greedy_start(inst, parts, pricers, start, time_limit, share, seed):
    """(the model's values, objective) of the one-employee-at-a-time roster
    (:mod:`openpcn.rota_benchmark.greedy`): its first pass within min(1 s, 10%) of the time,
    improved until ``share`` of it; None when it found no roster in time."""
    try:
        found = greedy(
            inst,
            pricers,
            first_by=start + min(1.0, 0.1 * time_limit),
            improve_until=start + share * time_limit,
            give_up_at=start + 0.5 * time_limit,  # then the full model gets the rest
            seed=seed,
        )
    except Infeasible:
        return None  # the probe reports it (the full model is infeasible too)
    if found is None:
        return None
    values = values_of(parts, inst, as_roster(inst, found[0]))
    return (values, found[1]) if values is not None else None


def hinted(model: cp_model.CpModel, values: list[int] | None) -> cp_model.CpModel:
    """The model with ``values`` as CP-SAT's solution hint (a copy: the LNS keeps its own)."""
    if values is None:
        return model
    hinted = model.clone()
    hint = hinted.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)
    return hinted


def _probe(
    model, start, time_limit, share, workers, seed, level, hint=None, report=None
) -> LnsResult:
    """CP-SAT on the whole model (hinted with ``hint``'s values, when given) for ``share`` of
    the time from now (at least min(3 s, 25%)) or, without a hint, until a first roster.
    Status OPTIMAL when it proves the roster optimal (small instances); FEASIBLE when there
    is a roster to improve; otherwise CP-SAT's status and no roster."""
    log: list[tuple[float, int]] = []
    now = time.perf_counter()
    deadline = start + time_limit
    stop_at = min(deadline, now + max(share * time_limit, min(3.0, 0.25 * time_limit)))
    first = lns.full_solve(
        hinted(model, hint),
        # with a roster in hand the probe never runs past its share
        limit=(stop_at if hint is not None else deadline) - now,
        stop_at=stop_at,
        start=start,
        log=log,
        workers=workers,
        seed=seed,
        tune=lambda p: setattr(p, "linearization_level", level),
        progress=(lambda _t, objective, bound: report(objective, bound)) if report else None,
    )
    if first.values is None:
        return LnsResult(first.name, None, None, None, log=log)
    proved = first.status == cp_model.OPTIMAL or first.objective <= first.bound
    status = "OPTIMAL" if proved else "FEASIBLE"
    return LnsResult(status, first.objective, first.bound, first.values, log=log)
