"""A PCN rota instance from what the product records about the PCN (pure).

The data side (``openpcn.data.rota.planning``) reads the register, the member practices, their
list sizes and the care home alignments into :class:`RotaFacts`; :func:`instance_from` turns
them into the :class:`RotaInstance` the solver is given. The rota page and a what-if scenario's
sample week (``openpcn.scenarios.rota``) both build their instance here, so a scenario that
changes the facts is solved on exactly the instance the rota page would build after the change.

The product's conventions (decision 0020): every member practice has one site; a practice of
8,000 or more registered patients has 3 clinical rooms a weekday session, a smaller one 2
(``rooms`` overrides them, e.g. a room closed for a refit); Enhanced Access runs at the two
largest practices, 2 rooms each evening and Saturday, when there are at least two GPs; a
member of staff works at their base site and the practices they have sessions at; a care
home's round is run from its lead practice by the roles the register holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from openpcn.rota.pcn.generate import STANDARD_SESSIONS
from openpcn.rota.pcn.instance import (
    CareHome,
    EnhancedAccess,
    Fairness,
    Practice,
    RotaInstance,
    Site,
    Staff,
)
from openpcn.services.workingdays import is_bank_holiday

GP_ROLES = ("gp",)
ROUND_ROLES = (
    "gp",
    "clinical_pharmacist",
    "advanced_practitioner",
    "paramedic",
    "practice_nurse",
    "nursing_associate",
)
LARGE_LIST = 8000  # registered patients from which a practice has 3 rooms a session


class PlanError(ValueError):
    """The facts cannot make a rota (no member practices, no staff), in words."""


@dataclass(frozen=True)
class StaffFacts:
    id: str  # the rota's id for the person (the register's primary key)
    register_id: str  # the register's staff id (S00012)
    name: str
    role: str
    wte: float
    base_practice: str
    start: date
    end: date | None = None
    session_practices: frozenset[str] = frozenset()  # practices they have sessions at
    leave: frozenset[date] = frozenset()  # recorded leave in the horizon


@dataclass(frozen=True)
class HomeFacts:
    location_id: str
    name: str
    lead_practice: str


@dataclass(frozen=True)
class RotaFacts:
    pcn_code: str
    start: date  # a Monday
    weeks: int
    members: tuple[str, ...]
    names: Mapping[str, str]  # practice -> name (a practice with none shows its code)
    sizes: Mapping[str, int]  # practice -> registered patients
    staff: tuple[StaffFacts, ...]  # register records overlapping the horizon, or more
    homes: tuple[HomeFacts, ...] = ()  # open alignments
    enhanced_access: bool = True
    adjusted_population: int | None = None  # None: the members' registered lists
    #: practice -> session -> free clinical rooms, instead of the usual number
    rooms: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=7 * self.weeks - 1)


def usual_rooms(size: int, enhanced_access: bool) -> dict[str, int]:
    big = size >= LARGE_LIST
    rooms = {"morning": 3 if big else 2, "afternoon": 3 if big else 2}
    return rooms | ({"evening": 2, "saturday": 2} if enhanced_access else {})


def instance_from(facts: RotaFacts) -> tuple[RotaInstance, str]:
    """The rota instance, and a message when Enhanced Access could not be planned."""
    members = sorted(facts.members)
    if not members:
        raise PlanError(f"{facts.pcn_code} has no member practices as at {facts.start}.")
    first, last = facts.start, facts.end
    staff_rows = [
        s for s in facts.staff if s.start <= last and not (s.end is not None and s.end < first)
    ]
    if not staff_rows:
        raise PlanError("The staff register is empty: add staff before planning a rota.")
    sizes = {p: facts.sizes.get(p, 0) for p in members}
    largest = sorted(members, key=lambda p: -sizes[p])
    # Enhanced Access needs a GP present throughout 6 evenings and Saturdays a week: with
    # fewer than two GPs nobody could keep to five days in a row, so it is not planned.
    gps = sum(1 for s in staff_rows if s.role in GP_ROLES)
    ea_sites = tuple(f"S-{p}" for p in largest[:2]) if facts.enhanced_access and gps >= 2 else ()
    message = ""
    if facts.enhanced_access and gps < 2:
        message = (
            f"Enhanced Access was not planned: it needs at least two GPs in the "
            f"staff register (there {'is' if gps == 1 else 'are'} {gps})."
        )
    sites = [
        Site(
            f"S-{p}",
            facts.names.get(p, p),
            p,
            usual_rooms(sizes[p], f"S-{p}" in ea_sites) | dict(facts.rooms.get(p, {})),
        )
        for p in members
    ]
    dates = [first + timedelta(days=i) for i in range(7 * facts.weeks)]
    staff = []
    for s in staff_rows:
        base = f"S-{s.base_practice}" if s.base_practice in members else f"S-{members[0]}"
        here = {f"S-{p}" for p in s.session_practices if p in members}
        out_of_post = {d for d in dates if d < s.start or (s.end is not None and d > s.end)}
        staff.append(
            Staff(s.id, s.name, s.role, s.wte, base, allowed_sites=frozenset(here | {base}),
                  leave=frozenset(out_of_post) | s.leave)
        )  # fmt: skip
    roles = {s.role for s in staff_rows}
    homes = [
        CareHome(
            h.location_id,
            h.name,
            f"S-{h.lead_practice}",
            tuple(r for r in ROUND_ROLES if r in roles) or ("gp",),
        )
        for h in facts.homes
        if h.lead_practice in members
    ]
    homes = [h for h in homes if any(r in roles for r in h.roles)]
    shared = tuple(sorted({r for r in roles if sum(1 for x in staff_rows if x.role == r) >= 2}))
    ea = None
    if ea_sites:
        adjusted = facts.adjusted_population
        ea = EnhancedAccess(ea_sites, sum(sizes.values()) if adjusted is None else adjusted)
    inst = RotaInstance(
        name=f"{facts.pcn_code} from {facts.start}",
        closed=frozenset(d for d in dates if is_bank_holiday(d)),
        start=facts.start,
        days=7 * facts.weeks,
        sessions=STANDARD_SESSIONS,
        practices=[Practice(p, facts.names.get(p, p), sizes[p]) for p in members],
        sites=sites,
        staff=staff,
        enhanced_access=ea,
        care_homes=homes,
        fairness=Fairness(shared, 15) if shared and len(members) > 1 else None,
    )
    return inst, message


__all__ = [
    "HomeFacts",
    "PlanError",
    "RotaFacts",
    "StaffFacts",
    "instance_from",
    "usual_rooms",
]
