"""Entitlements: every payment stream a PCN is owed in a financial year, explained.

::

    from openpcn.finance.entitlements import entitlements, all_entitlements
    from openpcn.finance.populations import read_population_file

    pops = read_population_file(".../pcn_data_2024-25_weighted.csv")
    for s in entitlements("U74819", "2024-25", pops, beds=40):
        s.stream, s.annual_amount, s.available, s.reason, s.figure.as_dict()

How each part is worked out (one part per rule row of the stream's keys):

- annual rate (units ``GBP_per_..._patient``, ``GBP_per_bed``): rate x population x months the
  row covers / 12. A row covering the whole year is 12/12; Enhanced Access from 1 Oct 2022
  is 6/12. Months are calendar months; a part-month counts its days / days in that month.
- period amount (units ending ``_for_period``): rate x population, not pro-rated (the 2024/25
  GP sum from 1 Oct 2024, the 2019/20 Clinical Director from 1 Jul 2019, ...).
- the ARRS sum is rate x the PCN's weighted population for the whole year (never pro-rated).
- each part is rounded to pennies (half up); a stream is the sum of its rounded parts
  (see :mod:`openpcn.finance.money`).

Nothing is guessed: a stream whose population is missing (no weighted population in the
year's file), whose beds are unknown, or whose rate the rule file lacks is returned with
``available=False`` and the reason.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache, cached_property

from openpcn.core.figures import DataRef, Figure
from openpcn.core.fyear import FinancialYear
from openpcn.finance.money import pennies
from openpcn.finance.populations import PcnPopulation, Populations
from openpcn.finance.streams import STREAMS, StreamDef
from openpcn.rules import RuleSet, RuleValue, load_year

_ZERO = Decimal("0.00")


@dataclass(frozen=True)
class StreamPart:
    """One rule row applied to one population: rate x population (x months / 12)."""

    key: str
    basis: str
    population: int | None
    rate: Decimal
    unit: str
    months: Decimal | None  # None for period amounts (not pro-rated)
    applies_from: date
    applies_to: date
    amount: Decimal | None
    source: str
    verified: bool
    rule: RuleValue


@dataclass(frozen=True)
class StreamFigure:
    """One payment stream of one PCN in one year, with its breakdown.

    ``figure`` (the explained :class:`Figure`: method text, rule and data references) is built
    on first use, so computing every stream of every PCN stays cheap.
    """

    pcn_code: str
    year: str
    stream: str
    label: str
    paid_to: str
    available: bool
    annual_amount: Decimal | None  # pennies; None when not available
    parts: tuple[StreamPart, ...]
    population_source: str
    population_as_of: date | None
    reason: str = ""  # why not available
    notes: tuple[str, ...] = field(default_factory=tuple)
    data: tuple[DataRef, ...] = ()
    fallback_rules: tuple[RuleValue, ...] = ()  # rules shown when there are no parts (iif)

    @cached_property
    def figure(self) -> Figure:
        method = "; ".join(_method(p) for p in self.parts) or self.reason
        if self.reason and self.parts:
            method += f" ({self.reason})"
        rows = [p.rule for p in self.parts] or list(self.fallback_rules)
        return Figure(
            label=f"{self.label} {self.year}",
            value=self.annual_amount,
            unit="GBP",
            method=method,
            rules=tuple(_ref(r) for r in rows),
            data=self.data,
        )

    @property
    def verified(self) -> bool:
        if self.parts:
            return all(p.verified for p in self.parts)
        return all(r.verified for r in self.fallback_rules)

    @property
    def basis(self) -> str:
        return " + ".join(dict.fromkeys(p.basis for p in self.parts)) or ""

    @property
    def source(self) -> str:
        return " | ".join(dict.fromkeys(p.source for p in self.parts))

    def as_row(self) -> dict[str, object]:
        """A flat row (CSV/JSON): multi-part streams join basis, population and rate with ' + '."""

        def joined(values: list[object]) -> object:
            if len(values) == 1:
                return values[0]
            return " + ".join("" if v is None else str(v) for v in values)

        parts = self.parts
        return {
            "pcn_code": self.pcn_code,
            "year": self.year,
            "stream": self.stream,
            "label": self.label,
            "paid_to": self.paid_to,
            "available": self.available,
            "basis": self.basis,
            "population": joined([p.population for p in parts]) if parts else None,
            "rate": joined([str(p.rate) for p in parts]) if parts else None,
            "unit": joined([p.unit for p in parts]) if parts else "",
            "months": joined(["" if p.months is None else str(p.months) for p in parts])
            if parts
            else "",
            "annual_amount": None if self.annual_amount is None else str(self.annual_amount),
            "population_source": self.population_source,
            "population_as_of": self.population_as_of.isoformat()
            if self.population_as_of
            else None,
            "source": self.source,
            "verified": self.verified,
            "reason": self.reason,
            "notes": "; ".join(self.notes),
        }


@cache
def months_covered(start: date, end: date) -> Decimal:
    """Calendar months from ``start`` to ``end`` inclusive; part-months count days/days-in-month."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    total = Decimal(0)
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        days = calendar.monthrange(y, m)[1]
        first = start.day if (y, m) == (start.year, start.month) else 1
        last = end.day if (y, m) == (end.year, end.month) else days
        total += Decimal(1) if (first, last) == (1, days) else Decimal(last - first + 1) / days
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return total


