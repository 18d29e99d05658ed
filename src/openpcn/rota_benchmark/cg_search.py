"""The default search for benchmark instances: probe, column generation, rosters from the
relaxation, then the rostering LNS.

:func:`solve_cg` runs, in order: a short full CP-SAT solve (the probe), root column
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
from openpcn.rota_benchmark.lp_rosters import dive, rins, values_of


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
) -> LnsResult:
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

    def left() -> float:
        return deadline - time.perf_counter()

    def phase(name: str, value: int | None) -> None:
        out.phases.append((name, time.perf_counter() - start, value))
        if on_phase:
            on_phase(name, time.perf_counter() - start, value)

    out = _probe(model, start, time_limit, probe, workers, seed, linearization_level)
    log = out.log
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
            out,
            deadline=deadline,
            start=start,
            lanes=workers,
            seed=seed,
            bound=bound,
        )
        phase("lns", out.objective)
    out.status = "OPTIMAL" if out.objective <= bound else "FEASIBLE"
    return out


def _probe(model, start, time_limit, share, workers, seed, level) -> LnsResult:
    """CP-SAT on the whole model for ``share`` of the time (at least min(3 s, 25%)) or until
    a first roster. Status OPTIMAL when it proves the roster optimal (small instances);
    FEASIBLE when there is a roster to improve; otherwise CP-SAT's status and no roster."""
    log: list[tuple[float, int]] = []
    first = lns.full_solve(
        model,
        limit=start + time_limit - time.perf_counter(),
        stop_at=start + max(share * time_limit, min(3.0, 0.25 * time_limit)),
        start=start,
        log=log,
        workers=workers,
        seed=seed,
        tune=lambda p: setattr(p, "linearization_level", level),
    )
    if first.values is None:
        return LnsResult(first.name, None, None, None, log=log)
    proved = first.status == cp_model.OPTIMAL or first.objective <= first.bound
    status = "OPTIMAL" if proved else "FEASIBLE"
    return LnsResult(status, first.objective, first.bound, first.values, log=log)
