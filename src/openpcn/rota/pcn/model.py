"""The PCN rota's CP-SAT model: its variables, named hard constraints, objective and the
redundant rows added for solving; and the result types. Solving is in :mod:`engine`.

See :mod:`openpcn.rota.pcn.engine` for the table of hard constraints and the objective.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from openpcn.rota.errors import RotaInputError
from openpcn.rota.pcn.instance import RotaInstance, Slot
from openpcn.rota.pcn.redundant import add_redundant_rows


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


class ModelBuilder:
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
        # One place at a time: each person's slot is a group in their day's ``worked`` rows
        # (w >= the group's sum, w boolean: see ``_any``), which says at most one of it.
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
                groups = [
                    [v for _, v in busy[e.id, k]] for k in slot_idx_by_day[d] if busy.get((e.id, k))
                ]
                if not groups:
                    worked.append(None)
                    continue
                w = m.new_bool_var(f"w_{e.id}_{d}")
                self._any(w, groups)
                worked.append(w)
                # sites per day
                per_site: dict[str, list] = defaultdict(list)
                for k in slot_idx_by_day[d]:
                    here: dict[str, list] = defaultdict(list)
                    for sid, v in busy.get((e.id, k), []):
                        here[sid].append(v)
                    for sid, vs in here.items():
                        per_site[sid].append(vs)
                if len(per_site) > e.max_sites_per_day:
                    ys = []
                    for sid, groups in per_site.items():
                        y = m.new_bool_var(f"y_{e.id}_{d}_{sid}")
                        self._any(y, groups)
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
                workdays = inst.workdays(wk, e.leave)
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
        # fairness (no list sizes: no shares to keep to, as the checker reads it)
        total_list = sum(p.list_size for p in inst.practices)
        if inst.fairness and total_list > 0:
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
            groups = [
                [v for sid, v in busy.get((e.id, k), []) if r.site is None or sid == r.site]
                for k in ks
            ]
            groups = [g for g in groups if g]
            vs = [v for g in groups for v in g]
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
                    self._any(broken, groups)
                    self.soft.append(("request", broken, r.weight, {"request": i}))
        if not self.explain:
            self._redundant(at, busy)
        self.terms.extend(w * v for _, v, w, _ in self.soft)
        m.minimize(sum(self.terms))
        # Try "work" before "off": a full first rota comes much sooner than an empty one.
        m.add_decision_strategy(
            list(self.a.values()), cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE
        )

    def _any(self, target: cp_model.IntVar, groups: list[list]) -> None:
        """``target`` = 1 exactly when any variable in ``groups`` is 1, where each group is
        one slot of one person. The row ``target >= sum(group)`` also says that at most one
        variable of the group is 1 (the day's ``worked`` rows are what keep a person in one
        place at a time). One row per group instead of one per variable: fewer rows, and a
        tighter linear relaxation than the max-equality it replaces."""
        m = self.m
        for g in groups:
            m.add(target >= cp_model.LinearExpr.sum(g))
        m.add(target <= cp_model.LinearExpr.sum([v for g in groups for v in g]))

    def _redundant(self, at: dict, busy: dict) -> None:
        """The valid redundant rows of :mod:`openpcn.rota.pcn.redundant` (``at``: (slot,
        site) -> [(staff, variable)]; ``busy``: (staff id, slot) -> [(site, variable)])."""
        add_redundant_rows(self, at, busy)
