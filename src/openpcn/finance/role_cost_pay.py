"""Role cost: pay, London supplement, employer NI and pension from the year's pay file, and
the inputs a calculation is asked for (see :mod:`openpcn.finance.role_cost`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpcn.core.figures import Figure
from openpcn.core.months import add_months, month_end
from openpcn.finance.money import ZERO, pennies
from openpcn.finance.role_cost_types import (
    GBP_YEAR,
    GP_ROLE,
    HUNDRED,
    REGION_ALIASES,
    REGION_NAMES,
    REGIONS,
    TWELVE,
    RoleCost,
    RoleCostError,
)
from openpcn.rules.pay import PayTable, PayValue
from openpcn.rules.pay_schema import AFC_BANDS


def _roles_line(path: Path) -> str:
    """' line N' of the rule file's 'roles:' list, or '' if it cannot be read."""
    try:
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.startswith("roles:"):
                return f" line {n}"
    except OSError:
        pass
    return ""


def normalise_region(region: str) -> str:
    region = (region or "national").strip().lower()
    region = REGION_ALIASES.get(region, region)
    if region not in REGIONS:
        raise RoleCostError(
            f"region '{region}' is not one of national, london_outer (outer London) or"
            " london_inner (inner London)"
        )
    return region


def _band_range(afc_band: str) -> list[str]:
    text = str(afc_band).lower().strip()
    if text in AFC_BANDS:
        return [text]
    if "-" in text:
        lo, hi = (p.strip() for p in text.split("-", 1))
        if lo in AFC_BANDS and hi in AFC_BANDS:
            return list(AFC_BANDS[AFC_BANDS.index(lo) : AFC_BANDS.index(hi) + 1])
    return []


@dataclass
class _Pay:
    """How the salary is found: a pay point, a given salary or a salaried GP figure."""

    band: str | None
    point: int | None
    salary: Decimal | None
    gp: bool
    basis: str = ""
    notes: list[str] = field(default_factory=list)


def _fig(
    label: str, value: Decimal, method: str, refs: Iterable[PayValue] = (), **kw: Any
) -> Figure:
    refs = tuple(refs)
    return Figure(
        label=label,
        value=value,
        unit=kw.pop("unit", GBP_YEAR),
        method=method,
        rules=tuple(r.as_rule_ref() for r in refs) + tuple(kw.pop("rules", ())),
        data=tuple(r.as_data_ref() for r in refs),
        inputs=tuple(kw.pop("inputs", ())),
    )


def _pct(v: Decimal) -> str:
    return f"{v.normalize():f}%"


def _money(v: Decimal) -> str:
    return f"£{pennies(v):,}"


def _where(v: PayValue) -> str:
    return f"{v.file} line {v.line}"


def _salary(pay: PayTable, spec: _Pay, on: date) -> tuple[Decimal, str, tuple[PayValue, ...]]:
    if spec.salary is not None:
        return spec.salary, f"salary given: {_money(spec.salary)} a year full time", ()
    if spec.gp:
        item = {1: "minimum", 2: "maximum", None: spec.basis}[spec.point]
        v = pay.salaried_gp(item, on)
        what = {
            "minimum": "salaried GP pay range minimum",
            "maximum": "salaried GP pay range maximum",
            "arrs_salary": "salary NHS England used for the ARRS GP maximum",
        }[item]
        return v.value, f"{what} on {on}: {_money(v.value)} ({_where(v)})", (v,)
    assert spec.band is not None and spec.point is not None
    v = pay.pay_point(spec.band, spec.point, on)
    return (
        v.value,
        f"Agenda for Change band {spec.band} point {spec.point} on {on}: {_money(v.value)}"
        f" ({_where(v)})",
        (v,),
    )


def _london(
    pay: PayTable, spec: _Pay, region: str, salary: Decimal, on: date
) -> tuple[Decimal, str, tuple[PayValue, ...]]:
    if region == "national":
        return ZERO, "outside London: no London supplement", ()
    if spec.gp:
        v = pay.salaried_gp("london_weighting", on)
        return (
            v.value,
            f"salaried GP London weighting (one rate for inner and outer London): {_money(v.value)}"
            f" ({_where(v)})",
            (v,),
        )
    pct, lo, hi = pay.hcas(region, on)
    raw = salary * pct.value / HUNDRED
    value = min(max(raw, lo.value), hi.value)
    bound = " (the minimum)" if value == lo.value != raw else ""
    bound = bound or (" (the maximum)" if value == hi.value != raw else "")
    return (
        value,
        f"high cost area supplement, {REGION_NAMES[region]}: {_pct(pct.value)} of"
        f" {_money(salary)} = {_money(raw)}, kept between {_money(lo.value)} and"
        f" {_money(hi.value)}: {_money(value)}{bound} ({_where(pct)})",
        (pct, lo, hi),
    )


def _ni(rate: Decimal, threshold: Decimal, pay_: Decimal) -> Decimal:
    return rate / HUNDRED * max(ZERO, pay_ - threshold)


