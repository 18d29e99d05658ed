"""Registered populations as at a date (Django side). PCN figures are sums of members."""

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
    """Each practice's most recent registered total at or before ``on``."""
    qs = RegisteredPopulation.objects.filter(
        extract_date__lte=on, sex="ALL", age_kind="all", org__kind="practice"
    )
    if codes is not None:
        qs = qs.filter(org__code__in=list(codes))
    best: dict[str, PracticeCount] = {}
    for code, count, extract, source in qs.values_list(
        "org__code", "count", "extract_date", "source__name"
    ).iterator(chunk_size=5000):
        current = best.get(code)
        if current is None or extract > current.extract_date:
            best[code] = PracticeCount(code, count, extract, source)
    return best
