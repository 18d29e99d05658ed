"""CP-SAT engine for the PCN rota.

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
sees what is unavoidable (see ``_Builder._redundant``), and a greedy rota
(:mod:`openpcn.rota.pcn.greedy`) is the starting point of the search.

When no rota exists, :func:`solve_rota` rebuilds the model with one assumption literal per
named requirement, asks CP-SAT for a sufficient set of assumptions, shrinks it by deletion
filtering and reports the requirements in words.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from openpcn.rota.errors import RotaInputError
from openpcn.rota.lns import Family, Values, solve_lns
from openpcn.rota.pcn.instance import RotaInstance, Slot


@dataclass(frozen=True)
class Assignment:
    staff: str
    slot: Slot
    site: str  # where (for a care home round: the care home's aligned site)
    care_home: str | None = None


@dataclass(frozen=True)
class Unmet:
    kind: str  # target_shortfall | contract_shortfall | request
    text: str
    penalty: int


@dataclass
class RotaResult:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN
    objective: int | None
    best_bound: float | None
    seconds: float
    assignments: list[Assignment] = field(default_factory=list)
    unmet: list[Unmet] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # when infeasible: requirements in words
    conflict_names: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, inst: RotaInstance, explain: bool) -> None:
        self.inst = inst
        self.m = cp_model.CpModel()
        self.explain = explain
        self.lits: dict[str, tuple[cp_model.IntVar, str]] = {}
        self.slots = inst.slots()
        self.a: dict[tuple[str, int, str], cp_model.IntVar] = {}
        self.c: dict[tuple[str, int, str], cp_model.IntVar] = {}
        self.terms: list = []
        self.soft: list[tuple[str, object, int, dict]] = []  # (kind, var/expr, weight, info)

    def req(self, name: str, text: str, ct: cp_model.Constraint) -> None:
        if self.explain:
            lit = self.m.new_bool_var(name)
            self.lits[name] = (lit, text)
            ct.only_enforce_if(lit)

    def build(self) -> None:
        inst, m = self.inst, self.m
        slots = self.slots
        sites = {s.id: s for s in inst.sites}
        by_id = {e.id: e for e in inst.staff}
        daytime = {
            s.id
            for s in inst.sessions
            if s.days == "weekdays" and s.end.hour * 60 + s.end.minute <= 18 * 60
        }
        # variables
        at: dict[tuple[int, str], list] = defaultdict(list)  # (slot, site) -> [(e, var)]
        busy: dict[tuple[str, int], list] = defaultdict(list)
        away_vars: dict[str, list] = defaultdict(list)
        home_vars: dict[tuple[str, int], list] = defaultdict(list)
        for e in inst.staff:
            for k, slot in enumerate(slots):
                if not e.can_work(slot):
                    continue
                for s in inst.sites:
                    # No room, no variable (when explaining, keep it: the rooms get named).
                    if e.can_use(s.id) and (self.explain or s.rooms_at(slot) > 0):
                        v = m.new_bool_var(f"a_{e.id}_{k}_{s.id}")
                        self.a[e.id, k, s.id] = v
                        if s.id != e.base_site:
                            away_vars[e.id].append(v)
                        at[k, s.id].append((e, v))
                        busy[e.id, k].append((s.id, v))
                if slot.session in daytime:
                    for h in inst.care_homes:
                        if e.role in h.roles and e.can_use(h.site):
                            v = m.new_bool_var(f"c_{e.id}_{k}_{h.id}")
                            self.c[e.id, k, h.id] = v
                            home_vars[h.id, k].append(v)
                            busy[e.id, k].append((h.site, v))
        for vs in busy.values():
            if len(vs) > 1:
                m.add_at_most_one(v for _, v in vs)
        # rooms and demand
        for k, slot in enumerate(slots):
            for s in inst.sites:
                vs = [v for _, v in at[k, s.id]]
                n = s.rooms_at(slot)
                if len(vs) > n:
                    self.req(
                        f"rooms:{s.id}:{slot.date}:{slot.session}",
                        f"{s.name} has {n} room{'s' if n != 1 else ''} free on {slot.label()}",
                        m.add(cp_model.LinearExpr.sum(vs) <= n),
                    )
        for i, d in enumerate(inst.demand):
            site = sites[d.site]
            for k, slot in enumerate(slots):
                if not d.applies(slot):
                    continue
                vs = [v for e, v in at[k, d.site] if e.matches(d.role, d.skill)]
                filled = sum(vs) if vs else 0
                if d.min > 0:
                    self.req(
                        f"demand_min:{i}:{slot.date}:{slot.session}",
                        f"{site.name} needs at least {d.min} {d.who()} session"
                        f"{'s' if d.min != 1 else ''} on {slot.label()}",
                        m.add(sum(vs) >= d.min) if vs else m.add_bool_or([]),
                    )
                if d.target > d.min:
                    short = m.new_int_var(0, d.target, f"short_{i}_{k}")
                    m.add(short >= d.target - filled)
                    self.soft.append(
                        (
                            "target_shortfall",
                            short,
                            inst.weights.target_shortfall,
                            {"demand": i, "slot": k},
                        )
                    )
        # per-staff constraints
        days = inst.dates
        slot_idx_by_day: dict = defaultdict(list)
        for k, slot in enumerate(slots):
            slot_idx_by_day[slot.date].append(k)
        for e in inst.staff:
            worked = []
            for d in days:
                vs = [v for k in slot_idx_by_day[d] for _, v in busy.get((e.id, k), [])]
                if not vs:
                    worked.append(None)
                    continue
                w = m.new_bool_var(f"w_{e.id}_{d}")
                m.add_max_equality(w, vs)
                worked.append(w)
                # sites per day
                per_site: dict[str, list] = defaultdict(list)
                for k in slot_idx_by_day[d]:
                    for sid, v in busy.get((e.id, k), []):
                        per_site[sid].append(v)
                if len(per_site) > e.max_sites_per_day:
                    ys = []
                    for sid, svs in per_site.items():
                        y = m.new_bool_var(f"y_{e.id}_{d}_{sid}")
                        m.add_max_equality(y, svs)
                        ys.append(y)
                    self.req(
                        f"sites_per_day:{e.id}:{d}",
                        f"{e.name} works at no more than {e.max_sites_per_day} site"
                        f"{'s' if e.max_sites_per_day != 1 else ''} a day",
                        m.add(sum(ys) <= e.max_sites_per_day),
                    )
            kmax = e.max_consecutive_days
            for i in range(len(days) - kmax):
                window = [w for w in worked[i : i + kmax + 1] if w is not None]
                if len(window) > kmax:
                    self.req(
                        f"consecutive:{e.id}:{days[i]}",
                        f"{e.name} works at most {kmax} days in a row",
                        m.add(sum(window) <= kmax),
                    )
            if e.rest_after_evening:
                for i in range(len(days) - 1):
                    ev = [
                        v
                        for k in slot_idx_by_day[days[i]]
                        if slots[k].session == "evening"
                        for _, v in busy.get((e.id, k), [])
                    ]
                    mo = [
                        v
                        for k in slot_idx_by_day[days[i + 1]]
                        if slots[k].session == "morning"
                        for _, v in busy.get((e.id, k), [])
                    ]
                    if ev and mo:
                        self.req(
                            f"rest:{e.id}:{days[i]}",
                            f"{e.name} needs rest after an evening session (no morning session "
                            f"on {days[i + 1]:%a %d %b})",
                            m.add(sum(ev) + sum(mo) <= 1),
                        )
            for wk in inst.weeks():
                ks = [k for d in wk for k in slot_idx_by_day[d]]
                vs = [v for k in ks for _, v in busy.get((e.id, k), [])]
                n = e.contracted_sessions
                if len(vs) > n:
                    self.req(
                        f"contract:{e.id}:{wk[0]}",
                        f"{e.name} is contracted for {n} sessions a week ({e.wte:g} WTE)",
                        m.add(cp_model.LinearExpr.sum(vs) <= n),
                    )
                workdays = sum(1 for d in wk if d.weekday() < 5 and d not in e.leave)
                nslots = sum(1 for k in ks if e.can_work(slots[k]))  # as the checker
                expected = min(round(n * workdays / 5), nslots)
                if expected > 0:
                    under = m.new_int_var(0, expected, f"under_{e.id}_{wk[0]}")
                    m.add(under >= expected - sum(vs))
                    self.soft.append(
                        (
                            "contract_shortfall",
                            under,
                            inst.weights.contract_shortfall,
                            {"staff": e.id, "week": wk[0], "expected": expected},
                        )
                    )
            away = away_vars[e.id]
            if away and inst.weights.away_from_base:
                self.terms.append(inst.weights.away_from_base * sum(away))
        # Enhanced Access
        ea = inst.enhanced_access
        if ea:
            nsh_slots = [
                k for k, s in enumerate(slots) if inst.session(s.session).nsh_minutes(s.date) > 0
            ]
            for d in days:
                if d.weekday() < 6 and not any(
                    inst.session(slots[k].session).covers_nsh(d) for k in slot_idx_by_day[d]
                ):
                    raise RotaInputError(
                        f"no session covers the Network Standard Hours on {d:%A %d %b %Y}",
                        inst.lines.get("__source__", "instance"),
                        inst.lines.get("sessions"),
                        "sessions",
                    )
            for k in nsh_slots:
                slot = slots[k]
                if not inst.session(slot.session).covers_nsh(slot.date):
                    continue
                gps = [v for sid in ea.sites for e, v in at[k, sid] if e.role == ea.gp_role]
                self.req(
                    f"ea_cover:{slot.date}:{slot.session}",
                    f"Enhanced Access needs a GP at one of the Enhanced Access sites on {slot.label()}",  # noqa: E501
                    m.add(sum(gps) >= 1) if gps else m.add_bool_or([]),
                )
                for sid in ea.sites:
                    site_gps = [v for e, v in at[k, sid] if e.role == ea.gp_role]
                    for e, v in at[k, sid]:
                        if e.role != ea.gp_role:
                            self.req(
                                f"ea_gp_present:{slot.date}:{slot.session}:{sid}:{e.id}",
                                f"a GP must be present throughout Enhanced Access at {sites[sid].name}"  # noqa: E501
                                f" on {slot.label()}",
                                m.add(v <= sum(site_gps)) if site_gps else m.add(v == 0),
                            )
            for wk in inst.weeks():
                need = -(-ea.weekly_minutes * len(wk) // 7)
                ks = [k for k in nsh_slots if slots[k].date in wk]
                expr = [
                    inst.session(slots[k].session).nsh_minutes(slots[k].date) * v
                    for k in ks
                    for sid in ea.sites
                    for e, v in at[k, sid]
                    if e.clinical
                ]
                self.req(
                    f"ea_minutes:{wk[0]}",
                    f"Enhanced Access needs {need} minutes of appointments in the week of "
                    f"{wk[0]:%d %b} (60 per 1,000 of {ea.adjusted_population:,} adjusted population)",  # noqa: E501
                    m.add(sum(expr) >= need) if expr else m.add_bool_or([]),
                )
        # care homes
        for h in inst.care_homes:
            for wk in inst.weeks():
                ks = {k for d in wk for k in slot_idx_by_day[d]}
                vs = [v for k in sorted(ks) for v in home_vars[h.id, k]]
                need = h.sessions_per_week if len(wk) == 7 else 0
                if need:
                    self.req(
                        f"care_home:{h.id}:{wk[0]}",
                        f"{h.name} needs {need} round{'s' if need != 1 else ''} by a "
                        f"{' or '.join(h.roles)} in the week of {wk[0]:%d %b}",
                        m.add(sum(vs) >= need) if vs else m.add_bool_or([]),
                    )
        # fairness
        if inst.fairness:
            total_list = sum(p.list_size for p in inst.practices)
            tol = inst.fairness.tolerance_percent
            for role in inst.fairness.roles:
                per_practice: dict[str, list] = defaultdict(list)
                for (eid, _k, sid), v in self.a.items():
                    if by_id[eid].role == role:
                        per_practice[sites[sid].practice].append(v)
                total = sum(v for vs in per_practice.values() for v in vs)
                for p in inst.practices:
                    mine = sum(per_practice[p.id]) if per_practice[p.id] else 0
                    text = (
                        f"{p.name}'s share of {role} sessions stays within {tol} points of its "
                        f"list-size share ({100 * p.list_size / total_list:.0f}%)"
                    )
                    # |mine/total - L_p/L| <= tol/100, multiplied out to integers
                    self.req(
                        f"fairness:{role}:{p.id}:hi",
                        text,
                        m.add(
                            100 * total_list * mine - 100 * p.list_size * total
                            <= tol * total_list * total
                        ),
                    )
                    self.req(
                        f"fairness:{role}:{p.id}:lo",
                        text,
                        m.add(
                            100 * p.list_size * total - 100 * total_list * mine
                            <= tol * total_list * total
                        ),
                    )
        # requests
        for i, r in enumerate(inst.requests):
            e = by_id[r.staff]
            ks = [
                k
                for k in slot_idx_by_day[r.date]
                if r.session is None or slots[k].session == r.session
            ]
            vs = [
                v
                for k in ks
                for sid, v in busy.get((e.id, k), [])
                if r.site is None or sid == r.site
            ]
            if r.kind == "on":
                met = m.new_bool_var(f"req_{i}")
                if vs:
                    m.add(sum(vs) >= 1).only_enforce_if(met)
                else:
                    m.add(met == 0)
                self.soft.append(("request", met.Not(), r.weight, {"request": i}))
            else:
                if vs:
                    broken = m.new_bool_var(f"req_{i}")
                    m.add_max_equality(broken, vs)
                    self.soft.append(("request", broken, r.weight, {"request": i}))
        if not self.explain:
            self._redundant(at, busy)
        self.terms.extend(w * v for _, v, w, _ in self.soft)
        m.minimize(sum(self.terms))
        # Try "work" before "off": a full first rota comes much sooner than an empty one.
        m.add_decision_strategy(
            list(self.a.values()), cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE
        )

    def _redundant(self, at: dict, busy: dict) -> None:
        """Valid redundant constraints that let the LP relaxation see what is unavoidable.

        Implied by the constraints above for every integer rota (so they change no optimum),
        but stated as a few dense rows the LP finds at once: (1) per role/skill and week, the
        shortfall below targets is at least the targets minus the sessions that can count
        towards them; (2) per role and week, sessions <= the sum of the contracts; (3) at an
        Enhanced Access site in NSH, other clinicians <= (rooms - 1) x GPs there (stronger than
        "a GP is present" in the LP: minutes per GP session are limited by the rooms).
        Not added when explaining infeasibility (they would survive dropping a requirement).
        """
        inst, m, slots = self.inst, self.m, self.slots
        week_of = {d: i for i, wk in enumerate(inst.weeks()) for d in wk}
        groups: dict[tuple, list] = defaultdict(list)
        for kind, var, _w, info in self.soft:
            if kind == "target_shortfall":
                d = inst.demand[info["demand"]]
                groups[d.role, d.skill, week_of[slots[info["slot"]].date]].append(
                    (var, d, info["slot"])
                )
        for items in groups.values():
            mult: dict[int, list] = {}
            for _var, d, k in items:
                for e, v in at[k, d.site]:
                    if e.matches(d.role, d.skill):
                        mult.setdefault(v.index, [v, 0])[1] += 1
            total = sum(d.target for _v, d, _k in items)
            m.add(sum(v for v, _d, _k in items) + sum(c * v for v, c in mult.values()) >= total)
        by_role: dict[tuple[str, int], list] = defaultdict(list)
        cap: dict[tuple[str, int], int] = defaultdict(int)
        per_week: dict[tuple[str, int], list] = defaultdict(list)
        for (eid, k), vs in busy.items():
            per_week[eid, week_of[slots[k].date]].extend(v for _, v in vs)
        roles = {e.id: e for e in inst.staff}
        for (eid, w), vs in per_week.items():
            e = roles[eid]
            by_role[e.role, w].extend(vs)
            cap[e.role, w] += min(len(vs), e.contracted_sessions)
        for key, vs in by_role.items():
            if len(vs) > cap[key]:
                m.add(cp_model.LinearExpr.sum(vs) <= cap[key])
        ea = inst.enhanced_access
        if ea:
            for k, slot in enumerate(slots):
                if not inst.session(slot.session).covers_nsh(slot.date):
                    continue
                for sid in ea.sites:
                    gps = [v for e, v in at[k, sid] if e.role == ea.gp_role]
                    others = [v for e, v in at[k, sid] if e.role != ea.gp_role]
                    if gps and others:
                        n = max(0, inst.site(sid).rooms_at(slot) - 1)
                        m.add(sum(others) <= n * sum(gps))


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


def _families(b: _Builder) -> list[Family]:
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
    bound_thread: bool = False,
    hint: bool = True,
) -> RotaResult:
    """Build and solve the rota; explain unmet soft requirements and, if none exists, why.

    ``progress(seconds_since_start, objective, best_bound)`` is called on each improving rota
    (seconds include model building), e.g. to show progress of a long solve.
    With ``lns`` (the default) a full solve runs for ``first_phase`` of the time (and until it
    has a rota of its own; it proves the lower bound), then large neighbourhood search
    (:mod:`openpcn.rota.lns`) to the limit; with ``bound_thread`` a one-worker full solve keeps
    raising the bound beside a one-worker LNS instead (slower on 2 cores; off by default).
    With ``hint`` a greedy rota (:mod:`openpcn.rota.pcn.greedy`) is the first incumbent.
    """
    start = time.perf_counter()
    b = _Builder(inst, explain=False)
    b.build()
    initial = _greedy_start(b, workers) if hint else None
    if lns:
        r = solve_lns(
            b.m,
            _families(b),
            time_limit=time_limit,
            workers=workers,
            first_phase=first_phase,
            start=start,
            sub_limit=sub_limit,
            seed=seed,
            progress=progress,
            tune_full=_tune,
            tune_sub=_tune_sub,
            bound_thread=bound_thread,
            initial=initial,
        )
        name, status = r.status, _STATUS.get(r.status, cp_model.UNKNOWN)
        sol = Values(r.values) if r.values is not None else None
        obj, bound = r.objective, r.best_bound
    else:
        solver = _solver(max(0.1, time_limit - (time.perf_counter() - start)), workers)
        if initial is not None:
            b.m.proto.solution_hint.vars.extend(range(len(initial)))
            b.m.proto.solution_hint.values.extend(initial)
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


def _greedy_start(b: _Builder, workers: int) -> list[int] | None:
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
    proto = m.proto
    for table in (b.a, b.c):
        for key, v in table.items():
            d = proto.variables[v.index].domain
            d.clear()
            d.extend([int(key in on)] * 2)
    if len(on) != sum(1 for t in (b.a, b.c) for key in t if key in on):
        return None  # an assignment the model has no variable for
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = 10.0
    s.parameters.num_workers = workers
    if s.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return list(s.response_proto.solution)


def find_conflicts(
    inst: RotaInstance, time_limit: float = 20.0, workers: int = 2
) -> tuple[list[str], list[str]]:
    """A small set of named requirements that cannot all hold; (names, texts)."""
    b = _Builder(inst, explain=True)
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


def _assignments(b: _Builder, solver: cp_model.CpSolver) -> list[Assignment]:
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


def _unmet(b: _Builder, solver: cp_model.CpSolver, assignments: list[Assignment]) -> list[Unmet]:
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
