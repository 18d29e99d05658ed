"""The default search for benchmark instances: the method chosen from the instance's shape.

Measured on the generated development set (``benchmarks/rota/RESULTS.md``, seeds 1000-1039,
20 s, 2 workers), neither search is best on every shape:

* **Column generation** (:mod:`openpcn.rota_benchmark.cg_search`) wins, often by a factor of
  several, where there are few shift types: its pricing problems are small, its relaxation's
  bound is strong, and the dive turns it into rosters CP-SAT does not find (Curtois 1-8, the
  long one- and two-shift development instances).
* **CP-SAT on the whole model** (:mod:`openpcn.rota_benchmark.cpsat_search`) wins by as much
  where there are many shift types: each employee's pricing problem grows with the shift
  types, column generation does not converge in the time, and CP-SAT's own search is strong.

:func:`choose` makes the choice from the shape alone (before any solving, so it is the same
for a seed on any machine); :func:`solve_default` runs it. Both searches report progress the
same way and keep the time limit counted from the call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from openpcn.rota.lns import LnsResult
from openpcn.rota_benchmark import cg_search, cpsat_search
from openpcn.rota_benchmark.format import Instance
from openpcn.rota_benchmark.greedy import as_roster
from openpcn.rota_benchmark.lp_rosters import values_of
from openpcn.rota_benchmark.progress import ProgressFn
from openpcn.rota_benchmark.quick_roster import QuickRoster, quick_roster

CG_MAX_SHIFT_TYPES = 4  # more shift types than this: CP-SAT
CG_MIN_TIGHTNESS = 0.9  # cover asked for / shifts the contracts allow; looser: CP-SAT
CG_CELLS_PER_SECOND = 1500  # staff x days x shift types per second of the limit, at most
QUICK_FIRST = 1.0  # seconds from the call to the quick roster's first roster, at most
QUICK_SHARE = 0.03  # of the limit: the quick roster's improving passes stop by then


@dataclass(frozen=True)
class Choice:
    method: str  # "cg" or "cpsat"
    reason: str  # in words, for the CLI and the benchmark tables


def tightness(inst: Instance) -> float:
    """Cover asked for (shifts) against what the contracts allow (each employee's maximum
    minutes in shifts of the average length, at most one a day): near 1, every shift counts
    and missed cover decides the objective."""
    asked = sum(c.requirement for c in inst.cover)
    mean = sum(s.minutes for s in inst.shifts) / len(inst.shifts)
    allowed = sum(min(inst.horizon, st.max_minutes / mean) for st in inst.staff)
    return asked / allowed if allowed else float("inf")


def choose(inst: Instance, time_limit: float, workers: int) -> Choice:
    """Which search suits this instance in this time, and why (from its shape alone).

    Column generation needs all three: few shift types (its pricing problems stay small),
    tight cover (its relaxation's bound and dives pay where missed cover decides the
    objective) and few enough cells for the time (else it does not converge)."""
    shifts, cells = len(inst.shift_ids), len(inst.staff) * inst.horizon * len(inst.shift_ids)
    tight = tightness(inst)
    if shifts > CG_MAX_SHIFT_TYPES:
        why = f"{shifts} shift types (column generation: at most {CG_MAX_SHIFT_TYPES})"
    elif tight < CG_MIN_TIGHTNESS:
        why = f"cover {tight:.0%} of what contracts allow (column generation: from"
        why += f" {CG_MIN_TIGHTNESS:.0%})"
    elif cells > CG_CELLS_PER_SECOND * time_limit:
        why = (
            f"{cells:,} staff-day-shift cells for {time_limit:g} s (column generation: at most"
            f" {CG_CELLS_PER_SECOND:,} a second)"
        )
    else:
        return Choice(
            "cg",
            f"{shifts} shift type{'s' if shifts != 1 else ''}, cover {tight:.0%} of what"
            f" contracts allow, {cells:,} cells: column generation, dives, then LNS",
        )
    return Choice("cpsat", why + ": CP-SAT on the whole model from the quick roster")


def solve_default(
    inst: Instance,
    parts,
    *,
    time_limit: float,
    workers: int = 2,
    seed: int = 0,
    start: float | None = None,
    linearization_level: int = 2,
    quick: QuickRoster | None = None,
    progress: ProgressFn | None = None,
) -> LnsResult:
    """Solve with the search :func:`choose` picks, from the ``quick`` roster (built before
    the model: :func:`quick_start`); the result's first phase names the search."""
    choice = choose(inst, time_limit, workers)
    common = dict(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        start=start,
        linearization_level=linearization_level,
        progress=progress,
    )
    if choice.method == "cg":
        given = None
        if quick is not None and quick.objective is not None:
            values = values_of(parts, inst, _roster(inst, quick))
            given = (values, quick.objective) if values is not None else None
        out = cg_search.solve_cg(inst, parts, given=given, **common)
    else:
        rows, first = (quick.rows, quick.objective) if quick is not None else (None, None)
        out = cpsat_search.solve_cpsat(inst, parts, rows=rows, first=first, **common)
    out.phases.insert(0, (f"chose {choice.method}: {choice.reason}", 0.0, None))
    return out


def quick_start(
    inst: Instance,
    start: float,
    time_limit: float,
    seed: int = 0,
    on_roster: Callable[[int], None] | None = None,
) -> QuickRoster:
    """The quick roster (:mod:`openpcn.rota_benchmark.quick_roster`) of a solve that
    started at ``start``: its first roster by :data:`QUICK_FIRST` seconds (at most a tenth
    of the limit), improved until :data:`QUICK_SHARE` of the limit."""
    first_by = start + min(QUICK_FIRST, 0.1 * time_limit)
    until = start + QUICK_SHARE * time_limit
    return quick_roster(
        inst, first_by=first_by, improve_until=until, seed=seed, on_roster=on_roster
    )


def _roster(inst: Instance, quick: QuickRoster):
    return as_roster(inst, [quick.rows[e] for e in range(len(inst.staff))])
