"""Figures for the public PCN and practice pages (Django side)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Sum

from openpcn.data.registry.models import Organisation, RegisteredPopulation, Relation
from openpcn.data.registry.national import extract_dates, national_view

BANDS = [
    "0_4",
    "5_9",
    "10_14",
    "15_19",
    "20_24",
    "25_29",
    "30_34",
    "35_39",
    "40_44",
    "45_49",
    "50_54",
    "55_59",
    "60_64",
    "65_69",
    "70_74",
    "75_79",
    "80_84",
    "85_89",
    "90_94",
    "95+",
]


def _band_counts(codes: list[str] | None, extract: date) -> dict[tuple[str, str], int]:
    if codes is None:  # England: the same for every page, so cached per data version
        from django.core.cache import cache

        from openpcn.data.registry.national import data_version

        key = f"registry:england-bands:{extract}:{data_version()}"
        counts = cache.get(key)
        if counts is None:
            counts = _query_bands(None, extract)
            cache.set(key, counts, 3600)
        return counts
    return _query_bands(codes, extract)


def _query_bands(codes: list[str] | None, extract: date) -> dict[tuple[str, str], int]:
    qs = RegisteredPopulation.objects.filter(
        extract_date=extract, age_kind="band5", org__kind="practice"
    )
    if codes is not None:
        qs = qs.filter(org__code__in=codes)
    return {
        (s, a): n
        for s, a, n in qs.values("sex", "age")
        .annotate(n=Sum("count"))
        .values_list("sex", "age", "n")
    }


def pyramid(codes: list[str], label: str) -> dict:
    """Age-sex shares of the practices ``codes`` against England, newest banded extract."""
    latest = (
        RegisteredPopulation.objects.filter(age_kind="band5", org__code__in=codes)
        .order_by("-extract_date")
        .values_list("extract_date", "source__name")
        .first()
    )
    if latest is None:
        return {"rows": [], "extract": None, "source": None}
    extract, source = latest
    mine, england = _band_counts(codes, extract), _band_counts(None, extract)
    rows = []
    for who, counts in ((label, mine), ("England", england)):
        total = sum(counts.values()) or 1
        for sex in ("FEMALE", "MALE"):
            for band in BANDS:
                rows.append(
                    {
                        "who": who,
                        "sex": sex,
                        "age": band,
                        "pct": round(counts.get((sex, band), 0) / total * 100, 3),
                    }
                )
    return {"rows": rows, "extract": extract, "source": source}


def trend(codes_by_date) -> list[dict]:
    """Registered total on each practice-level extract date; codes_by_date(d) -> codes."""
    points = []
    for d in extract_dates():
        view = national_view(d)
        codes = codes_by_date(d, view)
        if not codes:
            continue
        total = sum(view.totals.get(c, 0) for c in codes)
        points.append({"date": d.isoformat(), "patients": total, "source": ", ".join(view.sources)})
    return points


def membership_history(code: str, as_child: bool) -> list[dict]:
    """Every PCN membership relation recorded for a practice (as_child) or a PCN."""
    qs = Relation.objects.filter(kind="pcn_member").select_related("child", "parent", "source")
    qs = qs.filter(child__code=code) if as_child else qs.filter(parent__code=code)
    seen = defaultdict(list)
    for r in qs.order_by("observed"):
        other = r.parent if as_child else r.child
        key = (other.code, r.start, r.end)
        seen[key].append(r)
    rows = []
    for (other, start, end), rels in seen.items():
        rows.append(
            {
                "code": other,
                "name": rels[0].parent.name if as_child else rels[0].child.name,
                "start": start,
                "end": end,
                "first_seen": rels[0].observed,
                "last_seen": rels[-1].observed,
                "sources": sorted({r.source.name for r in rels if r.source}),
            }
        )
    rows.sort(key=lambda r: (r["first_seen"], r["code"]))
    return rows


def org_or_none(code: str, kind: str) -> Organisation | None:
    return Organisation.objects.filter(code=code, kind=kind).first()
