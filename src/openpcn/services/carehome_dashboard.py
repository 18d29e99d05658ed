"""What is overdue, per care home and per PCN (the data behind the care home dashboard).

Pure: takes the homes, the alignment book, care plan checks (:func:`workingdays.care_plan_checks`)
and overdue home rounds (:func:`carehome_money.overdue_rounds`); counts only, never residents.
Ordering puts what needs action first: overdue care plans, then overdue rounds, then plans due.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from openpcn.services.alignment import AlignmentBook
from openpcn.services.carehome_money import OverdueRound
from openpcn.services.cqc import CareHome
from openpcn.services.workingdays import CarePlanCheck


@dataclass
class HomeStatus:
    location_id: str
    name: str
    beds: int
    pcn_code: str  # "" if not aligned
    lead_practice: str
    care_plans: dict[str, int] = field(
        default_factory=lambda: {"overdue": 0, "due": 0, "late": 0, "on_time": 0}
    )
    overdue_round_weeks: list[tuple[int, int]] = field(default_factory=list)

    @property
    def needs_action(self) -> bool:
        return bool(self.care_plans["overdue"] or self.overdue_round_weeks or not self.pcn_code)


@dataclass
class PcnStatus:
    pcn_code: str
    homes: int = 0
    beds: int = 0
    care_plans_overdue: int = 0
    care_plans_due: int = 0
    overdue_round_weeks: int = 0
    homes_needing_action: int = 0


def overview(
    homes: Iterable[CareHome],
    book: AlignmentBook,
    checks: Iterable[CarePlanCheck],
    rounds: Iterable[OverdueRound],
) -> tuple[list[HomeStatus], list[PcnStatus]]:
    """(per-home statuses, per-PCN totals), each sorted most urgent first.

    A check or round for a home not in ``homes`` is an error (it would vanish silently).
    """
    status: dict[str, HomeStatus] = {}
    for h in homes:
        a = book.get(h.location_id)
        status[h.location_id] = HomeStatus(
            h.location_id,
            h.name,
            h.beds,
            a.pcn_code if a else "",
            a.lead_practice if a else "",
        )
    for c in checks:
        _home(status, c.admission.home).care_plans[c.status] += 1
    for r in rounds:
        _home(status, r.home).overdue_round_weeks.append(r.iso_week)
    pcns: dict[str, PcnStatus] = {}
    for s in status.values():
        if not s.pcn_code:
            continue
        p = pcns.setdefault(s.pcn_code, PcnStatus(s.pcn_code))
        p.homes += 1
        p.beds += s.beds
        p.care_plans_overdue += s.care_plans["overdue"]
        p.care_plans_due += s.care_plans["due"]
        p.overdue_round_weeks += len(s.overdue_round_weeks)
        p.homes_needing_action += s.needs_action

    def home_key(s: HomeStatus):
        return (
            -s.care_plans["overdue"],
            -len(s.overdue_round_weeks),
            bool(s.pcn_code),
            -s.care_plans["due"],
            s.location_id,
        )

    def pcn_key(p: PcnStatus):
        return (-p.care_plans_overdue, -p.overdue_round_weeks, -p.care_plans_due, p.pcn_code)

    return sorted(status.values(), key=home_key), sorted(pcns.values(), key=pcn_key)


def _home(status: dict[str, HomeStatus], location_id: str) -> HomeStatus:
    try:
        return status[location_id]
    except KeyError:
        raise ValueError(f"care home {location_id} is not in the list of homes") from None
