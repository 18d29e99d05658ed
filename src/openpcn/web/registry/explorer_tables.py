"""The national explorer's tables as CSV: one row per PCN, per ICB, or per extract date."""

from __future__ import annotations

from datetime import date


def explorer_table(table: str, ctx: dict, on: date, low: int, high: int):
    """(file name, header, rows) of one table, or None when there is no such table."""
    if table == "pcns":
        return (
            f"pcn-sizes-{on}.csv",
            [
                "pcn_code",
                "pcn_name",
                "icb_code",
                "icb_name",
                "registered_patients",
                "practices",
                "largest_practice_share_pct",
                "one_dominant_practice",
                "in_band",
                "as_of",
                "sources",
            ],
            [
                [
                    r.code,
                    r.name,
                    r.icb_code,
                    r.icb_name,
                    r.population,
                    r.practices,
                    r.largest_share,
                    r.dominant,
                    low <= r.population <= high,
                    on,
                    "; ".join(ctx["view"].sources),
                ]
                for r in ctx["view"].rows
            ],
        )
    if table == "icbs":
        return (
            f"pcn-sizes-by-icb-{on}.csv",
            [
                "icb_code",
                "icb_name",
                "pcns",
                "in_band",
                "in_band_pct",
                "below",
                "above",
                "median",
                "one_dominant_practice_pcns",
            ],
            [
                [
                    i["code"],
                    i["name"],
                    i["pcn_count"],
                    i["in_band"],
                    i["in_band_pct"],
                    i["below"],
                    i["above"],
                    i["median"],
                    i["dominant"],
                ]
                for i in ctx["icbs"]
            ],
        )
    if table == "over-time":
        return (
            "pcn-share-in-band-over-time.csv",
            ["extract_date", "pcns", "in_band_pct", "band", "sources"],
            [
                [p["date"], p["pcn_count"], p["in_band_pct"], f"{low}-{high}", p["sources"]]
                for p in ctx["over_time"]
            ],
        )
    return None
