"""The ICB commissioner's comparison of its PCNs: size, workforce per 10,000 and IIF
achievement side by side (presentation across domains; each figure comes from its domain)."""

from __future__ import annotations

from openpcn.data.services.iif import iif_year
from openpcn.data.workforce.benchmark import benchmark
from openpcn.workforce.benchmark import BenchmarkError


def compare(pcns: list[dict]) -> tuple[list[dict], dict]:
    """Adds arrs_per_10k, arrs_pct_england, acc08_pct, iif_amount to each PCN row."""
    bench = benchmark()
    year = iif_year()
    iif = {}
    if year is not None:
        for r in year.results:
            if r.indicator == "ACC-08":
                iif[r.pcn_code] = r
    rows = []
    for p in pcns:
        row = dict(p)
        if bench is not None:
            try:
                rb = bench.for_pcn(p["code"], roles=["all_arrs_roles"]).roles["all_arrs_roles"]
                row["arrs_per_10k"] = float(rb.rate.value)
                pct = rb.england.percentile_rank.value
                row["arrs_pct_england"] = None if pct is None else round(float(pct))
            except BenchmarkError:
                pass
        r = iif.get(p["code"])
        if r is not None:
            row["acc08_pct"] = r.achievement_pct
            row["iif_amount"] = r.amount
        rows.append(row)
    sources = {
        "workforce": f"{bench.table.source.path} (census {bench.table.source.as_of}; "
        f"{bench.population_source.description})"
        if bench
        else None,
        "iif": f"{year.source} (achievement {year.achievement_date}; membership {year.membership})"
        if year
        else None,
    }
    return rows, sources
