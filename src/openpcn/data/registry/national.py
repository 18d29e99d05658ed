"""National figures as at a date (Django side): one row per PCN with its population,
practices, ICB and how unequal its practices are. Cached per date and data version.

A PCN's population is the sum of its member practices' most recent counts at or before the
date, unless NHS England Digital published PCN totals for a later extract than any practice
count (the single-year-of-age file has PCN rows only): then those totals, as published."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Max

from openpcn.data.registry.models import IngestedFile, Organisation, RegisteredPopulation
from openpcn.data.registry.populations import pcn_totals, practice_totals
from openpcn.data.registry.queries import clear_memberships, membership_at, relation_rows, resolve
from openpcn.registry.membership import Membership

UNALIGNED = "U"
DOMINANT_SHARE = 50.0  # a PCN whose largest practice holds over half its patients


@dataclass(frozen=True)
class PcnRow:
    code: str
    name: str
    icb_code: str
    icb_name: str
    population: int
    practices: int
    practices_with_count: int
    largest_share: float  # % of the PCN's patients in its largest practice
    dominant: bool


@dataclass(frozen=True)
class NationalView:
    on: date
    membership_as_of: date | None
    population_as_of: date | None
    sources: tuple[str, ...]
    rows: tuple[PcnRow, ...]
    practices_matched: int
    practices_unmatched: int
    membership: Membership  # practice -> pcn (including U), with its file and date
    totals: dict  # practice -> count
    counts: dict  # practice -> PracticeCount (count, extract date, source file)

    def members(self, pcn_code: str) -> list[str]:
        """The PCN's member practices as at the view's date, in code order."""
        return self.membership.members_of(pcn_code)


def data_version() -> int:
    return IngestedFile.objects.aggregate(m=Max("id"))["m"] or 0


_DATES: dict[int, list[date]] = {}


def extract_dates() -> list[date]:
    """Every practice-level extract date loaded, oldest first (memoised per data version)."""
    version = data_version()
    if version not in _DATES:
        _DATES.clear()
        _DATES[version] = sorted(
            RegisteredPopulation.objects.filter(org__kind="practice", sex="ALL", age_kind="all")
            .values_list("extract_date", flat=True)
            .distinct()
        )
    return _DATES[version]


def nearest_extract(day: date) -> date:
    """The practice registration extract date nearest ``day``, either side (ties: the
    earlier): a June workforce census pairs with the 1 July extract. ``day`` when none."""
    dates = extract_dates()
    return min(dates, key=lambda d: (abs((d - day).days), d)) if dates else day


def latest_date() -> date:
    dates = extract_dates()
    return dates[-1] if dates else date.today()


# Per-process memo of computed views (no pickling: a view holds ~20k small objects).
# Keyed by date and data version, so an import elsewhere makes it recompute.
_VIEWS: dict[tuple[date, int], NationalView] = {}
_MAX_VIEWS = 32


def clear_views() -> None:
    _VIEWS.clear()
    _DATES.clear()
    clear_memberships()


def national_view(on: date) -> NationalView:
    key = (on, data_version())
    view = _VIEWS.get(key)
    if view is None:
        view = _compute(on)
        if len(_VIEWS) >= _MAX_VIEWS:
            _VIEWS.pop(next(iter(_VIEWS)))
        _VIEWS[key] = view
    return view


def _newer_pcn_totals(on: date, practice_counts: dict) -> dict:
    """PCN totals NHS England Digital published for a later extract than every practice count
    at or before ``on`` (the single-year-of-age file publishes PCN rows only): then a PCN's
    population is its published total for that extract, as the publication gives it."""
    published = pcn_totals(on)
    newest = max((t.extract_date for t in published.values()), default=None)
    practice_date = max((t.extract_date for t in practice_counts.values()), default=None)
    if newest is None or (practice_date is not None and newest <= practice_date):
        return {}
    return {code: t for code, t in published.items() if t.extract_date == newest}


def _compute(on: date) -> NationalView:
    membership = membership_at(on)
    observed = membership.observed
    totals_full = practice_totals(on, membership.keys())
    totals = {c: t.count for c, t in totals_full.items()}
    published = _newer_pcn_totals(on, totals_full)
    icb_of = resolve(relation_rows("in_icb"), on) or resolve(relation_rows("in_stp"), on)
    names = dict(
        Organisation.objects.filter(kind__in=["pcn", "icb", "stp"]).values_list("code", "name")
    )
    by_pcn: dict[str, list[str]] = defaultdict(list)
    for practice, pcn in membership.items():
        by_pcn[pcn].append(practice)
    rows = []
    for pcn, practices in by_pcn.items():
        if pcn == UNALIGNED:
            continue
        counts = [totals[p] for p in practices if p in totals]
        summed = sum(counts)
        population = published[pcn].count if pcn in published else summed
        largest = max(counts) / summed * 100 if summed else 0.0
        icbs = sorted(icb_of.get(pcn, ()))
        icb = icbs[0] if icbs else ""
        rows.append(
            PcnRow(
                pcn,
                names.get(pcn, pcn),
                icb,
                names.get(icb, icb),
                population,
                len(practices),
                len(counts),
                round(largest, 1),
                len(counts) > 1 and largest > DOMINANT_SHARE,
            )
        )
    rows.sort(key=lambda r: r.code)
    used = published or totals_full
    sources = sorted({t.source for t in used.values()})
    if published:  # a practice counts in its PCN's published total
        matched = sum(1 for p, pcn in membership.items() if pcn in published)
    else:
        matched = sum(1 for p in membership if p in totals)
    return NationalView(
        on=on,
        membership_as_of=observed,
        population_as_of=max((t.extract_date for t in used.values()), default=None),
        sources=tuple(sources),
        rows=tuple(rows),
        practices_matched=matched,
        practices_unmatched=len(membership) - matched,
        membership=membership,
        totals=totals,
        counts=totals_full,
    )
