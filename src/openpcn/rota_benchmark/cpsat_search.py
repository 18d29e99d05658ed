"""CP-SAT on the whole model to the deadline, hinted with the quick roster.

The search the adaptive default (:mod:`openpcn.rota_benchmark.default`) chooses for shapes
where CP-SAT's own search beats column generation: the same model and parameters as the
plain baseline, with the deadline counted from the call (model building included, so the
time limit is kept) and every better roster reported. Its solution hint is the roster
:mod:`openpcn.rota_benchmark.quick_roster` built before the model (a partial one when some
employees got no row: CP-SAT completes it); when CP-SAT finds no roster in the time (the
largest instances), that roster is the result.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from openpcn.rota import lns
from openpcn.rota.lns import LnsResult
from openpcn.rota_benchmark.colgen import Pattern
from openpcn.rota_benchmark.format import Instance
from openpcn.rota_benchmark.greedy import as_roster
from openpcn.rota_benchmark.lp_rosters import values_of
from openpcn.rota_benchmark.progress import ProgressFn, Reporter


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
    rows: dict[int, Pattern] | None = None,
    first: int | None = None,
    progress: ProgressFn | None = None,
) -> LnsResult:
    """CP-SAT on ``parts.model`` until ``start + time_limit``, hinted with ``rows`` (employee
    index -> cells worked; ``first`` is their objective when every employee has one)."""
    start = time.perf_counter() if start is None else start
    deadline = start + time_limit
    report = Reporter(start, progress)
    log: list[tuple[float, int]] = []
    phases: list[tuple[str, float, int | None]] = []
    rows = rows or {}
    if rows:
        phases.append((f"quick roster: {len(rows)} of {len(inst.staff)} rows", 0.0, first))
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
    if first is not None and (got.values is None or first < got.objective):
        values = values_of(parts, inst, as_roster(inst, [rows[e] for e in range(len(rows))]))
        if values is not None:  # CP-SAT found nothing better in the time: keep the rows
            bound = got.bound if got.values is not None else None
            return LnsResult("FEASIBLE", first, bound, values, log=log, phases=phases)
    if got.values is None:
        return LnsResult(got.name, None, None, None, log=log, phases=phases)
    proved = got.status == cp_model.OPTIMAL or got.objective <= got.bound
    phases.append(("cpsat", _since(start), got.objective))
    status = "OPTIMAL" if proved else "FEASIBLE"
    return LnsResult(status, got.objective, got.bound, got.values, log=log, phases=phases)


def _since(start: float) -> float:
    return time.perf_counter() - start
