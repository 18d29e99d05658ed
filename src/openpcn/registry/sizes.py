"""The PCN-size report: how many PCNs are within the 30,000-50,000 band (pure computation).

Input: membership rows (anything with ``practice_code``, ``pcn_code`` and optionally
``icb_code``: map records, DES records, or :class:`Member`) and each practice's registered
count. A PCN's size is the sum of its member practices' counts. Rules:

- PCN code "U" (unaligned practices), None or "" is never a PCN.
- practices_matched / practices_unmatched count every membership row (practices in no PCN
  included) with / without a count; PCNs none of whose members have a count are left out of
  the figures and counted in ``pcns_without_population``.
- band is inclusive at both ends; in_band_pct is rounded half-up to 1 decimal place.
- median is the statistical median of PCN sizes (x.5 when the middle two differ by an odd number).
- A PCN's ICB is the most common non-blank ``icb_code`` of its members (ties: lowest code);
  ``by_icb`` has the same figures per ICB (PCNs with no known ICB are only in the totals).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpcn.core.figures import DataRef, Figure

DEFAULT_BAND = (30_000, 50_000)
NOT_A_PCN = frozenset({"U", ""})


@dataclass(frozen=True)
class Member:
    practice_code: str
    pcn_code: str | None
    icb_code: str = ""


@dataclass(frozen=True)
class SizeFigures:
    pcn_count: int
    in_band: int
    in_band_pct: float
    below: int
    above: int
    median: float | int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "pcn_count": self.pcn_count,
            "in_band": self.in_band,
            "in_band_pct": self.in_band_pct,
            "below": self.below,
            "above": self.above,
            "median": self.median,
        }


@dataclass(frozen=True)
class PcnSizeReport(SizeFigures):
    band: tuple[int, int] = DEFAULT_BAND
    practices_matched: int = 0
    practices_unmatched: int = 0
    practices_in_no_pcn: int = 0
    pcns_without_population: int = 0
    by_icb: dict[str, SizeFigures] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    icb_of_pcn: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out.update(
            band=list(self.band),
            practices_matched=self.practices_matched,
            practices_unmatched=self.practices_unmatched,
            practices_in_no_pcn=self.practices_in_no_pcn,
            pcns_without_population=self.pcns_without_population,
            by_icb={icb: f.as_dict() for icb, f in sorted(self.by_icb.items())},
        )
        return out

    def figures(self, data: tuple[DataRef, ...] = ()) -> dict[str, Figure]:
        """The headline numbers as explained figures (data = the files used, with as-of)."""
        low, high = self.band
        count = Figure(
            "PCNs", self.pcn_count, "PCNs", "PCN codes other than U with a count", (), data
        )
        in_band = Figure(
            f"PCNs with {low:,}-{high:,} patients",
            self.in_band,
            "PCNs",
            "sum of member practices' registered patients, band inclusive",
            (),
            data,
        )
        return {
            "pcn_count": count,
            "in_band": in_band,
            "in_band_pct": Figure(
                "share of PCNs in band",
                self.in_band_pct,
                "%",
                "in_band / pcn_count x 100, 1 dp half-up",
                inputs=(in_band, count),
            ),
            "median": Figure("median PCN size", self.median, "patients", "median", (), data),
        }


def pct(part: int, whole: int) -> float:
    if not whole:
        return 0.0
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return float(value)


def summarise(sizes: Iterable[int], band: tuple[int, int] = DEFAULT_BAND) -> SizeFigures:
    values = list(sizes)
    low, high = band
    in_band = sum(1 for v in values if low <= v <= high)
    below = sum(1 for v in values if v < low)
    median = statistics.median(values) if values else None
    if isinstance(median, float) and median.is_integer():
        median = int(median)
    return SizeFigures(
        len(values),
        in_band,
        pct(in_band, len(values)),
        below,
        len(values) - in_band - below,
        median,
    )


def pcn_sizes(
    members: Iterable[Any] | Mapping[str, str | None],
    populations: Mapping[str, int],
    band: tuple[int, int] = DEFAULT_BAND,
    icb_of_pcn: Mapping[str, str] | None = None,
) -> PcnSizeReport:
    """Compute the report. Raises ValueError on a practice listed twice or a bad band.

    ``members`` may also be a mapping practice code -> PCN code; ``icb_of_pcn`` (PCN code ->
    ICB code), when given, decides each PCN's ICB instead of its members' ``icb_code``.
    """
    if isinstance(members, Mapping):
        members = [Member(code, pcn) for code, pcn in members.items()]
    low, high = band
    if low > high:
        raise ValueError(f"band {low}-{high}: the lower bound is above the upper")
    seen: set[str] = set()
    totals: dict[str, int] = defaultdict(int)
    has_count: set[str] = set()
    all_pcns: set[str] = set()
    icbs: dict[str, Counter] = defaultdict(Counter)
    matched = unmatched = no_pcn = 0
    for m in members:
        code = m.practice_code
        if code in seen:
            raise ValueError(f"practice {code} is listed twice in the membership")
        seen.add(code)
        count = populations.get(code)
        if count is None:
            unmatched += 1
        else:
            matched += 1
        pcn = m.pcn_code or ""
        if pcn in NOT_A_PCN:
            no_pcn += 1
            continue
        all_pcns.add(pcn)
        icb = getattr(m, "icb_code", "") or ""
        if icb:
            icbs[pcn][icb] += 1
        if count is not None:
            totals[pcn] += count
            has_count.add(pcn)
    sizes = {pcn: totals[pcn] for pcn in sorted(has_count)}
    icb_of = {
        pcn: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for pcn, c in icbs.items() if c
    }
    if icb_of_pcn is not None:
        icb_of = {pcn: icb for pcn, icb in icb_of_pcn.items() if icb and pcn in all_pcns}
    by_icb_sizes: dict[str, list[int]] = defaultdict(list)
    for pcn, size in sizes.items():
        if pcn in icb_of:
            by_icb_sizes[icb_of[pcn]].append(size)
    overall = summarise(sizes.values(), band)
    return PcnSizeReport(
        **overall.__dict__,
        band=(low, high),
        practices_matched=matched,
        practices_unmatched=unmatched,
        practices_in_no_pcn=no_pcn,
        pcns_without_population=len(all_pcns - has_count),
        by_icb={icb: summarise(v, band) for icb, v in sorted(by_icb_sizes.items())},
        sizes=sizes,
        icb_of_pcn=icb_of,
    )


def parse_band(text: str) -> tuple[int, int]:
    """'30000-50000' -> (30000, 50000)."""
    try:
        low, high = (int(p.replace(",", "").strip()) for p in text.split("-"))
    except ValueError:
        raise ValueError(f"band {text!r}: write it like 30000-50000") from None
    if low > high:
        raise ValueError(f"band {text!r}: the lower bound is above the upper")
    return low, high
