"""IIF results for every PCN from the loaded measures (Django side)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db.models import Max

from openpcn.core.fyear import FinancialYear
from openpcn.data.registry.national import data_version, national_view  # noqa: F401 (views)
from openpcn.data.services.models import IifMeasure
from openpcn.services.iif import iif_definitions
from openpcn.services.iif.achievement_file import AchievementFile, MeasureRow
from openpcn.services.iif.payments import IndicatorResult
from openpcn.services.iif.pcn_results import ListSizes, pcn_results


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
    membership: str = ""  # the membership file and the date it answers for


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
    sizes = {r.code: r.population for r in view.rows if r.population}
    lists = ListSizes(sizes, ", ".join(view.sources), view.population_as_of)
    done = pcn_results(file, defs, view.membership, lists, first.source.name)
    out = IifYear(
        str(fy),
        file.achievement_date,
        done.results,
        defs,
        view.membership_as_of,
        view.population_as_of,
        first.source.name,
        done.unmapped_practices,
        view.membership.describe(),
    )
    _YEARS.clear()
    _YEARS[key] = out
    return out


def clear() -> None:
    _YEARS.clear()
