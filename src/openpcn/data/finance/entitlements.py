"""Entitlements from the database (Django side): NHS England population files as imported."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from openpcn.core.fyear import FinancialYear
from openpcn.data.registry.models import DesPopulation as DesRow
from openpcn.data.registry.national import data_version
from openpcn.data.registry.queries import membership_at
from openpcn.finance.entitlements import entitlements
from openpcn.finance.populations import Populations, from_records
from openpcn.registry.records import DesPopulation

_POPS: dict[tuple, Populations] = {}
_MAX_POPS = 16
_ROWS: dict[tuple, tuple | None] = {}
_FIELDS = (
    "practice__code",
    "practice__name",
    "pcn_code",
    "pcn_name",
    "region_name",
    "raw_list_size",
    "adjusted_population",
    "weighted_population",
    "list_size_date",
    "implausible",
    "implausible_reason",
)


def years_loaded() -> list[str]:
    """The years whose NHS England population file is imported, oldest first."""
    qs = DesRow.objects.order_by("financial_year").values_list("financial_year", flat=True)
    return list(qs.distinct())


def file_year_for(on: date) -> str | None:
    """The population file a figure about ``on`` reads when it takes a file as published
    (Enhanced Access): the file of the year ``on`` falls in, else the newest imported one;
    None when none is imported."""
    year, years = str(FinancialYear.containing(on)), years_loaded()
    return year if year in years else (years[-1] if years else None)


def file_rows(file_year: str) -> tuple[list[dict], str, date] | None:
    """The imported population file's practice rows for ``file_year`` (plain values), its
    name and as-of date; None when none is imported. Read once per data version: every date
    a population is asked about (a claim's month, a forecast's month, today) groups the same
    rows by its own membership."""
    key = (file_year, data_version())
    if key not in _ROWS:
        qs = DesRow.objects.filter(financial_year=file_year).order_by("pk")
        rows = list(qs.values(*_FIELDS))
        first = qs.select_related("source").first()
        if len(_ROWS) >= _MAX_POPS:
            _ROWS.pop(next(iter(_ROWS)))
        _ROWS[key] = (rows, first.source.name, first.source.as_of) if rows else None
    return _ROWS[key]


def populations(year: str, on: date | None = None) -> Populations | None:
    """The year's PCN populations: the imported NHS England file's practice figures summed over
    each PCN's members as at ``on`` (the date the figure is about; default the year's first
    day) by the registry. With no membership loaded, the file's own PCN column groups them
    (and the figures say so)."""
    on = on or FinancialYear.parse(year).start
    key = (year, on, data_version())
    if key in _POPS:
        return _POPS[key]
    file_year, carried = year, ""
    if not DesRow.objects.filter(financial_year=year).exists():
        earlier = [y for y in years_loaded() if y < year]
        if not earlier:
            return None
        file_year = earlier[-1]
        carried = (
            f"no {year} population file is imported: the {file_year} file's populations stand"
            f" in until NHS England publishes the {year} file"
        )
    found = file_rows(file_year)
    if found is None:
        return None
    rows, source, as_of = found
    records = [
        DesPopulation(
            financial_year=year,
            practice_code=r["practice__code"],
            practice_name=r["practice__name"],
            pcn_code=r["pcn_code"] or None,
            pcn_name=r["pcn_name"] or None,
            icb_code="",
            icb_name="",
            region_code="",
            region_name=r["region_name"],
            raw_list_size=r["raw_list_size"] or 0,
            adjusted_population=int(r["adjusted_population"] or 0),
            weighted_population=int(r["weighted_population"])
            if r["weighted_population"] is not None
            else None,
            latest_list_size=None,
            latest_list_size_date=r["list_size_date"],
            pcn_member=None,
            implausible=r["implausible"],
            implausible_reason=r["implausible_reason"],
        )
        for r in rows
    ]
    members = membership_at(on)
    pops = from_records(
        records,
        source,
        as_of,
        year,
        membership=members if members.files else None,
        membership_source=f"members: {members.describe()}" if members.files else "",
    )
    if carried:
        pops = replace(pops, carried_note=carried)
    if len(_POPS) >= _MAX_POPS:
        _POPS.pop(next(iter(_POPS)))
    _POPS[key] = pops
    return pops


def pcn_entitlements(
    pcn_code: str, year: str, beds: int | None = None, on: date | None = None, rules=None
):
    """(streams, populations) or (None, reason); populations by the membership as at ``on``
    (the year's first day unless the figure is about another date, e.g. a forecast month).
    The rules are the year's national rules with the overlay of the PCN's ICB, if it has one
    (:func:`openpcn.data.rules.overlays.rules_for_pcn`): varied rows name the ICB. A caller
    that has them already (an ICB's table of its PCNs) passes them as ``rules``."""
    pops = populations(year, on)
    if pops is None:
        return None, (
            f"No NHS England PCN population file for {year} has been imported; "
            f"years available: {', '.join(years_loaded()) or 'none'}."
        )
    if pcn_code not in pops.pcns:
        return None, (
            f"{pcn_code} has no member practices in {pops.source}, the {year} population file"
            f" ({pops.membership_note})."
        )
    if beds is None:  # beds in the PCN's aligned care homes, when care homes are loaded
        from openpcn.data.services.care_homes import aligned_beds

        beds = aligned_beds(pcn_code, year)
    from openpcn.data.rules.overlays import OverlayError, rules_for_pcn

    try:
        rules = rules or rules_for_pcn(pcn_code, year, on)  # national + the PCN's ICB overlay
    except OverlayError as exc:
        return None, f"The local variation of {pcn_code}'s ICB does not validate: {exc}"
    return entitlements(pcn_code, rules, pops, beds), pops


def clear() -> None:
    _POPS.clear()
    _ROWS.clear()
