"""CP-SAT on the whole model to the deadline, hinted with rows built one employee at a time.

The search the adaptive default (:mod:`openpcn.rota_benchmark.default`) chooses for shapes
where CP-SAT's own search beats column generation: the same model and parameters as the
plain baseline, with the deadline counted from the call (model building included, so the
time limit is kept) and every better roster reported. Before it, for a short share of the
time, each employee in turn gets the row their own pricing problem chooses against the rows
already chosen (:func:`first_rows`, the first pass of :mod:`openpcn.rota_benchmark.greedy`,
but stopping when its time is up): the rows found are CP-SAT's solution hint. A partial hint
still helps (CP-SAT completes it); on the development set a whole one turned a 20 s result
of 6,255 into 56 (seed 1018).
"""

from __future__ import annotations

import time
from collections import Counter

from ortools.sat.python import cp_model

from openpcn.rota import lns
from openpcn.rota.lns import LnsResult
from openpcn.rota_benchmark.colgen import Infeasible, Pattern, Pricer
from openpcn.rota_benchmark.format import Instance
from openpcn.rota_benchmark.greedy import as_roster, penalty, prices
from openpcn.rota_benchmark.lp_rosters import values_of
from openpcn.rota_benchmark.progress import ProgressFn, Reporter

GIVE_UP_AFTER = 4  # employees tried before a pass that finds few rows stops


def first_rows(
    inst: Instance, until: float, seed: int = 0
) -> tuple[dict[int, Pattern], int | None]:
    """(row per employee index, the roster's objective when every employee has one) for as
    many employees, in staff order, as there is time for until ``until`` (``perf_counter``);
    each employee's row is priced against the rows chosen before it. An employee whose
    pricing problem finds no row in its share of the time (or has none) is left out; once
    half of at least :data:`GIVE_UP_AFTER` employees are left out, the pass stops (on the
    largest development instances, pricing in a fifth of the time found almost no rows)."""
    rows: dict[int, Pattern] = {}
    pricers: list[Pricer] = []
    count: Counter = Counter()
    n = len(inst.staff)
    for e, st in enumerate(inst.staff):
        if time.perf_counter() >= until:
            break
        pricer = Pricer(inst, st)
        pricers.append(pricer)
        limit = max(0.02, (until - time.perf_counter()) / (n - e))
        try:
            found, _ = pricer.price(prices(inst, count), limit, seed=seed, keep=1)
        except Infeasible:
            continue  # the whole model is infeasible too: CP-SAT reports it
        if found:
            rows[e] = found[-1]
            count.update(found[-1])
        elif e + 1 >= GIVE_UP_AFTER and len(rows) < (e + 1) / 2:
            break  # pricing finds no row in its share: the time is CP-SAT's, not ours
    if len(rows) < n:
        return rows, None
    return rows, penalty(inst, pricers, [rows[e] for e in range(n)])


def hint_rows(parts, inst: Instance, rows: dict[int, Pattern]) -> cp_model.CpModel:
    """A copy of the model whose solution hint is ``rows`` (the cells of those employees)."""
    hinted = parts.model.clone()
    hint = hinted.proto.solution_hint
    for e, row in rows.items():
        sid = inst.staff[e].id
        for d in range(inst.horizon):
            for t in inst.shift_ids:
                hint.vars.append(parts.x[sid, d, t].index)
                hint.values.append(int((d, t) in row))
    return hinted


def solve_cpsat(
    inst: Instance,
    parts,
    *,
    time_limit: float,
    workers: int = 2,
    seed: int = 0,
    start: float | None = None,
    linearization_level: int = 2,
    hint_share: float = 0.2,
    progress: ProgressFn | None = None,
) -> LnsResult:
    """CP-SAT on ``parts.model`` until ``start + time_limit``, hinted with the rows
    :func:`first_rows` builds in ``hint_share`` of the time (none when 0)."""
    start = time.perf_counter() if start is None else start
    deadline = start + time_limit
    report = Reporter(start, progress)
    log: list[tuple[float, int]] = []
    phases: list[tuple[str, float, int | None]] = []
    rows, first = ({}, None)
    if hint_share > 0:
        rows, first = first_rows(inst, start + hint_share * time_limit, seed)
        phases.append((f"first rows: {len(rows)} of {len(inst.staff)}", _since(start), first))
        if first is not None:
            report.roster(first)
            log.append((_since(start), first))
    got = lns.full_solve(
        hint_rows(parts, inst, rows) if rows else parts.model,
        limit=deadline - time.perf_counter(),
        stop_at=deadline,
        start=start,
        log=log,
        workers=workers,
        seed=seed,
        tune=lambda p: setattr(p, "linearization_level", linearization_level),
        progress=lambda _t, objective, bound: report.roster(objective, bound),
    )
    if got.values is None and first is not None:  # CP-SAT found nothing: keep the rows
        values = values_of(parts, inst, as_roster(inst, [rows[e] for e in range(len(rows))]))
        if values is not None:
            return LnsResult("FEASIBLE", first, got.bound, values, log=log, phases=phases)
    if got.values is None:
        return LnsResult(got.name, None, None, None, log=log, phases=phases)
    proved = got.status == cp_model.OPTIMAL or got.objective <= got.bound
    phases.append(("cpsat", _since(start), got.objective))
    status = "OPTIMAL" if proved else "FEASIBLE"
    return LnsResult(status, got.objective, got.bound, got.values, log=log, phases=phases)


def _since(start: float) -> float:
    return time.perf_counter() - start
