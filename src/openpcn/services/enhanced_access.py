"""Enhanced Access (from 1 Oct 2022): the weekly requirement and Network Standard Hours.

Requirement: at least 60 minutes per 1,000 PCN adjusted population per week, within Network
Standard Hours: 18:30-20:00 Monday to Friday and 09:00-17:00 Saturday (reference section 2.3).
The rate comes in as a rule row (RuleRef); no rounding is stated, so the requirement is kept
exact and shown to two decimal places of a minute. Bank holidays are treated as ordinary days
(the reference says nothing about them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from openpcn.core.figures import DataRef, Figure, RuleRef
from openpcn.services.errors import ServicesError

#: Network Standard Hours by weekday (Mon=0): list of (start, end)
NETWORK_STANDARD_HOURS: dict[int, tuple[time, time]] = {
    **{d: (time(18, 30), time(20, 0)) for d in range(5)},
    5: (time(9, 0), time(17, 0)),
}


def weekly_requirement(
    adjusted_population: int | Decimal, rate: RuleRef, data: DataRef | None = None
) -> Figure:
    """Minutes per week = adjusted population / 1,000 x rate (minutes per 1,000 per week)."""
    if isinstance(rate.value, float) or isinstance(adjusted_population, float):
        raise ServicesError("use Decimal or int, not float, for the population and the rate")
    pop = Decimal(adjusted_population)
    if pop < 0:
        raise ServicesError("adjusted population cannot be negative")
    per_1000 = Decimal(str(rate.value))
    minutes = pop / 1000 * per_1000
    return Figure(
        label="Enhanced Access minutes required per week",
        value=minutes.quantize(Decimal("0.01"), ROUND_HALF_UP),
        unit="minutes per week",
        method=f"{pop} adjusted population / 1,000 x {per_1000} minutes",
        rules=(rate,),
        data=(data,) if data else (),
    )


@dataclass(frozen=True)
class Session:
    day: date
    start: time
    end: time
    site: str = ""

    def __post_init__(self):
        if self.end <= self.start:
            raise ServicesError(
                f"session on {self.day} ends ({self.end}) before it starts ({self.start})"
            )


@dataclass(frozen=True)
class Gap:
    day: date
    start: time
    end: time


@dataclass(frozen=True)
class WeekCoverage:
    week: tuple[int, int]
    required_minutes: Decimal
    minutes_in_hours: int  # session minutes inside Network Standard Hours (overlaps merged)
    minutes_outside: int  # session minutes outside them
    gaps: tuple[Gap, ...]  # parts of Network Standard Hours no session covers

    @property
    def meets_requirement(self) -> bool:
        return self.minutes_in_hours >= self.required_minutes

    @property
    def covers_all_hours(self) -> bool:
        return not self.gaps


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _time(m: int) -> time:
    return time(m // 60, m % 60)


def coverage(
    sessions: Iterable[Session], first_monday: date, weeks: int, required_minutes: Decimal
) -> list[WeekCoverage]:
    """Week-by-week check of planned (or delivered) sessions against Network Standard Hours.

    The requirement is minutes of appointments (60 per 1,000 adjusted population a week, within
    Network Standard Hours [S56][S57c]), so each clinician's session counts: two clinicians
    from 18:30 to 20:00 offer 180 minutes. (Counting overlapping sessions once capped every PCN
    at 930 minutes a week, 5 x 90 + 480, below the requirement of any PCN over 15,500
    patients.) Gaps are the stretches of the hours with no one on: there sessions are merged.
    """
    if first_monday.weekday() != 0:
        raise ServicesError(f"{first_monday} is not a Monday")
    by_day: dict[date, list[tuple[int, int]]] = {}
    for s in sessions:
        by_day.setdefault(s.day, []).append((_minutes(s.start), _minutes(s.end)))
    out = []
    for w in range(weeks):
        monday = first_monday + timedelta(days=7 * w)
        inside = outside = 0
        gaps: list[Gap] = []
        for d in range(7):
            day = monday + timedelta(days=d)
            sessions_today = by_day.get(day, [])
            merged = _merge(sessions_today)
            total = sum(b - a for a, b in sessions_today)
            window = NETWORK_STANDARD_HOURS.get(d)
            if window is None:
                outside += total
                continue
            ws, we = _minutes(window[0]), _minutes(window[1])
            n_in = sum(max(0, min(b, we) - max(a, ws)) for a, b in sessions_today)
            inside += n_in
            outside += total - n_in
            covered = [(max(a, ws), min(b, we)) for a, b in merged if min(b, we) > max(a, ws)]
            cursor = ws
            for a, b in covered:
                if a > cursor:
                    gaps.append(Gap(day, _time(cursor), _time(a)))
                cursor = max(cursor, b)
            if cursor < we:
                gaps.append(Gap(day, _time(cursor), _time(we)))
        iso = monday.isocalendar()
        out.append(
            WeekCoverage((iso[0], iso[1]), Decimal(required_minutes), inside, outside, tuple(gaps))
        )
    return out


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged
