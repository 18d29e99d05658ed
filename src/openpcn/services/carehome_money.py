"""Care home premium and weekly home round compliance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from openpcn.core.figures import DataRef, Figure, RuleRef
from openpcn.services.cqc import CareHome
from openpcn.services.errors import ServicesError

PENNY = Decimal("0.01")


#: location id -> (alignment start, end or None while open)
Periods = Mapping[str, tuple[date, date | None]]


def _days_aligned(period: tuple[date, date | None], start: date, end: date) -> int:
    first = max(period[0], start)
    last = min(period[1] or end, end)
    return max((last - first).days + 1, 0)


def aligned_bed_years(homes: Iterable[CareHome], periods: Periods, start: date, end: date):
    """Beds x the share of ``start``..``end`` each home was aligned, by days: the premium is
    earned only from the alignment's start (never back-dated) until its end. A whole number
    when every home was aligned all the period."""
    days = (end - start).days + 1
    total = sum(
        (Decimal(h.beds * _days_aligned(periods[h.location_id], start, end)) / days for h in homes),
        Decimal(0),
    )
    return int(total) if total == int(total) else total


def care_home_premium(
    homes: Iterable[CareHome],
    rate: RuleRef,
    data: DataRef | None = None,
    pcn_code: str = "",
    *,
    periods: Periods | None = None,
    year: tuple[date, date] | None = None,
) -> Figure:
    """Annual care home premium: beds in the PCN's aligned homes x the rate per bed per year.

    ``rate`` is the rule row (value a Decimal or decimal string, £ per bed per year) the rules
    engine supplies. With ``periods`` and ``year`` (first and last day), each home's beds count
    only for the days of the year it was aligned (pro rata by days). Rounded to the penny,
    half up.
    """
    homes = list(homes)
    ids = [h.location_id for h in homes]
    if len(set(ids)) != len(ids):
        raise ServicesError("a care home is listed twice; count each aligned home once")
    value = rate.value
    if isinstance(value, float):
        raise ServicesError(f"rate {rate.key} must be a Decimal or a decimal string, not a float")
    per_bed = Decimal(str(value))
    if periods is not None and year is not None:
        days = (year[1] - year[0]).days + 1
        counted = [(h, _days_aligned(periods[h.location_id], *year)) for h in homes]
        counted = [(h, n) for h, n in counted if n]
        homes = [h for h, _ in counted]
        beds = aligned_bed_years(homes, periods, *year)
        how = "; ".join(f"{h.location_id}: {h.beds} beds x {n}/{days} days" for h, n in counted)
        bed_method = f"CQC beds x days aligned in {year[0]} to {year[1]}: {how or 'none'}"
    else:
        beds = sum(h.beds for h in homes)
        bed_method = f"sum of CQC beds over {len(homes)} aligned home(s)"
    beds_fig = Figure(
        label="Beds in aligned care homes",
        value=beds,
        unit="beds",
        method=bed_method,
        data=(data,) if data else (),
    )
    shown = beds if isinstance(beds, int) else f"{beds:.2f}"
    return Figure(
        label=f"Care home premium{' for ' + pcn_code if pcn_code else ''}",
        value=(per_bed * beds).quantize(PENNY, ROUND_HALF_UP),
        unit="GBP per year",
        method=f"{shown} beds x £{per_bed} per bed per year, rounded to the penny ({bed_method})",
        rules=(rate,),
        inputs=(beds_fig,),
    )


@dataclass(frozen=True)
class OverdueRound:
    home: str
    iso_week: tuple[int, int]  # (ISO year, ISO week)
    planned: int
    done: int


def iso_week(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return (year, week)


def overdue_rounds(
    homes: Iterable[str],
    planned: Mapping[tuple[str, tuple[int, int]], int],
    done: Mapping[tuple[str, tuple[int, int]], int],
    first_week: tuple[int, int],
    current_week: tuple[int, int],
) -> list[OverdueRound]:
    """Weeks, from ``first_week`` up to but not including ``current_week``, in which a home had
    no home round done. The rule is at least one round per home per ISO week, whether or not
    one was planned; ``planned`` is shown so a manager can see rota gaps. The current week is
    still running, so it is never overdue. Oldest first, then by home.
    """
    weeks = _weeks(first_week, current_week)
    out = []
    for home in sorted(set(homes)):
        for wk in weeks:
            n_done = done.get((home, wk), 0)
            if n_done < 0 or planned.get((home, wk), 0) < 0:
                raise ServicesError(f"negative round count for home {home} week {wk}")
            if n_done == 0:
                out.append(OverdueRound(home, wk, planned.get((home, wk), 0), n_done))
    out.sort(key=lambda r: (r.iso_week, r.home))
    return out


def _weeks(first: tuple[int, int], stop: tuple[int, int]) -> list[tuple[int, int]]:
    start = date.fromisocalendar(first[0], first[1], 1)
    end = date.fromisocalendar(stop[0], stop[1], 1)
    out = []
    day = start
    while day < end:
        out.append(iso_week(day))
        day = date.fromordinal(day.toordinal() + 7)
    return out
