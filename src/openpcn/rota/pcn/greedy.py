"""A greedy constructive rota: a good starting point (solution hint) for the CP-SAT engine.

Fills, in order: Enhanced Access (a GP first at each site and slot, then other clinicians,
Saturdays before evenings, until the weekly minutes are met), care home rounds, the demand
minimums and targets slot by slot (staff paced over the week so that Fridays are not left
empty), then each person's remaining contracted sessions where a room is free. Every step keeps
the hard rules it knows (rooms, contract, rest, days in a row, sites a day, GP present at
Enhanced Access); fairness is steered (extra sessions of a shared role go where the role's
share is lowest), then sessions of a shared role are dropped until every share is within
tolerance. The result is not guaranteed feasible (e.g. on small instances where Enhanced
Access needs the shared roles): the engine checks it and then starts without it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from openpcn.rota.pcn.instance import RotaInstance, Slot, Staff
from openpcn.rota.pcn.model import Assignment

_EA_ROLE_ORDER = ("paramedic", "pharmacist", "physio", "nurse")


class _State:
    def __init__(self, inst: RotaInstance) -> None:
        self.inst = inst
        self.week_of = {d: i for i, wk in enumerate(inst.weeks()) for d in wk}
        self.used: dict[tuple[str, int], int] = defaultdict(int)
        self.busy: set[tuple[str, Slot]] = set()
        self.day_sites: dict[tuple[str, object], set[str]] = defaultdict(set)
        self.worked: dict[str, set] = defaultdict(set)
        self.rooms: dict[tuple[str, Slot], int] = defaultdict(int)
        self.role_at: dict[tuple[str, Slot], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.share: dict[tuple[str, str], int] = defaultdict(int)  # (role, practice) -> n
        self.out: list[Assignment] = []
        self.sites = {s.id: s for s in inst.sites}
        self.sessions = {s.id: s for s in inst.sessions}

    def left(self, e: Staff, d) -> int:
        return e.contracted_sessions - self.used[e.id, self.week_of[d]]

    def can(self, e: Staff, slot: Slot, site: str, room: bool = True) -> bool:
        d = slot.date
        if (e.id, slot) in self.busy or not e.can_work(slot) or not e.can_use(site):
            return False
        if self.left(e, d) <= 0:
            return False
        if room and self.rooms[site, slot] >= self.sites[site].rooms_at(slot):
            return False
        ds = self.day_sites[e.id, d]
        if site not in ds and len(ds) >= e.max_sites_per_day:
            return False
        if e.rest_after_evening:
            if slot.session == "morning" and (e.id, Slot(d - timedelta(1), "evening")) in self.busy:
                return False
            if slot.session == "evening" and (e.id, Slot(d + timedelta(1), "morning")) in self.busy:
                return False
        if d not in self.worked[e.id]:
            run, x = 1, d - timedelta(1)
            while x in self.worked[e.id]:
                run, x = run + 1, x - timedelta(1)
            x = d + timedelta(1)
            while x in self.worked[e.id]:
                run, x = run + 1, x + timedelta(1)
            if run > e.max_consecutive_days:
                return False
        return True

    def add(self, e: Staff, slot: Slot, site: str, home: str | None = None) -> None:
        self.busy.add((e.id, slot))
        self.used[e.id, self.week_of[slot.date]] += 1
        self.day_sites[e.id, slot.date].add(site)
        self.worked[e.id].add(slot.date)
        if home is None:
            self.rooms[site, slot] += 1
            self.role_at[site, slot][e.role] += 1
            self.share[e.role, self.sites[site].practice] += 1
        self.out.append(Assignment(e.id, slot, site, home))


def greedy_rota(inst: RotaInstance) -> list[Assignment]:
    st = _State(inst)
    slots = inst.slots()
    by_date: dict = defaultdict(list)
    for s in slots:
        by_date[s.date].append(s)

    def pace(e: Staff, slot: Slot) -> float:
        """How far behind its contract e is: remaining sessions per remaining working day."""
        wk = inst.weeks()[st.week_of[slot.date]]
        days_left = inst.workdays([d for d in wk if d >= slot.date], e.leave)
        return st.left(e, slot.date) / max(1, days_left)

    def pick(cands: list[Staff], slot: Slot, site: str, room: bool = True) -> Staff | None:
        ok = [e for e in cands if st.can(e, slot, site, room)]
        if not ok:
            return None
        return max(ok, key=lambda e: (e.base_site == site, round(2 * pace(e, slot)), e.id))

    staff = list(inst.staff)
    ea = inst.enhanced_access
    # 1. Enhanced Access: GP first, then others, Saturdays first, until the minutes are met.
    if ea:
        gps = [e for e in staff if e.role == ea.gp_role]
        fair_roles = set(inst.fairness.roles) if inst.fairness else set()
        others = sorted(
            (e for e in staff if e.clinical and e.role != ea.gp_role),
            key=lambda e: (
                e.role in fair_roles,  # their sessions count towards a shared split
                _EA_ROLE_ORDER.index(e.role) if e.role in _EA_ROLE_ORDER else 9,
                e.id,
            ),
        )
        for wk in inst.weeks():
            need = -(-ea.weekly_minutes * len(wk) // 7)
            ea_slots = [
                s for d in wk for s in by_date[d] if st.sessions[s.session].covers_nsh(s.date)
            ]
            ea_slots.sort(key=lambda s: -st.sessions[s.session].nsh_minutes(s.date))
            got = 0
            # every NSH slot needs a GP somewhere; then add sites/people while minutes short
            for s in ea_slots:
                for sid in ea.sites:
                    if st.role_at[sid, s][ea.gp_role]:
                        continue
                    e = pick(gps, s, sid)
                    if e:
                        st.add(e, s, sid)
                        got += st.sessions[s.session].nsh_minutes(s.date)
                        break
            for s in ea_slots:
                mins = st.sessions[s.session].nsh_minutes(s.date)
                for sid in ea.sites:
                    while got < need and st.rooms[sid, s] < st.sites[sid].rooms_at(s):
                        if not st.role_at[sid, s][ea.gp_role]:
                            e = pick(gps, s, sid)
                        else:
                            e = pick(others, s, sid) or pick(gps, s, sid)
                        if not e:
                            break
                        st.add(e, s, sid)
                        got += mins
    # 2. Care home rounds, by the suitable clinicians with most slack (paramedics first).
    daytime = {
        s.id
        for s in inst.sessions
        if s.days == "weekdays" and s.end.hour * 60 + s.end.minute <= 18 * 60
    }
    demand_roles = {d.role for d in inst.demand}
    for wk in inst.weeks():
        if len(wk) < 7:
            continue
        day_slots = [s for d in wk for s in by_date[d] if s.session in daytime]
        for i, h in enumerate(inst.care_homes):
            suit = [e for e in staff if e.role in h.roles]
            suit.sort(key=lambda e: (e.role in demand_roles, e.id))
            for n in range(h.sessions_per_week):
                order = day_slots[(i * 3 + n) % len(day_slots) :] + day_slots
                done = False
                for s in order:
                    for e in suit:
                        if st.can(e, s, h.site, room=False):
                            st.add(e, s, h.site, h.id)
                            done = True
                            break
                    if done:
                        break
    # 3. Demand: each week's minimums first (so late days are not left without), then the
    # targets slot by slot, round by round.
    for wk in inst.weeks():
        for d in wk:
            for s in by_date[d]:
                for x in inst.demand:
                    while x.applies(s) and _count(st, x, s) < x.min:
                        e = pick([p for p in staff if p.matches(x.role, x.skill)], s, x.site)
                        if not e:
                            break
                        st.add(e, s, x.site)
        for d in wk:
            for s in by_date[d]:
                ds = [x for x in inst.demand if x.applies(s)]
                top = max((x.target for x in ds), default=0)
                for r in range(1, top + 1):
                    for x in sorted(ds, key=lambda x: (x.skill is not None, x.role or "")):
                        if x.target >= r and _count(st, x, s) < r:
                            cands = [p for p in staff if p.matches(x.role, x.skill)]
                            # skill demand: staff without a role demand of their own first
                            cands.sort(key=lambda p: p.role in demand_roles)
                            e = pick(cands, s, x.site)
                            if e:
                                st.add(e, s, x.site)
    # 4. Remaining contracted sessions where a room is free (fair roles: lowest share first).
    fair = set(inst.fairness.roles) if inst.fairness else set()
    lists = {p.id: max(1, p.list_size) for p in inst.practices}
    for e in sorted(staff, key=lambda e: (not e.clinical, e.id)):
        for s in slots:
            if s.session not in daytime or st.left(e, s.date) <= 0:
                continue
            sites = [x for x in inst.sites if e.can_use(x.id)]
            if e.role in fair:
                sites.sort(key=lambda x: st.share[e.role, x.practice] / lists[x.practice])
            else:
                sites.sort(key=lambda x: x.id != e.base_site)
            for x in sites:
                if st.can(e, s, x.id):
                    st.add(e, s, x.id)
                    break
    return _fair(inst, st.out)


def _fair(inst: RotaInstance, out: list[Assignment]) -> list[Assignment]:
    """Drop sessions of a shared role until every practice's share is within tolerance
    (sessions outside demand first); dropping never breaks another rule kept above, as long as
    care home rounds stay and the Enhanced Access minutes still suffice."""
    total_list = sum(p.list_size for p in inst.practices)
    if not inst.fairness or not total_list:  # no list sizes: no shares (as the model)
        return out
    staff = {e.id: e for e in inst.staff}
    sites = {s.id: s for s in inst.sites}
    tol = inst.fairness.tolerance_percent
    out = list(out)
    for role in inst.fairness.roles:
        for _ in range(len(out)):
            mine = [
                a
                for a in out
                if a.care_home is None and staff[a.staff].role == role and _droppable(inst, out, a)
            ]
            count: dict[str, int] = defaultdict(int)
            for a in out:
                if a.care_home is None and staff[a.staff].role == role:
                    count[sites[a.site].practice] += 1
            total = sum(count.values())
            if not total:
                break
            gap = {
                p.id: 100 * count[p.id] / total - 100 * p.list_size / total_list
                for p in inst.practices
            }
            worst = max(gap, key=lambda p: abs(gap[p]))
            if abs(gap[worst]) <= tol:
                break
            # over its share: drop one of its sessions; under: drop one where most over
            order = [worst] if gap[worst] > 0 else []
            order += sorted((p for p in gap if gap[p] > 0), key=lambda p: -gap[p])
            cands = next(
                (c for p in order if (c := [a for a in mine if sites[a.site].practice == p])),
                [],
            )
            if not cands:
                break
            demand = {
                (d.site, s)
                for d in inst.demand
                if d.role == role
                for s in {a.slot for a in cands}
                if d.applies(s)
            }
            cands.sort(key=lambda a: (a.site, a.slot) in demand)
            out.remove(cands[0])
    return out


def _droppable(inst: RotaInstance, out: list[Assignment], a: Assignment) -> bool:
    """False if dropping ``a`` would leave its week short of Enhanced Access minutes."""
    ea = inst.enhanced_access
    mins = inst.session(a.slot.session).nsh_minutes(a.slot.date)
    if not ea or not mins or a.site not in ea.sites:
        return True
    wk = next(w for w in inst.weeks() if a.slot.date in w)
    need = -(-ea.weekly_minutes * len(wk) // 7)
    staff = {e.id: e for e in inst.staff}
    got = sum(
        inst.session(b.slot.session).nsh_minutes(b.slot.date)
        for b in out
        if b.care_home is None
        and b.slot.date in wk
        and b.site in ea.sites
        and staff[b.staff].clinical
    )
    return got - mins >= need


def _count(st: _State, x, s: Slot) -> int:
    at = st.role_at[x.site, s]
    if x.skill is None:
        return at[x.role] if x.role else sum(at.values())
    # skill demand: count matching people in the room at that site and slot
    return sum(
        1
        for a in st.out
        if a.slot == s and a.site == x.site and a.care_home is None and _match(st, a.staff, x)
    )


def _match(st: _State, sid: str, x) -> bool:
    e = next(p for p in st.inst.staff if p.id == sid)
    return e.matches(x.role, x.skill)