def _annual(
    pay: PayTable, spec: _Pay, region: str, on: date
) -> tuple[dict[str, Decimal], dict[str, tuple[str, tuple[PayValue, ...]]]]:
    """Exact annual amounts per WTE at the rates on ``on`` (NI at the rate on ``on``)."""
    salary, s_how, s_refs = _salary(pay, spec, on)
    london, l_how, l_refs = _london(pay, spec, region, salary, on)
    pensionable = salary + london
    rate, threshold = pay.employer_ni(on)
    ni = _ni(rate.value, threshold.value, pensionable)
    pension = pay.employer_pension(on)
    pen = pensionable * pension.value / HUNDRED
    amounts = {"salary": salary, "london": london, "employer_ni": ni, "employer_pension": pen}
    how = {
        "salary": (s_how, s_refs),
        "london": (l_how, l_refs),
        "employer_ni": (
            f"{_pct(rate.value)} of pay above {_money(threshold.value)} a year: {_pct(rate.value)}"
            f" x max(0, {_money(pensionable)} - {_money(threshold.value)}) = {_money(ni)}"
            f" (annual convention; {_where(rate)})",
            (rate, threshold),
        ),
        "employer_pension": (
            f"{_pct(pension.value)} of pensionable pay {_money(pensionable)} = {_money(pen)}"
            f" (GP-practice employer rate; {_where(pension)})",
            (pension,),
        ),
    }
    return amounts, how


def _ni_weights(pay: PayTable, month: date) -> list[tuple[Decimal, PayValue, PayValue]]:
    """(share of the month's days, rate, threshold) for each NI row in force during ``month``."""
    last = month_end(month)
    days = Decimal(last.day)
    out = []
    for rate, threshold in pay.employer_ni_rows():
        lo, hi = max(rate.applies_from, month), min(rate.applies_to, last)
        if lo <= hi:
            out.append((Decimal((hi - lo).days + 1) / days, rate, threshold))
    return out


def _ni_weights_in(pay: PayTable, first: date, months: int) -> set[tuple[str, str]]:
    rows = set()
    for i in range(months):
        for _, rate, threshold in _ni_weights(pay, add_months(first, i)):
            rows.add((str(rate.value), str(threshold.value)))
    return rows


def _spec(
    pay: PayTable,
    role: str,
    afc_band: str,
    band: str | None,
    point: int | None,
    salary: Decimal | None,
    on: date,
) -> _Pay:
    if role == GP_ROLE:
        if band not in (None, "", "gp"):
            raise RoleCostError(
                "GPs are not on Agenda for Change: leave the band empty and give a point"
                " (1 = salaried GP range minimum, 2 = maximum) or a salary"
            )
        if point not in (None, 1, 2):
            raise RoleCostError(
                f"for a GP, point 1 is the salaried GP range minimum and 2 its maximum, not {point}"
            )
        spec = _Pay(band=None, point=point, salary=salary, gp=True)
        if salary is not None:
            spec.basis = "salary given"
        elif point is not None:
            spec.basis = "salaried GP range " + ("minimum" if point == 1 else "maximum")
        elif pay.has_salaried_gp("arrs_salary", on):
            spec.basis = "arrs_salary"
            spec.notes.append(
                "salary: the figure NHS England used for this year's ARRS GP maximum"
                " (give a point or a salary to cost another)"
            )
        else:
            spec.basis = "minimum"
            spec.notes.append(
                f"salary: the salaried GP range minimum ({pay.file} holds no ARRS GP salary for"
                f" {pay.year}); give a point or a salary to cost another"
            )
        return spec
    allowed = _band_range(afc_band)
    band = str(band).strip().lower() if band not in (None, "") else None
    if band is None:
        if salary is not None:
            return _Pay(band=None, point=None, salary=salary, gp=False, basis="salary given")
        if len(allowed) != 1:
            what = f"band {afc_band}" if allowed else f"not on one AfC band ({afc_band})"
            raise RoleCostError(
                f"the role is {what}: give its band (one of {', '.join(allowed or AFC_BANDS)})"
                " and a point, or a salary"
            )
        band = allowed[0]
    if band not in AFC_BANDS:
        raise RoleCostError(
            f"band '{band}' is not an Agenda for Change band ({', '.join(AFC_BANDS)})"
        )
    notes = []
    if allowed and band not in allowed:
        notes.append(f"band {band} is outside the role's ARRS band ({afc_band})")
    if salary is not None:
        return _Pay(
            band=band, point=point, salary=salary, gp=False, basis="salary given", notes=notes
        )
    points = pay.points(band, on)
    if not points:
        raise RoleCostError(f"{pay.file} has no pay points for band {band} on {on}")
    if point is None:
        raise RoleCostError(
            f"give a pay point for band {band} ({', '.join(map(str, points))}; 1 is the entry"
            f" point) or a salary"
        )
    if point not in points:
        raise RoleCostError(
            f"band {band} has points {', '.join(map(str, points))} in {pay.file} on {on}, not"
            f" point {point}"
        )
    return _Pay(band=band, point=point, salary=None, gp=False, basis="pay point", notes=notes)


def monthly_full_time_cost(c: RoleCost) -> tuple[Decimal, Decimal, Decimal]:
    """(gross, employer NI, employer pension) for one full-time month at the start date's rates:
    what the forecast uses for a vacancy whose band and point are known."""
    a = c.annual
    gross = a["salary"].value + a["london"].value
    return (
        pennies(gross / TWELVE),
        pennies(a["employer_ni"].value / TWELVE),
        pennies(a["employer_pension"].value / TWELVE),
    )