@dataclass(frozen=True)
class _Plan:
    """A year's streams resolved once: stream -> its rule rows (reused for every PCN)."""

    rules: RuleSet
    streams: tuple[tuple[StreamDef, tuple[RuleValue, ...]], ...]
    combined_core: tuple[RuleValue, ...]


_PLANS: dict[int, tuple[RuleSet, _Plan]] = {}  # id -> (the RuleSet itself, its plan)


def _plan(rules: RuleSet) -> _Plan:
    found = _PLANS.get(id(rules))
    if found is not None and found[0] is rules:  # holding the RuleSet keeps its id unique
        return found[1]
    streams = []
    for sdef in STREAMS:
        rows = tuple(r for key in sdef.keys for r in rules.rows(key) if r.key == key)
        if rows or sdef.always:
            streams.append((sdef, rows))
    combined = tuple(
        r
        for r in rules.rows("core_pcn_funding_combined_per_patient")
        if r.key == "core_pcn_funding_combined_per_patient"
    )
    plan = _Plan(rules=rules, streams=tuple(streams), combined_core=combined)
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[id(rules)] = (rules, plan)
    return plan


@cache
def _ref(row: RuleValue):
    return row.as_rule_ref()


def _part(row: RuleValue, population: int | None, whole_year: bool) -> StreamPart:
    if row.is_period_amount or whole_year:
        months = None if row.is_period_amount else Decimal(12)
        exact = None if population is None else row.value * population
    else:
        months = months_covered(row.applies_from, row.applies_to)
        exact = None if population is None else row.value * population * months / 12
    return StreamPart(
        key=row.key,
        basis=row.basis,
        population=population,
        rate=row.value,
        unit=row.unit,
        months=months,
        applies_from=row.applies_from,
        applies_to=row.applies_to,
        amount=None if exact is None else pennies(exact),
        source=row.source,
        verified=row.verified,
        rule=row,
    )


def _method(part: StreamPart) -> str:
    pop = "?" if part.population is None else f"{part.population:,}"
    if isinstance(part.population, Decimal) and part.population != int(part.population):
        pop = f"{part.population:,.2f}"  # beds pro rata by days aligned
    what = "beds" if part.basis == "beds" else f"{part.basis} patients"
    text = f"£{part.rate} x {pop} {what}"
    if part.months is not None and part.months != 12:
        text += f" x {part.months.normalize()}/12 months ({part.applies_from} to {part.applies_to})"
    elif part.months is None:
        text += f" (amount for {part.applies_from} to {part.applies_to}, not pro-rated)"
    amount = "unavailable" if part.amount is None else f"£{part.amount:,}"
    varied = f" [{part.rule.varied_by.words()}]" if part.rule.varied_by else ""
    return f"{text} = {amount}{varied}"


