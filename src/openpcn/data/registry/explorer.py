"""The national explorer's figures (Django side): size distribution, share in band over
time, ICB table, how unequal member practices are. Each figure names its sources."""

from __future__ import annotations

from datetime import date

from openpcn.core.figures import DataRef, Figure
from openpcn.data.registry.national import NationalView, extract_dates, national_view
from openpcn.registry.sizes import DEFAULT_BAND, SizeFigures, summarise
from openpcn.registry.sizes import parse_band as sizes_parse_band


def band_summary(populations: list[int], low: int, high: int) -> SizeFigures:
    return summarise(populations, (low, high))


def parse_band(text: str | None) -> tuple[int, int]:
    """'30000-50000' -> (30000, 50000); the default band when empty."""
    if not text:
        return DEFAULT_BAND
    low, high = sizes_parse_band(text)
    if low < 0:
        raise ValueError(f"band {text!r}: sizes cannot be negative")
    return low, high


def explorer(on: date, low: int, high: int) -> dict:
    view = national_view(on)
    populations = [r.population for r in view.rows]
    summary = band_summary(populations, low, high)
    icb_rows = []
    by_icb = rows_by_icb(view, include_unknown=True)
    for code, rows in sorted(by_icb.items(), key=lambda kv: kv[1][0].icb_name):
        s = band_summary([r.population for r in rows], low, high)
        icb_rows.append(
            {
                "code": code,
                "name": rows[0].icb_name or "ICB not known",
                **s.__dict__,
                "dominant": sum(1 for r in rows if r.dominant),
            }
        )
    over_time = []
    for d in extract_dates():
        v = national_view(d)
        s = band_summary([r.population for r in v.rows], low, high)
        over_time.append(
            {
                "date": d.isoformat(),
                "in_band_pct": s.in_band_pct,
                "pcn_count": s.pcn_count,
                "sources": ", ".join(v.sources),
            }
        )
    data = tuple(
        DataRef(source=name, as_of=view.population_as_of, description="registered patients")
        for name in view.sources
    ) + ((view.membership.data_ref(),) if view.membership_as_of else ())
    return {
        "view": view,
        "summary": summary,
        "figures": figures_for(summary, low, high, data),
        "icbs": icb_rows,
        "over_time": over_time,
        "dominant": sorted((r for r in view.rows if r.dominant), key=lambda r: -r.largest_share),
        "low": low,
        "high": high,
    }


def figures_for(s: SizeFigures, low: int, high: int, data: tuple) -> dict[str, Figure]:
    """The headline numbers as explained figures."""
    count = Figure(
        "PCNs",
        s.pcn_count,
        "PCNs",
        "distinct PCN codes with at least one member practice, excluding U (practices in no PCN)",
        data=data,
    )
    in_band = Figure(
        f"PCNs with {low:,} to {high:,} registered patients",
        s.in_band,
        "PCNs",
        "a PCN's size is the sum of its member practices' most recent registered "
        "counts at or before the date (or NHS England Digital's published PCN total, when "
        "that is for a later extract than any practice count); the band includes both ends",
        data=data,
    )
    return {
        "pcn_count": count,
        "in_band": in_band,
        "in_band_pct": Figure(
            "share of PCNs in the band",
            s.in_band_pct,
            "%",
            "PCNs in band / PCNs x 100, rounded half up to 1 decimal place",
            inputs=(in_band, count),
        ),
        "median": Figure(
            "median PCN size",
            s.median,
            "registered patients",
            "the middle PCN by size (the mean of the middle two when even)",
            data=data,
        ),
    }


def source_note(view: NationalView) -> str:
    files = ", ".join(view.sources) or "no population file loaded"
    return (
        f"Source: {files}; registered patients as of {view.population_as_of or 'n/a'}; "
        f"PCN membership as of {view.membership_as_of or 'n/a'} ({view.membership.source})."
    )


def histogram_rows(populations: list[int], width: int = 5000) -> list[tuple[str, int]]:
    """The histogram's bins as table rows: ('30,000–34,999', 57)."""
    if not populations:
        return []
    counts: dict[int, int] = {}
    for p in populations:
        counts[p // width] = counts.get(p // width, 0) + 1
    return [
        (f"{b * width:,}–{(b + 1) * width - 1:,}", counts.get(b, 0))
        for b in range(0, max(counts) + 1)
    ]


def rows_by_icb(view: NationalView, include_unknown: bool) -> dict[str, list]:
    """The national view's PCN rows grouped by ICB code ('' = not known, when included)."""
    by_icb: dict[str, list] = {}
    for r in view.rows:
        if r.icb_code or include_unknown:
            by_icb.setdefault(r.icb_code, []).append(r)
    return by_icb


def size_report(on: date, low: int, high: int) -> dict:
    """The pcn-sizes report (CLI and API): England, then each ICB; PCNs whose ICB is not
    known count in the England figures only."""
    view = national_view(on)

    def figures(rows):
        return band_summary([r.population for r in rows], low, high).as_dict()

    by_icb = rows_by_icb(view, include_unknown=False)
    return {
        "as_of": on.isoformat(),
        "band": [low, high],
        "membership_as_of": view.membership_as_of.isoformat() if view.membership_as_of else None,
        "population_as_of": view.population_as_of.isoformat() if view.population_as_of else None,
        "sources": list(view.sources),
        **figures(view.rows),
        "practices_matched": view.practices_matched,
        "practices_unmatched": view.practices_unmatched,
        "by_icb": [
            {"icb_code": code, "icb_name": rows[0].icb_name, **figures(rows)}
            for code, rows in sorted(by_icb.items())
        ],
    }
