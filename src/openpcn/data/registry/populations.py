"""Registered populations as at a date (Django side). PCN figures are sums of members,
except where NHS England Digital publishes PCN totals only (the single-year-of-age file)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from openpcn.data.registry.models import RegisteredPopulation


@dataclass(frozen=True)
class PracticeCount:
    code: str
    count: int
    extract_date: date
    source: str


def practice_totals(on: date, codes: Iterable[str] | None = None) -> dict[str, PracticeCount]:
    """Each practice's registered total in the newest extract at or before ``on``.

    Every extract is a national snapshot: a practice it leaves out had no registered patients
    then (it closed or merged), so an older extract's count is not carried forward."""
    newest = (
        RegisteredPopulation.objects.filter(
            extract_date__lte=on, sex="ALL", age_kind="all", org__kind="practice"
        )
        .order_by("-extract_date")
        .values_list("extract_date", flat=True)
        .first()
    )
    qs = RegisteredPopulation.objects.filter(
        extract_date=newest, sex="ALL", age_kind="all", org__kind="practice"
    )
    if codes is not None:
        qs = qs.filter(org__code__in=list(codes))
    return _newest_per_org(qs)


def _newest_per_org(qs) -> dict[str, PracticeCount]:
    best: dict[str, PracticeCount] = {}
    for code, count, extract, source in qs.values_list(
        "org__code", "count", "extract_date", "source__name"
    ).iterator(chunk_size=5000):
        current = best.get(code)
        if current is None or extract > current.extract_date:
            best[code] = PracticeCount(code, count, extract, source)
    return best


def pcn_totals(on: date) -> dict[str, PracticeCount]:
    """Each PCN's most recent published registered total at or before ``on`` (stored only from
    files that publish no practice rows, such as -sing-age-regions)."""
    qs = RegisteredPopulation.objects.filter(
        extract_date__lte=on, sex="ALL", age_kind="all", org__kind__in=["pcn", "unaligned"]
    )
    return _newest_per_org(qs)
