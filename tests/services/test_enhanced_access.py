"""Enhanced Access requirement and Network Standard Hours coverage."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from openpcn.core.figures import RuleRef
from openpcn.services.enhanced_access import Session, coverage, weekly_requirement
from openpcn.services.errors import ServicesError

RATE = RuleRef("2024-25", "ea_minutes_per_1000_adjusted_pop", 60, "minutes_per_1000", "S56")

REQ = [(50000, "3000.00"), (45352, "2721.12"), (0, "0.00"), (1, "0.06")]


@pytest.mark.parametrize(("pop", "minutes"), REQ)
def test_weekly_requirement(pop, minutes):
    fig = weekly_requirement(pop, RATE)
    assert fig.value == Decimal(minutes)
    assert fig.rules == (RATE,)


def test_requirement_rejects_floats():
    with pytest.raises(ServicesError, match="not float"):
        weekly_requirement(50000.0, RATE)


MON = date(2025, 3, 3)


def s(day_offset, start, end):
    return Session(date.fromordinal(MON.toordinal() + day_offset), time(*start), time(*end))


def test_full_week_and_gaps():
    full = [s(d, (18, 30), (20, 0)) for d in range(5)] + [s(5, (9, 0), (17, 0))]
    (week,) = coverage(full, MON, 1, Decimal(900))
    assert week.minutes_in_hours == 5 * 90 + 480 and week.minutes_outside == 0
    assert week.covers_all_hours and week.meets_requirement

    partial = [
        s(0, (18, 0), (19, 0)),  # 30 min inside, 30 outside; gap 19:00-20:00
        s(0, (18, 45), (19, 30)),  # a second clinician: their 45 minutes count too
        s(5, (9, 0), (12, 0)),
        s(6, (10, 0), (12, 0)),  # Sunday: outside Network Standard Hours
    ]
    week, nxt = coverage(partial, MON, 2, Decimal(300))
    assert week.week == (2025, 10)
    assert week.minutes_in_hours == 30 + 45 + 180
    assert week.minutes_outside == 30 + 120
    assert not week.meets_requirement
    gaps = [
        (g.day.isoformat(), g.start.isoformat("minutes"), g.end.isoformat("minutes"))
        for g in week.gaps
    ]
    assert gaps[0] == ("2025-03-03", "19:30", "20:00")
    assert ("2025-03-08", "12:00", "17:00") in gaps
    assert len(gaps) == 1 + 4 + 1  # Monday tail, Tue-Fri whole evenings, Saturday afternoon
    assert nxt.minutes_in_hours == 0 and len(nxt.gaps) == 6


def test_bad_sessions():
    with pytest.raises(ServicesError, match="ends"):
        s(0, (20, 0), (18, 30))
    with pytest.raises(ServicesError, match="not a Monday"):
        coverage([], date(2025, 3, 4), 1, Decimal(0))


def test_parallel_clinicians_each_count_towards_the_requirement():
    """A PCN of 50,000 needs 3,000 minutes a week: only possible with clinicians in parallel."""
    four_each_evening = [s(d, (18, 30), (20, 0)) for d in range(5) for _ in range(4)]
    saturday = [s(5, (9, 0), (17, 0)) for _ in range(2)]
    (week,) = coverage(four_each_evening + saturday, MON, 1, Decimal(2760))
    assert week.minutes_in_hours == 4 * 5 * 90 + 2 * 480 == 2760
    assert week.meets_requirement and week.covers_all_hours and not week.gaps
