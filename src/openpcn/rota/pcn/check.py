"""Independent checker for a PCN rota: hard-constraint violations and the objective.

Written from the documented rules, not from the CP-SAT model, using plain counting over the
assignments; the tests check every solver rota with it, and a web page can use it for live
checking of hand edits.  Assignments are (staff, slot, site, care_home) as in the engine.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from openpcn.rota.pcn.instance import RotaInstance, day_label
from openpcn.services.workingdays import bank_holiday_name


@dataclass
class Check:
    violations: list[tuple[str, str]] = field(default_factory=list)  # (constraint, words)
    penalty: int = 0
    breakdown: dict[str, int] = field(default_factory=dict)


def _minutes(t) -> int:
    return t.hour * 60 + t.minute


def _site_name(sites: dict, sid: str) -> str:
    return sites[sid].name if sid in sites else sid


def check_rota(inst: RotaInstance, assignments) -> Check:
    out = Check()
    bad = out.violations.append
    staff = {e.id: e for e in inst.staff}
    sites = {s.id: s for s in inst.sites}
    homes = {h.id: h for h in inst.care_homes}
    valid_slots = set(inst.slots())
    per_person_slot = Counter((a.staff, a.slot) for a in assignments)
    for (eid, slot), n in per_person_slot.items():
        if n > 1:
            bad(("one_place", f"{staff[eid].name} has {n} sessions at once on {slot.label()}"))
    for a in assignments:
        e = staff[a.staff]
        if a.slot.date in inst.closed:
            why = bank_holiday_name(a.slot.date)
            bad(
                (
                    "closed",
                    f"{e.name} is booked on {why + ', ' if why else ''}"
                    f"{day_label(a.slot.date)}: the sites are shut",
                )
            )
        elif a.slot not in valid_slots:
            bad(("slot", f"{e.name} on a session that does not run: {a.slot.label()}"))
        if not e.can_work(a.slot):
            bad(("availability", f"{e.name} is on leave or unavailable on {a.slot.label()}"))
        if not e.can_use(a.site):
            bad(("allowed_sites", f"{e.name} may not work at {_site_name(sites, a.site)}"))
        if a.care_home:
            h = homes[a.care_home]
            if e.role not in h.roles or a.site != h.site:
                bad(("care_home", f"{e.name} is not suitable for the round at {h.name}"))
            if a.slot.date.weekday() >= 5 or _minutes(inst.session(a.slot.session).end) > 18 * 60:
                bad(
                    (
                        "care_home",
                        f"{h.name}: care home round outside weekday daytime, {a.slot.label()}",
                    )
                )
    in_room = [a for a in assignments if not a.care_home]
    room_use = Counter((a.site, a.slot) for a in in_room)
    for (sid, slot), n in room_use.items():
        if n > sites[sid].rooms_at(slot):
            bad(
                (
                    "rooms",
                    f"{sites[sid].name}: {n} people for {sites[sid].rooms_at(slot)} rooms "
                    f"on {slot.label()}",
                )
            )
    slots = inst.slots()
    shortfall = 0
    for d in inst.demand:
        for slot in slots:
            if not d.applies(slot):
                continue
            n = sum(
                1
                for a in in_room
                if a.slot == slot and a.site == d.site and staff[a.staff].matches(d.role, d.skill)
            )
            if n < d.min:
                bad(
                    (
                        "demand_min",
                        f"{_site_name(sites, d.site)} {slot.label()}: {n} of minimum "
                        f"{d.min} {d.who()}",
                    )
                )
            if d.target > d.min:
                shortfall += max(0, d.target - n)
    by_person = defaultdict(list)
    for a in assignments:
        by_person[a.staff].append(a)
    contract_short = 0
    away = 0
    for e in inst.staff:
        mine = by_person[e.id]
        away += sum(1 for a in mine if not a.care_home and a.site != e.base_site)
        days_worked = {a.slot.date for a in mine}
        for wk in inst.weeks():
            n = sum(1 for a in mine if a.slot.date in wk)
            if n > e.contracted_sessions:
                bad(("contract", f"{e.name}: {n} sessions in the week of {day_label(wk[0])}"))
            workdays = inst.workdays(wk, e.leave)
            possible = sum(1 for s in slots if s.date in wk and e.can_work(s))
            expected = min(round(e.contracted_sessions * workdays / 5), possible)
            contract_short += max(0, expected - n)
        run = 0
        for d in inst.dates:
            run = run + 1 if d in days_worked else 0
            if run > e.max_consecutive_days:
                bad(("consecutive", f"{e.name}: {run} days in a row to {day_label(d)}"))
        for d in inst.dates:
            day_sites = {a.site for a in mine if a.slot.date == d}
            if len(day_sites) > e.max_sites_per_day:
                bad(("sites_per_day", f"{e.name}: {len(day_sites)} sites on {day_label(d)}"))
        if e.rest_after_evening:
            evenings = {a.slot.date for a in mine if a.slot.session == "evening"}
            for a in mine:
                if a.slot.session == "morning" and any(
                    (a.slot.date - ev).days == 1 for ev in evenings
                ):
                    bad(
                        (
                            "rest",
                            f"{e.name}: a morning on {day_label(a.slot.date)} after an evening",
                        )
                    )
    ea = inst.enhanced_access
    if ea:
        for slot in slots:
            sess = inst.session(slot.session)
            if sess.covers_nsh(slot.date):
                here = [a for a in in_room if a.slot == slot and a.site in ea.sites]
                if not any(staff[a.staff].role == ea.gp_role for a in here):
                    bad(("ea_cover", f"no GP at an Enhanced Access site on {slot.label()}"))
                for sid in {a.site for a in here}:
                    at = [a for a in here if a.site == sid]
                    if not any(staff[a.staff].role == ea.gp_role for a in at):
                        bad(
                            (
                                "ea_gp_present",
                                f"{sites[sid].name} runs Enhanced Access without a GP "
                                f"on {slot.label()}",
                            )
                        )
        for wk in inst.weeks():
            need = -(-ea.weekly_minutes * len(wk) // 7)
            got = sum(
                inst.session(a.slot.session).nsh_minutes(a.slot.date)
                for a in in_room
                if a.slot.date in wk and a.site in ea.sites and staff[a.staff].clinical
            )
            if got < need:
                bad(
                    (
                        "ea_minutes",
                        f"week of {day_label(wk[0])}: {got} of {need} Enhanced Access minutes",
                    )
                )
    for h in inst.care_homes:
        for wk in inst.weeks():
            if len(wk) == 7:
                n = sum(1 for a in assignments if a.care_home == h.id and a.slot.date in wk)
                if n < h.sessions_per_week:
                    bad(("care_home", f"{h.name}: {n} rounds in the week of {day_label(wk[0])}"))
    if inst.fairness:
        total_list = sum(p.list_size for p in inst.practices)
        for role in inst.fairness.roles:
            counts = Counter(sites[a.site].practice for a in in_room if staff[a.staff].role == role)
            total = sum(counts.values())
            for p in inst.practices:
                if total and total_list:
                    gap = abs(counts[p.id] / total - p.list_size / total_list) * 100
                    if gap > inst.fairness.tolerance_percent + 1e-9:
                        bad(("fairness", f"{role} at {p.id}: {gap:.1f} points from its share"))
    req_pen = 0
    for r in inst.requests:
        hits = [
            a
            for a in by_person[r.staff]
            if a.slot.date == r.date
            and (r.session is None or a.slot.session == r.session)
            and (r.site is None or a.site == r.site)
        ]
        if (r.kind == "on") != bool(hits):
            req_pen += r.weight
    w = inst.weights
    out.breakdown = {
        "target_shortfall": w.target_shortfall * shortfall,
        "contract_shortfall": w.contract_shortfall * contract_short,
        "request": req_pen,
        "away_from_base": w.away_from_base * away,
    }
    out.penalty = sum(out.breakdown.values())
    return out
