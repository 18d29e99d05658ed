"""The Enhanced Health in Care Homes working-day rule.

A personalised care and support plan is due within 7 working days of each admission or
readmission (nhs-rules-reference.md section 4.2). Working days are Monday to Friday except
English bank holidays, taken from the ``holidays`` package (country GB, subdivision ENG,
which includes substitute days such as "Boxing Day (observed)").

Counting convention: the day of admission is day 0; the 1st working day is the first working
day *after* it. So an admission on Friday 6 Dec 2024 has its plan due on Tuesday 17 Dec 2024,
and an admission on a Saturday counts from the Monday after. A readmission is a new
admission: it restarts the clock, and a plan made before it does not satisfy it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from openpcn.services.errors import FutureAdmissionError, ServicesError

#: working days allowed for the personalised care and support plan.
CARE_PLAN_WORKING_DAYS = 7

STATUSES = ("on_time", "late", "overdue", "due")


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    """True on an English bank holiday (including substitute days)."""
    return day in _bank_holidays(day.year)


def bank_holiday_name(day: date) -> str | None:
    """The bank holiday's name ("Christmas Day"), or None on any other day."""
    return holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an English bank holiday."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after ``day`` (``day`` itself is not counted); n >= 0.

    ``add_working_days(d, 0)`` is ``d``.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    current = day
    left = n
    while left:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def working_days_between(a: date, b: date) -> int:
    """Working days in (a, b]: after ``a`` up to and including ``b``; negative if b < a.

    ``working_days_between(d, add_working_days(d, n)) == n`` for every d and n >= 0.
    """
    if b < a:
        return -working_days_between(b, a)
    count = 0
    current = a
    while current < b:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


@dataclass(frozen=True)
class Admission:
    """One admission (or readmission) of a resident to a care home.

    ``resident`` is an opaque reference (never printed in errors); ``home`` the CQC
    Location ID.
    """

    resident: str
    home: str
    admitted: date
    readmission: bool = False


def care_plan_due(admission: Admission | date) -> date:
    """The last day the personalised care and support plan is on time."""
    admitted = admission.admitted if isinstance(admission, Admission) else admission
    return add_working_days(admitted, CARE_PLAN_WORKING_DAYS)


def care_plan_status(admission: Admission | date, plan_date: date | None, today: date) -> str:
    """``on_time`` / ``late`` (plan made after the due day) / ``overdue`` (no plan, past due)
    / ``due`` (no plan yet, still within the 7 working days).

    Raises FutureAdmissionError for an admission after ``today`` and ServicesError for a plan
    dated before the admission (it belongs to an earlier stay) or after ``today``.
    """
    admitted = admission.admitted if isinstance(admission, Admission) else admission
    if admitted > today:
        raise FutureAdmissionError(
            f"admission dated {admitted.isoformat()} is in the future (today is "
            f"{today.isoformat()}); record it on or after the day it happens"
        )
    due = care_plan_due(admitted)
    if plan_date is not None:
        if plan_date < admitted:
            raise ServicesError(
                f"care plan dated {plan_date.isoformat()} is before the admission on "
                f"{admitted.isoformat()}; a readmission needs a new plan"
            )
        if plan_date > today:
            raise ServicesError(
                f"care plan dated {plan_date.isoformat()} is in the future (today is "
                f"{today.isoformat()})"
            )
        return "on_time" if plan_date <= due else "late"
    return "overdue" if today > due else "due"


@dataclass(frozen=True)
class CarePlanCheck:
    admission: Admission
    due: date
    plan_date: date | None
    status: str


def care_plan_checks(
    admissions: Iterable[Admission], plans: Iterable[tuple[str, date]], today: date
) -> list[CarePlanCheck]:
    """One check per admission, readmissions restarting the clock.

    ``plans`` are (resident, plan date). A plan counts for the latest admission of that
    resident on or before its date, and only the first such plan counts. Overdue first,
    then due, late, on time; within a status the earliest due date first.
    """
    by_resident: dict[str, list[Admission]] = {}
    for adm in admissions:
        by_resident.setdefault(adm.resident, []).append(adm)
    plan_days: dict[str, list[date]] = {}
    for resident, day in plans:
        plan_days.setdefault(resident, []).append(day)
    checks = []
    for resident, stays in by_resident.items():
        stays.sort(key=lambda a: a.admitted)
        days = sorted(plan_days.get(resident, []))
        for i, adm in enumerate(stays):
            end = stays[i + 1].admitted if i + 1 < len(stays) else None
            first = next((d for d in days if d >= adm.admitted and (end is None or d < end)), None)
            checks.append(
                CarePlanCheck(adm, care_plan_due(adm), first, care_plan_status(adm, first, today))
            )
    order = {"overdue": 0, "due": 1, "late": 2, "on_time": 3}
    checks.sort(key=lambda c: (order[c.status], c.due))
    return checks
