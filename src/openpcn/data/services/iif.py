"""IIF results for every PCN from the loaded measures (Django side)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db.models import Max

from openpcn.core.figures import DataRef
from openpcn.core.fyear import FinancialYear
from openpcn.data.registry.national import data_version, national_view  # noqa: F401 (views)
from openpcn.data.services.models import IifMeasure
from openpcn.services.iif import iif_definitions
from openpcn.services.iif.achievement_file import (
    AchievementFile,
    MeasureRow,
    indicator_measures,
)
from openpcn.services.iif.payments import IndicatorResult, compute_payments, roll_up


@dataclass
class IifYear:
    year: str
    achievement_date: date
    results: list[IndicatorResult]
    definitions: object
    membership_as_of: date | None
    population_as_of: date | None
    source: str
    unmapped_practices: list[str]


_YEARS: dict[tuple, IifYear] = {}


def latest_year() -> str | None:
    d = IifMeasure.objects.aggregate(d=Max("achievement_date"))["d"]
    return str(FinancialYear.containing(d)) if d else None


def iif_year(year: str | None = None) -> IifYear | None:
    """Every PCN's IIF results for a year: practice measures roll up to PCNs through the
    membership as at the achievement date; list sizes are PCN registered lists as at it."""
    year = year or latest_year()
    if year is None:
        return None
    fy = FinancialYear.parse(year)
    key = (str(fy), data_version())
    if key in _YEARS:
        return _YEARS[key]
    rows = IifMeasure.objects.filter(achievement_date__range=(fy.start, fy.end)).select_related(
        "source"
    )
    if not rows:
        return None
    first = rows[0]
    file = AchievementFile(
        Path(first.source.name),
        first.achievement_date,
        first.service,
        [
            MeasureRow(r.line, r.level, r.org_code, r.org_name, r.ind_code, r.measure, r.value)
            for r in rows
        ],
    )
    defs = iif_definitions(fy)
    view = national_view(file.achievement_date)
    rolled = roll_up(indicator_measures(file, defs), view.membership)
    sizes = {r.code: r.population for r in view.rows if r.population}
    data = DataRef(
        source=f"{first.source.name}; membership and list sizes: {', '.join(view.sources)}",
        as_of=file.achievement_date,
        description="IIF achievement measures rolled up to PCNs",
    )
    results = compute_payments(defs, rolled.measures, sizes, data)
    out = IifYear(
        str(fy),
        file.achievement_date,
        results,
        defs,
        view.membership_as_of,
        view.population_as_of,
        first.source.name,
        rolled.unmapped_practices,
    )
    _YEARS.clear()
    _YEARS[key] = out
    return out


def clear() -> None:
    _YEARS.clear()
