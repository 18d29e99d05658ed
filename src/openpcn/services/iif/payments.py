"""IIF payments per PCN and indicator, from practice- or PCN-level measures.

payment = points x £ per point x list-size adjustment x prevalence adjustment, rounded to the
penny (half up) per PCN and indicator. List-size adjustment = PCN list size / national
average PCN list size. Prevalence adjustment = PCN prevalence / national prevalence, with
prevalence = indicator denominator / PCN list size (applied only where the indicator has one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from openpcn.core.figures import DataRef, Figure, RuleRef
from openpcn.rules.iif_schema import Indicator, YearDefinitions
from openpcn.services.errors import ServicesError
from openpcn.services.iif.achievement_file import OrgMeasures
from openpcn.services.iif.scale import achievement_pct, patients_to_next_threshold, points

PENNY = Decimal("0.01")


@dataclass
class PcnMeasures:
    pcn_code: str
    indicator: str
    values: dict[str, Decimal]
    practices: tuple[str, ...] = ()  # practices rolled up (empty for PCN-level rows)


@dataclass
class RollUp:
    measures: list[PcnMeasures]
    unmapped_practices: list[str] = field(default_factory=list)


def roll_up(org_measures: Iterable[OrgMeasures], membership: Mapping[str, str]) -> RollUp:
    """Sum practice measures into their PCN (membership: practice -> PCN as at the
    achievement date); PCN-level rows pass through. Practices without a PCN ("U" or absent)
    are listed in ``unmapped_practices`` and not counted.
    """
    sums: dict[tuple[str, str], PcnMeasures] = {}
    unmapped: set[str] = set()
    for m in org_measures:
        if m.level == "pcn":
            key = (m.org_code, m.indicator)
            if key in sums:
                raise ServicesError(f"{m.indicator} for {m.org_code} appears twice")
            sums[key] = PcnMeasures(m.org_code, m.indicator, dict(m.values))
            continue
        pcn = membership.get(m.org_code)
        if not pcn or pcn == "U":
            unmapped.add(m.org_code)
            continue
        agg = sums.setdefault((pcn, m.indicator), PcnMeasures(pcn, m.indicator, {}))
        for role, v in m.values.items():
            agg.values[role] = agg.values.get(role, Decimal(0)) + v
        agg.practices = (*agg.practices, m.org_code)
    measures = sorted(sums.values(), key=lambda p: (p.pcn_code, p.indicator))
    return RollUp(measures, sorted(unmapped))


@dataclass
class IndicatorResult:
    pcn_code: str
    indicator: str
    kind: str
    numerator: Decimal | None
    denominator: Decimal | None
    achievement_pct: Decimal | None
    points: Decimal | None
    amount: Decimal | None
    next_threshold: tuple[str, int] | None
    figure: Figure | None
    practices: tuple[str, ...] = ()
    counts: str = ""  # what the numerator counts (the indicator definition's unit)

    @property
    def to_next_threshold(self) -> str:
        """'60 more appointments to reach the upper threshold', or '' at the top."""
        if not self.next_threshold:
            return ""
        name, n = self.next_threshold
        return f"{n:,} more {self.counts} to reach the {name} threshold"

    def row(self) -> dict:
        def s(v, q=None):
            if v is None:
                return None
            return str(v.quantize(q, ROUND_HALF_UP)) if q else str(v)

        return {
            "pcn_code": self.pcn_code,
            "indicator": self.indicator,
            "kind": self.kind,
            "numerator": _count(self.numerator),
            "denominator": _count(self.denominator),
            "achievement_pct": s(self.achievement_pct, Decimal("0.01")),
            "points": s(self.points, Decimal("0.01")),
            "amount": s(self.amount),
            "next_threshold": self.next_threshold[0] if self.next_threshold else None,
            "more_to_next_threshold": self.next_threshold[1] if self.next_threshold else None,
            "counts": self.counts,
            "practices": len(self.practices),
        }


def _count(v: Decimal | None) -> int | str | None:
    """Counts as integers (JSON numbers); a fractional published value stays a string."""
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else str(v)


def _rule(defs: YearDefinitions, key: str, value, unit: str, source, verified: bool) -> RuleRef:
    return RuleRef(
        year=defs.year,
        key=key,
        value=value,
        unit=unit,
        source=", ".join(source),
        verified=verified,
    )


def compute_payments(
    defs: YearDefinitions,
    measures: Iterable[PcnMeasures],
    list_sizes: Mapping[str, int] | None = None,
    data: DataRef | tuple[DataRef, ...] | None = None,
    as_awarded: bool = False,
) -> list[IndicatorResult]:
    """One result per PCN per indicator. ``list_sizes`` (PCN -> registered list) is needed
    for list-size and prevalence adjustments; the national average is the mean over the PCNs
    given. A payable indicator for a PCN without a list size is an error. ``data``: the
    achievement file (and the membership and list sizes) every payment names.

    ``as_awarded``: for indicators marked ``awarded_in_full`` (2023/24 ACC-08), give every PCN
    full points, as NHS England did; otherwise points follow the measured achievement.
    """
    measures = list(measures)
    data = data if isinstance(data, tuple) else ((data,) if data else ())
    sizes = dict(list_sizes or {})
    avg = Decimal(sum(sizes.values())) / len(sizes) if sizes else None
    national_prev: dict[str, Decimal] = {}
    for ind in defs.indicators:
        if ind.payable and ind.prevalence_adjustment:
            dens = [m for m in measures if m.indicator == ind.code and m.pcn_code in sizes]
            total_list = sum(sizes[m.pcn_code] for m in dens)
            if total_list:
                national_prev[ind.code] = (
                    sum(m.values.get("denominator", Decimal(0)) for m in dens) / total_list
                )
    ppp = defs.pound_per_point
    ppp_rule = _rule(
        defs, "iif_pound_per_point", ppp.value, "GBP_per_point", ppp.source, ppp.verified
    )
    out = []
    for m in measures:
        ind = defs.indicator(m.indicator)
        num = m.values.get("numerator")
        den = m.values.get("denominator")
        ach = achievement_pct(num, den) if num is not None and den is not None else None
        if not ind.payable:
            out.append(_result(m, ind, num, den, ach, practices=m.practices))
            continue
        out.append(
            _payable(
                defs, ind, m, num, den, ach, sizes, avg, national_prev, ppp_rule, data, as_awarded
            )
        )
    return out


def _payable(
    defs, ind: Indicator, m, num, den, ach, sizes, avg, national_prev, ppp_rule, data, as_awarded
):
    awarded = as_awarded and ind.awarded_in_full
    pts = Decimal(ind.points) if awarded else points(ind, ach)
    ind_rule = _rule(
        defs,
        f"iif.{ind.code}",
        {
            "points": ind.points,
            "lower_threshold": str(ind.lower_threshold),
            "upper_threshold": str(ind.upper_threshold),
        },
        "points",
        ind.source,
        ind.verified,
    )
    amount = pts * ppp_rule.value
    method = [f"{pts:.2f} points x £{ppp_rule.value}"]
    inputs = [
        Figure(
            "Achievement",
            ach,
            "%",
            f"{num} / {den} x 100" if ach is not None else "denominator is 0",
            data=data[:1],
        ),
        Figure(
            "Points",
            pts,
            "points",
            f"awarded in full ({ind.points}) whatever the achievement: {ind.note}"
            if awarded
            else f"clamp((achievement - {ind.lower_threshold}) / ({ind.upper_threshold} - "
            f"{ind.lower_threshold}), 0, 1) x {ind.points}",
            rules=(ind_rule,),
        ),
    ]
    if ind.list_size_adjustment or ind.prevalence_adjustment:
        if m.pcn_code not in sizes or not avg:
            raise ServicesError(f"no list size for {m.pcn_code}: needed for {ind.code} payment")
        size = Decimal(sizes[m.pcn_code])
    if ind.list_size_adjustment:
        lsa = size / avg
        amount *= lsa
        method.append(f"x list-size adjustment {lsa:.4f} ({size} / national average {avg:.1f})")
        inputs.append(Figure("List-size adjustment", lsa, "ratio", defs.list_size_basis))
    if ind.prevalence_adjustment:
        nat = national_prev.get(ind.code)
        pa = Decimal(0) if not nat or not size else (den / size) / nat
        amount *= pa
        method.append(f"x prevalence adjustment {pa:.4f}")
        inputs.append(Figure("Prevalence adjustment", pa, "ratio", defs.prevalence_basis))
    amount = amount.quantize(PENNY, ROUND_HALF_UP)
    fig = Figure(
        label=f"IIF {ind.code} payment for {m.pcn_code}",
        value=amount,
        unit="GBP",
        method=" ".join(method) + ", rounded to the penny (half up)",
        rules=(ind_rule, ppp_rule),
        data=data,
        inputs=tuple(inputs),
    )
    return _result(
        m, ind, num, den, ach, pts, amount, patients_to_next_threshold(ind, num, den), fig,
        practices=m.practices, counts=ind.counts,
    )  # fmt: skip


def _result(m, ind: Indicator, num, den, ach, pts=None, amount=None, to_next=None, fig=None,
            **rest) -> IndicatorResult:  # fmt: skip
    """An indicator's result for a PCN (no points, amount or figure when it is not payable)."""
    return IndicatorResult(m.pcn_code, ind.code, ind.kind, num, den, ach, pts, amount, to_next,
                           fig, **rest)  # fmt: skip