def _stream(
    sdef: StreamDef,
    rows: tuple[RuleValue, ...],
    pcn: PcnPopulation,
    ctx: _Context,
    beds: int | None,
) -> StreamFigure:
    fy = ctx.year
    notes = [sdef.note] if sdef.note else []
    reason = ""
    data: list[DataRef] = []
    parts: list[StreamPart] = []
    if sdef.id == "iif":
        per_point = [r for r in rows if r.key == "iif_gbp_per_point"]
        points = [r for r in rows if r.key == "iif_max_points"]
        reason = "IIF depends on points achieved; no entitlement can be computed in advance"
        if per_point and points:
            notes.append(f"up to {points[0].value} points at £{per_point[0].value} a point")
    elif not rows:
        reason = (
            f"the {fy} rule file holds no {' or '.join(sdef.keys)}"
            " (see docs/reference/rules.md, gaps)"
        )
    for row in rows if sdef.id != "iif" else ():
        if row.basis == "beds":
            population = beds
            if beds is None:
                reason = "care home beds unknown: supply the aligned CQC-registered beds"
            data.append(DataRef(source="care home beds (input)", description=f"{beds} beds"))
        else:
            population = getattr(pcn, row.basis)
            if population is None:
                reason = (
                    f"{ctx.pops.source} ({ctx.pops.financial_year}) has no {row.basis}"
                    f" population; the {sdef.label} needs it and is not guessed from another year"
                )
            data.append(ctx.data_ref(row.basis))
        parts.append(_part(row, population, sdef.id == "arrs"))
    if sdef.id == "core_pcn_funding" and ctx.combined:
        c = ctx.combined[0]
        notes.append(
            f"headline combined rate £{c.value} per patient: {c.note}; parts computed from"
            " the component rates"
        )
    if pcn.implausible and data and sdef.id != "care_home_premium":
        notes.append("population includes rows flagged implausible: " + "; ".join(pcn.implausible))
    if pcn.missing and data and sdef.id != "care_home_premium":
        notes.append(
            f"member practices not in {ctx.pops.source}, so not counted: " + ", ".join(pcn.missing)
        )
    if ctx.caveat:
        notes.append(ctx.caveat)
    notes.extend(f"{row.key} £{row.value}: {row.caveat}" for row in rows if row.caveat)
    if data and ctx.pops.carried_note:
        notes.append(ctx.pops.carried_note)
    notes += dict.fromkeys(p.rule.varied_by.words() for p in parts if p.rule.varied_by)
    available = not reason
    return StreamFigure(
        pcn_code=pcn.pcn_code,
        year=ctx.year_str,
        stream=sdef.id,
        label=sdef.label,
        paid_to=sdef.paid_to,
        available=available,
        annual_amount=sum((p.amount for p in parts), _ZERO) if available else None,
        parts=tuple(parts),
        population_source=ctx.pops.source,
        population_as_of=ctx.pops.as_of,
        reason=reason,
        notes=tuple(notes),
        data=tuple(dict.fromkeys(data)),
        fallback_rules=rows if not parts else (),
    )


class _Context:
    """What every PCN of one (year, population file) shares: computed once per call."""

    def __init__(self, plan: _Plan, pops: Populations) -> None:
        self.plan = plan
        self.pops = pops
        self.year = plan.rules.year
        self.year_str = str(plan.rules.year)
        self.combined = plan.combined_core
        self.caveat = (
            f"populations from the {pops.financial_year} file, not {self.year}"
            if pops.financial_year != self.year
            else ""
        )
        self._refs: dict[str, DataRef] = {}

    def data_ref(self, basis: str) -> DataRef:
        ref = self._refs.get(basis)
        if ref is None:
            ref = self._refs[basis] = self.pops.data_ref(basis)
        return ref

    def for_pcn(self, pcn: PcnPopulation, beds: int | None) -> list[StreamFigure]:
        return [_stream(s, rows, pcn, self, beds) for s, rows in self.plan.streams]


def _resolve(year: FinancialYear | str | RuleSet, populations: Populations, allow_other_year: bool):
    rules = year if isinstance(year, RuleSet) else load_year(year)
    if populations.financial_year != rules.year and not allow_other_year:
        raise ValueError(
            f"the population file {populations.source} is for {populations.financial_year},"
            f" not {rules.year}; pass allow_other_year=True to use it knowingly"
        )
    return rules


def available_total(streams) -> Decimal:
    """What the streams the PCN can have add up to (one not available or not priced adds 0)."""
    return sum((s.annual_amount for s in streams if s.available and s.annual_amount), Decimal(0))


def entitlements(
    pcn_code: str,
    year: FinancialYear | str | RuleSet,
    populations: Populations,
    beds: int | None = None,
    *,
    allow_other_year: bool = False,
) -> list[StreamFigure]:
    """Every payment stream of ``pcn_code`` in ``year`` (KeyError if the PCN is not in the file).

    ``beds``: care home beds for the Care Home Premium (None = unknown, shown unavailable).
    ``allow_other_year``: use a population file of another year; every figure then notes it.
    """
    if beds is not None and (
        isinstance(beds, bool) or not isinstance(beds, int | Decimal) or beds < 0
    ):
        raise ValueError(f"beds must be a number >= 0 (bed-years) or None, not {beds!r}")
    rules = _resolve(year, populations, allow_other_year)
    return _Context(_plan(rules), populations).for_pcn(populations[pcn_code], beds)


def all_entitlements(
    year: FinancialYear | str | RuleSet,
    populations: Populations,
    beds: dict[str, int] | None = None,
    *,
    allow_other_year: bool = False,
) -> list[StreamFigure]:
    """Every stream of every PCN in the population file, PCNs in code order."""
    rules = _resolve(year, populations, allow_other_year)
    ctx = _Context(_plan(rules), populations)
    beds = beds or {}
    out: list[StreamFigure] = []
    for code in sorted(populations.pcns):
        out.extend(ctx.for_pcn(populations.pcns[code], beds.get(code)))
    return out
