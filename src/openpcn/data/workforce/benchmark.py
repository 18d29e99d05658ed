"""The workforce benchmark for a PCN from the loaded NWRS census (Django side)."""

from __future__ import annotations

from datetime import date

from django.db.models import Max

from openpcn.data.registry.national import data_version, national_view, nearest_extract
from openpcn.data.workforce.models import NationalFte
from openpcn.workforce.benchmark import Benchmark, Source, WorkforceTable, registered_population
from openpcn.workforce.nwrs import NwrsRecord

_BENCHMARKS: dict[tuple, Benchmark] = {}


def latest_census() -> date | None:
    return NationalFte.objects.aggregate(d=Max("census_date"))["d"]


def benchmark(census: date | None = None) -> Benchmark | None:
    """Every PCN's FTE per 10,000 patients by role at the census, against its ICB and England.
    Populations are PCN registered lists (membership and counts) as at the registration extract
    nearest the census date, either side: a June census pairs with the 1 July extract."""
    census = census or latest_census()
    if census is None:
        return None
    key = (census, data_version())
    if key in _BENCHMARKS:
        return _BENCHMARKS[key]
    rows = NationalFte.objects.filter(census_date=census).select_related("source")
    records = [
        NwrsRecord(
            r.data_source,
            r.pcn_code,
            r.pcn_name,
            "",
            r.icb_code,
            r.icb_name,
            "",
            "",
            r.staff_group,
            r.staff_role,
            r.detailed_staff_role,
            r.fte,
        )
        for r in rows
    ]
    if not records:
        return None
    source = Source(
        rows[0].source.name,
        census,
        f"NHS England Digital PCN Workforce (NWRS), census {census:%B %Y}",
    )
    view = national_view(nearest_extract(census))
    population, pop_source = registered_population(view, census)
    result = Benchmark(WorkforceTable.from_records(records, source), population, pop_source)
    _BENCHMARKS.clear()
    _BENCHMARKS[key] = result
    return result


def clear() -> None:
    _BENCHMARKS.clear()
