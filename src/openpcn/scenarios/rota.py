"""A scenario's sample-week rota: the rota domain's own instance and solver on changed facts.

The data side reads the PCN's rota facts (:class:`openpcn.rota.pcn.register.RotaFacts`) for
one sample week, the first Monday by which every change has happened (:func:`sample_week`);
:func:`change_facts` makes one change to them the way making it for real changes the records
the rota page reads (a recruit is a new register record, a leaver's record ends, a change of
WTE ends one record and starts another without its leave, a practice joins or leaves the
members, a care home's alignment opens or ends, a site's rooms change), and :func:`rota_week`
builds the instance with :func:`openpcn.rota.pcn.register.instance_from` and solves it with
:func:`openpcn.rota.pcn.engine.solve_rota`: whether a rota can be made, what it cannot meet
(in the solver's words), sessions per practice beside each practice's share of the list, and
Enhanced Access minutes planned beside those required.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from openpcn.rota.errors import RotaInputError
from openpcn.rota.pcn.engine import solve_rota
from openpcn.rota.pcn.register import HomeFacts, PlanError, RotaFacts, StaffFacts, instance_from
from openpcn.scenarios import changes as ch

DEFAULT_TIME_LIMIT = 12  # seconds for each of the two solves (baseline and scenario)


def sample_week(as_at: date, changes: Iterable[ch.Change]) -> date:
    """The first Monday on or after the scenario's date by which every change has happened
    (a leaver's or an alignment's last day is the day before it has)."""
    day = as_at
    for c in changes:
        for name in ("start", "on", "end"):
            when = getattr(c, name, None)
            if isinstance(when, date):
                day = max(day, when + timedelta(1) if name in ("on", "end") else when)
    return day + timedelta((7 - day.weekday()) % 7)


def change_facts(
    facts: RotaFacts, change: ch.Change, new_id: str = "", home_name: str = ""
) -> RotaFacts:
    """The facts after one (already checked) change; ``new_id`` is the id the scenario gives a
    recruit or the record a change of WTE starts."""
    staff = list(facts.staff)
    if isinstance(change, ch.Recruit):
        sites = [p for p, _ in change.sessions]
        staff.append(
            StaffFacts(new_id, new_id, f"New {change.role.replace('_', ' ')} ({new_id})",
                       change.role, float(change.wte), change.base_site or (sites or [""])[0],
                       change.start, change.end, frozenset(sites))
        )  # fmt: skip
    elif isinstance(change, ch.Leave):
        staff = [replace(s, end=change.on) if s.register_id == change.staff_id else s
                 for s in staff]  # fmt: skip
    elif isinstance(change, ch.ChangeWte):
        out = []
        for s in staff:
            if s.register_id != change.staff_id:
                out.append(s)
            elif change.start <= s.start:
                out.append(replace(s, wte=float(change.wte)))
            else:  # the record ends; a new one (without the old record's leave) starts
                out.append(replace(s, end=change.start - timedelta(1)))
                out.append(replace(s, id=new_id, register_id=new_id, wte=float(change.wte),
                                   start=change.start, leave=frozenset()))  # fmt: skip
        staff = out
    elif isinstance(change, ch.PracticeLeaves):
        return replace(facts, members=tuple(p for p in facts.members if p != change.practice))
    elif isinstance(change, ch.PracticeJoins):
        return replace(facts, members=(*facts.members, change.practice))
    elif isinstance(change, ch.CareHomeAligned):
        if not change.lead_practice:  # the rota runs a round from the lead practice only
            return facts
        home = HomeFacts(change.location_id, home_name or change.location_id,
                         change.lead_practice)  # fmt: skip
        return replace(facts, homes=(*facts.homes, home))
    elif isinstance(change, ch.CareHomeUnaligned):
        homes = tuple(h for h in facts.homes if h.location_id != change.location_id)
        return replace(facts, homes=homes)
    elif isinstance(change, ch.Rooms):
        rooms = {p: dict(r) for p, r in facts.rooms.items()}
        rooms.setdefault(change.practice, {}).update(dict.fromkeys(change.sessions(),
                                                                   change.rooms))  # fmt: skip
        return replace(facts, rooms=rooms)
    return replace(facts, staff=tuple(staff))


@dataclass(frozen=True)
class PracticeSessions:
    practice: str
    name: str
    sessions: int  # sessions in the practice's rooms in the week
    share: Decimal  # per cent of the week's sessions
    list_share: Decimal  # per cent of the members' registered patients


@dataclass(frozen=True)
class RotaWeek:
    start: date
    status: str  # the solver's: OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN; "" when not built
    unmet: tuple[str, ...] = ()  # what the rota cannot meet, in words
    conflicts: tuple[str, ...] = ()  # when no rota exists: the requirements that clash
    practices: tuple[PracticeSessions, ...] = ()
    ea_planned: int | None = None  # Network Standard Hours minutes a week at EA sites
    ea_required: int | None = None
    objective: int | None = None
    message: str = ""  # why no rota was built, or what was left out

    @property
    def feasible(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    def as_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "status": self.status,
            "feasible": self.feasible,
            "objective": self.objective,
            "unmet": list(self.unmet),
            "conflicts": list(self.conflicts),
            "practices": [
                {
                    "practice": p.practice,
                    "name": p.name,
                    "sessions": p.sessions,
                    "share": str(p.share),
                    "list_share": str(p.list_share),
                }
                for p in self.practices
            ],  # fmt: skip
            "enhanced_access_minutes": {"planned": self.ea_planned, "required": self.ea_required},
            "message": self.message,
        }


Progress = Callable[[float, int, float], None]


def _per_cent(part: int, whole: int) -> Decimal:
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1")) if whole else Decimal(0)


def rota_week(facts: RotaFacts, time_limit: float, progress: Progress | None = None) -> RotaWeek:
    """Build the sample week's instance from the facts and solve it (never raises for facts
    that make no rota: the week says why)."""
    try:
        inst, message = instance_from(facts)
    except (PlanError, RotaInputError) as exc:  # e.g. no staff, or a record the rota refuses
        return RotaWeek(facts.start, "", message=str(exc))
    result = solve_rota(inst, time_limit=time_limit, workers=2, progress=progress)
    ea = inst.enhanced_access
    required = ea.weekly_minutes if ea else None
    week = RotaWeek(facts.start, result.status, tuple(u.text for u in result.unmet),
                    tuple(result.conflicts), (), None, required, result.objective,
                    message)  # fmt: skip
    if not week.feasible:
        return week
    site_practice = {s.id: s.practice for s in inst.sites}
    clinical = {e.id for e in inst.staff if e.clinical}
    in_rooms = [a for a in result.assignments if not a.care_home]
    counts = {p.id: 0 for p in inst.practices}
    for a in in_rooms:
        counts[site_practice[a.site]] += 1
    total_list = sum(p.list_size for p in inst.practices)
    practices = tuple(
        PracticeSessions(p.id, p.name, counts[p.id], _per_cent(counts[p.id], len(in_rooms)),
                         _per_cent(p.list_size, total_list))
        for p in inst.practices
    )  # fmt: skip
    planned = None
    if ea:
        planned = sum(
            inst.session(a.slot.session).nsh_minutes(a.slot.date)
            for a in in_rooms
            if a.site in ea.sites and a.staff in clinical
        )
    return replace(week, practices=practices, ea_planned=planned)


def values(week: RotaWeek) -> dict[tuple[str, str], object]:
    """The sample week's figures for the differences table."""
    out: dict[tuple[str, str], object] = {
        ("Rota: sample week", f"a rota can be made (week of {week.start})"): (
            "yes" if week.feasible else "no"
        ),
        ("Rota: sample week", "requirements not met"): len(week.unmet) if week.feasible else None,
    }
    for p in week.practices:
        out[("Rota: sessions a week", p.practice)] = p.sessions
        out[("Rota: share of sessions %", p.practice)] = p.share
        out[("Rota: share of the list %", p.practice)] = p.list_share
    if week.ea_required is not None:
        out[("Enhanced Access", "minutes planned a week (sample rota)")] = week.ea_planned
    return out


__all__ = [
    "DEFAULT_TIME_LIMIT",
    "PracticeSessions",
    "RotaWeek",
    "change_facts",
    "rota_week",
    "sample_week",
    "values",
]
