"""Figures for the public PCN and practice pages (Django side)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Sum

from openpcn.data.registry.models import Organisation, RegisteredPopulation, Relation
from openpcn.data.registry.national import extract_dates, national_view
from openpcn.data.registry.queries import membership_files

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


_ENGLAND: dict[tuple, dict[tuple[str, str], int]] = {}


def _band_counts(codes: list[str] | None, extract: date) -> dict[tuple[str, str], int]:
    if codes is None:  # England: the same for every page, so kept per data version
        from openpcn.data.registry.national import data_version

        key = (extract, data_version())
        if key not in _ENGLAND:
            if len(_ENGLAND) >= 8:
                _ENGLAND.clear()
            _ENGLAND[key] = _query_bands(None, extract)
        return _ENGLAND[key]
    return _query_bands(codes, extract)


def clear_england() -> None:
    _ENGLAND.clear()


def england_bands() -> None:
    """England's age-sex counts at the newest banded extract, which every PCN and practice
    page sets its own beside (a sum over every practice: read once per data version)."""
    newest = (
        RegisteredPopulation.objects.filter(age_kind="band5", org__kind="practice")
        .order_by("-extract_date")
        .values_list("extract_date", flat=True)
        .first()
    )
    if newest is not None:
        _band_counts(None, newest)


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
    """One row per practice (or, for a practice, per PCN) per period of membership, with its
    first and last day: the answer of :func:`membership_at` at every date anything changes
    (each membership file's observation date, each dated relation's start and the day after
    its end), joined into periods. A period still true in the newest file has no end; one the
    newest file no longer shows (a practice that moved, a dissolved PCN) ends the day before
    the first date it stopped being true."""
    from datetime import timedelta

    from openpcn.registry.membership import active, choose_files

    qs = Relation.objects.filter(kind="pcn_member").select_related("child", "parent", "source")
    qs = qs.filter(child__code=code) if as_child else qs.filter(parent__code=code)
    rels = list(qs)
    if not rels:
        return []
    files = membership_files()
    points = {f.observed for f in files}
    for r in rels:
        if r.start:
            points.add(r.start)
        if r.end:
            points.add(r.end + timedelta(days=1))
    names = {}
    open_runs: dict[str, dict] = {}
    rows: list[dict] = []
    for day in sorted(points):
        chosen = {f.observed for f in choose_files(day, files)}
        now: dict[str, list] = defaultdict(list)
        for r in rels:
            if r.observed in chosen and active(r.start, r.end, day):
                other = r.parent if as_child else r.child
                names[other.code] = other.name
                now[other.code].append(r)
        for other in list(open_runs):
            if other not in now:
                run = open_runs.pop(other)
                run["end"] = day - timedelta(days=1)
                rows.append(run)
        for other, found in now.items():
            run = open_runs.get(other)
            if run is None:
                run = open_runs[other] = {
                    "code": other,
                    "start": day,
                    "end": None,
                    "sources": set(),
                    "first_seen": min(r.observed for r in found),
                    "last_seen": day,
                }
            run["last_seen"] = max(r.observed for r in found)
            run["sources"] |= {r.source.name for r in found if r.source}
    rows.extend(open_runs.values())
    for row in rows:
        row["name"] = names.get(row["code"], row["code"])
        # every file whose relation overlaps the period saw it, chosen for a date or not
        seen = [
            r
            for r in rels
            if (r.parent if as_child else r.child).code == row["code"]
            and (r.start is None or row["end"] is None or r.start <= row["end"])
            and (r.end is None or r.end >= row["start"])
            and (r.start is not None or r.observed >= row["start"])
            and (r.start is not None or row["end"] is None or r.observed <= row["end"])
        ]
        row["sources"] = sorted(row["sources"] | {r.source.name for r in seen if r.source})
        if seen:
            row["first_seen"] = min(row["first_seen"], *(r.observed for r in seen))
            row["last_seen"] = max(row["last_seen"], *(r.observed for r in seen))
    rows.sort(key=lambda r: (r["start"], r["code"]))
    return rows


def org_or_none(code: str, kind: str) -> Organisation | None:
    return Organisation.objects.filter(code=code, kind=kind).first()
