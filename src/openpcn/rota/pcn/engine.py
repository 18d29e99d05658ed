"""The PCN rota engine: a CP-SAT model, searched with the LP and HiGHS sub-MIPs (decision
0009; CP-SAT's own search where that route cannot be taken).

Decision variables: ``a[e, slot, site]`` (staff e works that slot at that site, in a room) and
``c[e, slot, home]`` (staff e does that care home's round in that slot), only where e is
available, not on leave and allowed at the site.

Hard constraints, each named (the name is what an explanation reports):

=================  ===============================================================
rooms              staff at a site in a slot <= free rooms there
demand_min         sessions of a role/skill at a site in a slot >= the demand's minimum
contract           sessions in a week <= contracted sessions (round(WTE x 9))
consecutive        at most ``max_consecutive_days`` working days in any run
rest               no morning session the day after an evening session
sites_per_day      at most ``max_sites_per_day`` sites a day (a care home counts as its site)
ea_cover           every Network Standard Hours slot has a GP at an Enhanced Access site
ea_gp_present      any clinician at an Enhanced Access site in NSH has a GP there throughout
ea_minutes         NSH appointment minutes a week >= 60 per 1,000 adjusted population
care_home          each care home gets its weekly round(s) by a suitable clinician
fairness           each practice's share of a shared role's sessions within tolerance
=================  ===============================================================

Objective (minimised, all integer): ``target_shortfall`` x sessions below demand targets +
``contract_shortfall`` x contracted sessions not rostered + request weights not met +
``away_from_base`` x sessions away from the base site.  Weights are in :class:`Weights`.

For solving (not explaining), valid redundant constraints are added so that the LP relaxation
sees what is unavoidable (see ``model.ModelBuilder._redundant``), and a greedy rota
(:mod:`openpcn.rota.pcn.greedy`) is the starting point of the search.

When no rota exists, :func:`solve_rota` rebuilds the model with one assumption literal per
named requirement, asks CP-SAT for a sufficient set of assumptions, shrinks it by deletion
filtering and reports the requirements in words.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from openpcn.rota.lns import Values, complete, fix, set_hint, solve_lns
from openpcn.rota.mip_lns import solve_mip_lns
from openpcn.rota.neighbourhoods import Family
from openpcn.rota.pcn.instance import RotaInstance
from openpcn.rota.pcn.model import Assignment, ModelBuilder, RotaResult, Unmet


def _tune(p) -> None:
    p.linearization_level = 2
    # All linear rows in the LP from the start: the root LP (the lower bound) converges in
    # ~10 s instead of 30-60 s when rows are added lazily (measured on the generated PCN).
    p.add_lp_constraints_lazily = False


def _tune_sub(p) -> None:
    # LNS neighbourhoods are small and solved in fractions of a second: no LP is fastest, and
    # presolving the whole (mostly fixed) model would take most of the sub-solve's time.
    p.linearization_level = 0
    p.cp_model_presolve = False


def _solver(time_limit: float, workers: int) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = time_limit
    s.parameters.num_workers = workers
    _tune(s.parameters)
    return s


_STATUS = {
    "OPTIMAL": cp_model.OPTIMAL,
    "FEASIBLE": cp_model.FEASIBLE,
    "INFEASIBLE": cp_model.INFEASIBLE,
    "MODEL_INVALID": cp_model.MODEL_INVALID,
}


def _families(b: ModelBuilder) -> list[Family]:
    """LNS neighbourhoods matched to the rota's structure: a few staff; a few consecutive days
    for everyone; everyone of one or more roles over a run of days (demand, fairness and
    contracts couple the staff of a role); the staff based at a run of neighbouring sites."""
    by_staff: dict[str, list[int]] = defaultdict(list)
    by_day: dict = defaultdict(list)
    by_role_day: dict = defaultdict(lambda: defaultdict(list))
    by_base: dict[str, list[int]] = defaultdict(list)
    people = {e.id: e for e in b.inst.staff}
    for table in (b.a, b.c):
        for (eid, k, _), v in table.items():
            day = b.slots[k].date
            by_staff[eid].append(v.index)
            by_day[day].append(v.index)
            by_role_day[people[eid].role][day].append(v.index)
            by_base[people[eid].base_site].append(v.index)
    days = sorted(by_day)
    fams = [
        Family("staff", list(by_staff.values())),
        Family("days", [by_day[d] for d in days], window=True),
    ]
    if len(by_role_day) > 1:
        grid = [[cells[d] for d in days] for cells in by_role_day.values()]
        fams.append(Family("roles", grid=grid, min_rows=1))
    bases = [by_base[s.id] for s in b.inst.sites if by_base[s.id]]
    if len(bases) > 2:
        fams.append(Family("sites", bases, window=True))
    return fams


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, start: float, fn: Callable[[float, int, float], None]) -> None:
        super().__init__()
        self.start, self.fn = start, fn

    def on_solution_callback(self) -> None:
        self.fn(
            time.perf_counter() - self.start, round(self.objective_value), self.best_objective_bound
        )


def solve_rota(
    inst: RotaInstance,
    time_limit: float = 60.0,
    workers: int = 2,
    explain: bool = True,
    progress: Callable[[float, int, float], None] | None = None,
    lns: bool = True,
    first_phase: float = 0.25,
    sub_limit: float = 0.6,
    seed: int = 0,
    hint: bool = True,
    mip: bool = True,
) -> RotaResult:
    """Build and solve the rota; explain unmet soft requirements and, if none exists, why.

    ``progress(seconds_since_start, objective, best_bound)`` is called on each improving rota
    (seconds include model building), e.g. to show progress of a long solve.
    With ``lns`` and ``mip`` (the defaults) the LP relaxation gives the bound and guides a
    large neighbourhood search whose neighbourhoods HiGHS solves exactly
    (:mod:`openpcn.rota.mip_lns`; small models are solved whole). If that route cannot be
    taken, or with ``mip=False``, CP-SAT searches alone: with ``lns``, a full solve for
    ``first_phase`` of the time (it proves the lower bound), then its own neighbourhood search
    (:mod:`openpcn.rota.lns`). With ``lns=False`` one CP-SAT solve of the whole model.
    With ``hint`` a greedy rota (:mod:`openpcn.rota.pcn.greedy`) is the first incumbent.
    """
    start = time.perf_counter()
    b = ModelBuilder(inst, explain=False)
    b.build()
    initial = _greedy_start(b, workers) if hint else None
    families = _families(b)
    r = None
    if lns and mip:
        r = solve_mip_lns(
            b.m,
            families,
            time_limit=time_limit,
            start=start,
            seed=seed,
            initial=initial,
            progress=progress,
            workers=workers,
        )
    if lns and r is None:
        # CP-SAT alone (also when the MIP route gave up): at least a second more to search
        elapsed = time.perf_counter() - start
        r = solve_lns(
            b.m,
            families,
            time_limit=max(time_limit, elapsed + min(time_limit, 1.0)),
            start=start,
            workers=workers,
            first_phase=first_phase,
            sub_limit=sub_limit,
            seed=seed,
            progress=progress,
            tune_full=_tune,
            tune_sub=_tune_sub,
            initial=initial,
        )
    if r is not None:
        name, status = r.status, _STATUS.get(r.status, cp_model.UNKNOWN)
        sol = Values(r.values) if r.values is not None else None
        obj = r.objective
        bound = r.best_bound if r.best_bound is not None and math.isfinite(r.best_bound) else None
    else:
        solver = _solver(max(0.1, time_limit - (time.perf_counter() - start)), workers)
        if initial is not None:
            set_hint(b.m, initial)
        status = solver.solve(b.m, _Progress(start, progress) if progress else None)
        name = solver.status_name(status)
        sol = solver
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            obj, bound = round(solver.objective_value), solver.best_objective_bound
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        res = RotaResult(name, obj, bound, 0.0)
        res.assignments = _assignments(b, sol)
        res.unmet = _unmet(b, sol, res.assignments)
    else:
        res = RotaResult(name, None, None, 0.0)
        if status == cp_model.INFEASIBLE and explain:
            res.conflict_names, res.conflicts = find_conflicts(inst, workers=workers)
        elif status == cp_model.UNKNOWN and explain:
            # No rota found in time: the assumption model often proves infeasibility faster.
            budget = max(10.0, time_limit / 2)
            res.conflict_names, res.conflicts = find_conflicts(inst, budget, workers)
            if res.conflict_names:
                res.status = "INFEASIBLE"
    res.seconds = time.perf_counter() - start
    return res


def _greedy_start(b: ModelBuilder, workers: int) -> list[int] | None:
    """A greedy constructive rota (:mod:`openpcn.rota.pcn.greedy`) as a full solution of the
    model: its assignments fixed, the other variables (days worked, shortfalls, ...) completed
    by a quick solve. None if the greedy rota breaks a hard rule (the solver starts cold)."""
    from openpcn.rota.pcn.greedy import greedy_rota

    index = {s: k for k, s in enumerate(b.slots)}
    on = set()
    try:
        rota = greedy_rota(b.inst)
    except (KeyError, ValueError, IndexError, ZeroDivisionError, StopIteration):
        return None  # a heuristic only: an instance it does not handle starts cold
    for a in rota:
        on.add((a.staff, index[a.slot], a.care_home or a.site))
    m = b.m.clone()
    fix(m, ((v.index, int(key in on)) for table in (b.a, b.c) for key, v in table.items()))
    if len(on) != sum(1 for t in (b.a, b.c) for key in t if key in on):
        return None  # an assignment the model has no variable for
    return complete(m, workers=workers)


def find_conflicts(
    inst: RotaInstance, time_limit: float = 20.0, workers: int = 2
) -> tuple[list[str], list[str]]:
    """A small set of named requirements that cannot all hold; (names, texts)."""
    b = ModelBuilder(inst, explain=True)
    b.build()
    m = b.m
    m.clear_objective()
    names = list(b.lits)
    m.add_assumptions([b.lits[n][0] for n in names])
    solver = _solver(time_limit / 2, workers)
    if solver.solve(m) != cp_model.INFEASIBLE:
        return [], []
    core_idx = {lit for lit in solver.sufficient_assumptions_for_infeasibility()}
    index = {b.lits[n][0].index: n for n in names}
    core = [index[i] for i in core_idx if i in index]
    # deletion filtering: drop each requirement that is not needed for infeasibility
    deadline = time.perf_counter() + time_limit / 2
    i = 0
    while i < len(core) and time.perf_counter() < deadline:
        trial = core[:i] + core[i + 1 :]
        m.clear_assumptions()
        m.add_assumptions([b.lits[n][0] for n in trial])
        s = _solver(max(0.5, min(2.0, deadline - time.perf_counter())), workers)
        if s.solve(m) == cp_model.INFEASIBLE:
            core = trial
        else:
            i += 1
    core.sort()
    texts = list(dict.fromkeys(b.lits[n][1] for n in core))
    return core, texts


def _assignments(b: ModelBuilder, solver: cp_model.CpSolver) -> list[Assignment]:
    out = []
    for (eid, k, sid), v in b.a.items():
        if solver.boolean_value(v):
            out.append(Assignment(eid, b.slots[k], sid))
    homes = {h.id: h for h in b.inst.care_homes}
    for (eid, k, hid), v in b.c.items():
        if solver.boolean_value(v):
            out.append(Assignment(eid, b.slots[k], homes[hid].site, hid))
    out.sort(key=lambda a: (a.slot.date, a.slot.session, a.site, a.staff))
    return out


def _unmet(
    b: ModelBuilder, solver: cp_model.CpSolver, assignments: list[Assignment]
) -> list[Unmet]:
    inst = b.inst
    by_id = {e.id: e for e in inst.staff}
    sites = {s.id: s for s in inst.sites}
    out: list[Unmet] = []
    for kind, var, weight, info in b.soft:
        amount = solver.value(var)
        if not amount or not weight:
            continue
        if kind == "target_shortfall":
            d = inst.demand[info["demand"]]
            slot = b.slots[info["slot"]]
            site = sites[d.site]
            rooms = site.rooms_at(slot)
            here = [
                a for a in assignments if a.slot == slot and a.site == d.site and not a.care_home
            ]
            got = sum(1 for a in here if by_id[a.staff].matches(d.role, d.skill))
            able = sum(
                1
                for e in inst.staff
                if e.matches(d.role, d.skill) and e.can_work(slot) and e.can_use(d.site)
            )
            if rooms < d.target:
                why = f"{site.name} has {rooms} room{'s' if rooms != 1 else ''} on {slot.label()} for {d.target} requested {d.who()} sessions"  # noqa: E501
            elif len(here) >= rooms:
                why = f"{site.name}'s {rooms} rooms on {slot.label()} are all in use; {got} of {d.target} requested {d.who()} sessions fit"  # noqa: E501
            elif able < d.target:
                why = f"only {able} {d.who()} can work at {site.name} on {slot.label()} (leave, availability or allowed sites) for {d.target} requested sessions"  # noqa: E501
            else:
                why = f"{site.name} gets {got} of {d.target} requested {d.who()} sessions on {slot.label()}: the others who could come are needed elsewhere or at their contracted sessions"  # noqa: E501
            out.append(Unmet(kind, why[0].upper() + why[1:], weight * amount))
        elif kind == "contract_shortfall":
            e = by_id[info["staff"]]
            got = info["expected"] - amount
            out.append(
                Unmet(
                    kind,
                    f"{e.name} is rostered {got} of {info['expected']} contracted sessions in the week of {info['week']:%d %b}: not enough demand or rooms where they may work",  # noqa: E501
                    weight * amount,
                )
            )
        else:
            r = inst.requests[info["request"]]
            e = by_id[r.staff]
            when = f"{r.date:%a %d %b}" + (f" {r.session}" if r.session else "")
            what = "to work" if r.kind == "on" else "not to work"
            where = f" at {sites[r.site].name}" if r.site else ""
            out.append(
                Unmet(
                    kind,
                    f"{e.name}'s request {what} on {when}{where} could not be met without breaking a rule or leaving a bigger gap",  # noqa: E501
                    weight * amount,
                )
            )
    return out
