"""Leave in the staff register: a dated absence (annual, study, sick, parental, other) of one
member of staff. Rotas never book anyone on a day of their leave."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = {
    "annual": "Annual leave",
    "study": "Study leave",
    "sick": "Sickness absence",
    "parental": "Parental leave",
    "other": "Other absence",
}


class LeaveError(ValueError):
    """Leave that cannot be recorded; the message names the field and what to do."""


@dataclass(frozen=True)
class Leave:
    start: date
    end: date
    kind: str = "annual"

    def days(self) -> Iterable[date]:
        day = self.start
        while day <= self.end:
            yield day
            day += timedelta(days=1)


def check_leave(
    leave: Leave, employed_from: date, employed_to: date | None, existing: Iterable[Leave] = ()
) -> Leave:
    """The leave, checked: a known kind, end on or after start, inside the employment, and
    not overlapping leave already recorded."""
    if leave.kind not in KINDS:
        raise LeaveError(f"kind: choose one of {', '.join(KINDS.values())}")
    if leave.end < leave.start:
        raise LeaveError(f"end: {leave.end} is before the start {leave.start}")
    if leave.start < employed_from:
        raise LeaveError(f"start: {leave.start} is before the post starts ({employed_from})")
    if employed_to is not None and leave.end > employed_to:
        raise LeaveError(f"end: {leave.end} is after the post ends ({employed_to})")
    for other in existing:
        if leave.start <= other.end and other.start <= leave.end:
            raise LeaveError(
                f"start: {KINDS[other.kind].lower()} from {other.start} to {other.end} is already"
                " recorded for these days"
            )
    return leave


def leave_days(leaves: Iterable[Leave], first: date, last: date) -> frozenset[date]:
    """Every day from ``first`` to ``last`` inside one of the leaves."""
    return frozenset(d for lv in leaves for d in lv.days() if first <= d <= last)
