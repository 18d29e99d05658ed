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


def care_home_premium(
    homes: Iterable[CareHome], rate: RuleRef, data: DataRef | None = None, pcn_code: str = ""
) -> Figure:
    """Annual care home premium: beds in the PCN's aligned homes x the rate per bed per year.

    ``rate`` is the rule row (value a Decimal or decimal string, £ per bed per year) the rules
    engine supplies. Rounded to the penny, half up.
    """
    homes = list(homes)
    ids = [h.location_id for h in homes]
    if len(set(ids)) != len(ids):
        raise ServicesError("a care home is listed twice; count each aligned home once")
    value = rate.value
    if isinstance(value, float):
        raise ServicesError(f"rate {rate.key} must be a Decimal or a decimal string, not a float")
    per_bed = Decimal(str(value))
    beds = sum(h.beds for h in homes)
    beds_fig = Figure(
        label="Beds in aligned care homes",
        value=beds,
        unit="beds",
        method=f"sum of CQC beds over {len(homes)} aligned home(s)",
        data=(data,) if data else (),
    )
    return Figure(
        label=f"Care home premium{' for ' + pcn_code if pcn_code else ''}",
        value=(per_bed * beds).quantize(PENNY, ROUND_HALF_UP),
        unit="GBP per year",
        method=f"{beds} beds x £{per_bed} per bed per year, rounded to the penny",
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
