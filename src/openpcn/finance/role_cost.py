"""The cost of an ARRS post, from its pay, with employer on-costs, against the role maximum.

::

    from openpcn.finance.role_cost import role_cost
    from openpcn.rules import load_year
    from openpcn.rules.pay import load_pay

    c = role_cost(load_year("2024-25"), load_pay("2024-25"), "pharmacy_technician",
                  band="5", point=2, wte=Decimal("0.8"), region="london_outer")
    c.annual_total.value        # a year of the post per WTE at the rates on the start date
    c.total.value               # the period (``months`` from ``start``) at ``wte``
    c.maximum, c.reimbursable, c.top_up, c.gaps

What is costed
- **Salary**: the Agenda for Change pay point (``band``, ``point``) in force on the start date,
  from ``rules/data/pay/<year>.yaml``, or the ``salary`` given.  GPs are not on AfC: the
  salaried GP range minimum (``point=1``), maximum (``point=2``), a ``salary``, or by default
  the salary NHS England used for that year's ARRS GP maximum (else the range minimum).
- **London**: AfC staff in ``london_inner`` / ``london_outer`` get the high cost area supplement:
  the area's percentage of basic pay, no less than its minimum and no more than its maximum.
  Salaried GPs in London get the London weighting (one rate for inner and outer London).
- **Employer NI**: ``rate x max(0, pay - threshold)`` on annual pay (salary + London), the
  *annual* convention: NHS England's published maxima are worked this way.  Payroll works it per
  pay period on the period's threshold, which differs by pennies over a year.  A tax year's
  rate applies from 1 April (the tax year starts on 6 April; the five days are ignored, as the
  published maxima do).  Where the rate changed within the year (the 2022/23 Health and Social
  Care Levy, 15.05% to 5 Nov 2022) each month is weighted by its days at each rate.
- **Employer pension**: the GP-practice employer rate (14.38%) of pensionable pay (salary +
  London); the rest of the NHS employer rate is paid centrally.
- **WTE** scales the full-time cost (the ARRS convention: the maximum is per WTE, part-time
  staff are pro rata).  One person working part time pays NI on pay above the full threshold,
  so their real NI is a little higher; a note gives the amount.
- **Period**: ``months`` whole calendar months from the month of ``start`` (default: to 31
  March), each at the rates in force on its first day (or on ``start``): pay, HCAS and pension
  as annual amounts / 12.  Every line is rounded once to pennies; the total is the sum of the
  rounded lines (see :mod:`openpcn.finance.money`).

Against the maximum: the role's ARRS maximum per WTE for each month and region (from the rule
files; a region without its own maximum uses the national one, with a note), the reimbursement
percentage, and ``reimbursable = min(cost x %, maximum x WTE)`` month by month; the PCN's top-up
is the rest.  A year whose rule file has no maximum for the role is a *gap*: the cost is still
worked out, the comparison says it cannot be made.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpcn.core.figures import DataRef, Figure, RuleRef
from openpcn.core.fyear import FinancialYear
from openpcn.finance.claims import ClaimError, max_per_wte
from openpcn.finance.errors import FinanceError
from openpcn.finance.money import ZERO, pennies
from openpcn.rules.current import missing_year_message
from openpcn.rules.loader import RuleFileError, RuleNotFound, RuleSet, load_year
from openpcn.rules.pay import PayFileMissing, PayNotFound, PayTable, PayValue, load_pay
from openpcn.rules.pay_schema import AFC_BANDS

GP_ROLE = "gp"
REGION_ALIASES = {"inner_london": "london_inner", "outer_london": "london_outer"}
REGIONS = ("national", "london_outer", "london_inner")
REGION_NAMES = {
    "national": "outside London",
    "london_outer": "outer London",
    "london_inner": "inner London",
}
GBP_YEAR = "GBP a year"
MAX_WTE = Decimal(10)
HUNDRED = Decimal(100)
TWELVE = Decimal(12)
LINES = ("salary", "london", "employer_ni", "employer_pension")
LINE_LABELS = {
    "salary": "Salary",
    "london": "London supplement",
    "employer_ni": "Employer National Insurance",
    "employer_pension": "Employer NHS pension",
    "total": "Total cost",
}


class RoleCostError(FinanceError):
    """Bad input to the role cost calculator; the message says what to change."""


@dataclass(frozen=True)
class RoleCost:
    """A post's cost, line by line, and how it compares with the role maximum."""

    role: str
    role_name: str
    year: str
    start: date
    months: int
    wte: Decimal
    region: str
    band: str | None
    point: int | None
    pay_basis: str
    annual: dict[str, Figure]  # per WTE, a year at the rates on ``start``; keys LINES + total
    period: dict[str, Figure]  # ``months`` from ``start`` at ``wte``; keys LINES + total
    maximum_annual: Figure | None
    maximum: Figure | None
    reimbursable: Figure | None
    top_up: Figure | None
    gaps: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def end(self) -> date:
        last = _add_months(_month_start(self.start), self.months - 1)
        return last.replace(day=calendar.monthrange(last.year, last.month)[1])

    @property
    def pay_description(self) -> str:
        """How the salary was chosen, in words."""
        if self.pay_basis == "pay point":
            return f"Agenda for Change band {self.band} point {self.point}"
        return {
            "arrs_salary": "the salary in NHS England's ARRS GP maximum",
            "minimum": "the salaried GP range minimum",
        }.get(self.pay_basis, self.pay_basis)

    @property
    def annual_total(self) -> Figure:
        return self.annual["total"]

    @property
    def total(self) -> Figure:
        return self.period["total"]

    @property
    def verified(self) -> bool:
        figures = [*self.period.values(), self.maximum]
        return all(f.verified for f in figures if f is not None)

    def sources(self) -> list[dict[str, Any]]:
        """Every rule and pay figure used, once each: year, key, value, unit, file/line, source,
        verified."""
        seen: dict[tuple[str, str, str], dict[str, Any]] = {}
        figures = [*self.annual.values(), *self.period.values()]
        figures += [f for f in (self.maximum_annual, self.maximum, self.reimbursable) if f]
        for fig in figures:
            for ref, data in _refs(fig):
                where = data.source if data else ""
                key = (ref.year, ref.key, str(ref.applies_from))
                if key not in seen:
                    seen[key] = {
                        "year": ref.year,
                        "key": ref.key,
                        "value": ref.value,
                        "unit": ref.unit,
                        "applies_from": ref.applies_from,
                        "where": where,
                        "source": ref.source,
                        "verified": ref.verified,
                    }
        return sorted(seen.values(), key=lambda s: (s["key"], str(s["applies_from"])))

    def as_dict(self) -> dict[str, Any]:
        def fig(f: Figure | None) -> dict[str, Any] | None:
            return f.as_dict() if f is not None else None

        return {
            "role": self.role,
            "role_name": self.role_name,
            "year": self.year,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "months": self.months,
            "wte": str(self.wte),
            "region": self.region,
            "band": self.band,
            "point": self.point,
            "pay_basis": self.pay_basis,
            "pay_description": self.pay_description,
            "annual_per_wte": {k: fig(v) for k, v in self.annual.items()},
            "period": {k: fig(v) for k, v in self.period.items()},
            "maximum_per_wte_per_year": fig(self.maximum_annual),
            "maximum": fig(self.maximum),
            "reimbursable": fig(self.reimbursable),
            "top_up": fig(self.top_up),
            "verified": self.verified,
            "gaps": list(self.gaps),
            "notes": list(self.notes),
            "sources": [
                {**s, "value": str(s["value"]), "applies_from": _iso(s["applies_from"])}
                for s in self.sources()
            ],
        }


def _roles_line(path: Path) -> str:
    """' line N' of the rule file's 'roles:' list, or '' if it cannot be read."""
    try:
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text.startswith("roles:"):
                return f" line {n}"
    except OSError:
        pass
    return ""


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _refs(fig: Figure) -> Iterable[tuple[RuleRef, DataRef | None]]:
    data = {d.source.split(" line ")[0]: d for d in fig.data}
    for i, ref in enumerate(fig.rules):
        yield ref, fig.data[i] if i < len(fig.data) else next(iter(data.values()), None)
    for sub in fig.inputs:
        yield from _refs(sub)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, n: int) -> date:
    y, m = divmod(day.month - 1 + n, 12)
    return date(day.year + y, m + 1, 1)


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
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    days = Decimal(last.day)
    out = []
    for rate, threshold in pay.employer_ni_rows():
        lo, hi = max(rate.applies_from, month), min(rate.applies_to, last)
        if lo <= hi:
            out.append((Decimal((hi - lo).days + 1) / days, rate, threshold))
    return out


def role_cost(
    rules: RuleSet,
    pay: PayTable,
    role: str,
    *,
    band: str | None = None,
    point: int | None = None,
    salary: Decimal | None = None,
    wte: Decimal = Decimal(1),
    region: str = "national",
    start: date | None = None,
    months: int | None = None,
) -> RoleCost:
    """The cost of ``role`` for ``months`` from ``start`` (see the module doc)."""
    year = pay.year
    notes: list[str] = []
    if rules.year != year:
        raise RoleCostError(f"the pay file {pay.file} is for {year}, the rules for {rules.year}")

    start = start or year.start
    if start not in year:
        raise RoleCostError(
            f"{start} is outside {year} ({year.start} to {year.end}): choose a date in the year"
            f" or the year that contains it"
        )
    left = (year.end.year - start.year) * 12 + year.end.month - start.month + 1
    months = left if months is None else months
    if not isinstance(months, int) or months < 1:
        raise RoleCostError(f"months must be a whole number from 1 to {left}, not {months!r}")
    if months > left:
        raise RoleCostError(
            f"{months} months from {start:%B %Y} run past 31 March {year.end.year}, the end of"
            f" {year}: the date range must lie inside the year (at most {left} months)"
        )
    try:
        wte = Decimal(str(wte))
    except ArithmeticError:
        raise RoleCostError(f"WTE must be a number, not {wte!r}") from None
    if not wte.is_finite() or wte <= 0 or wte > MAX_WTE:
        raise RoleCostError(f"WTE must be more than 0 and at most {MAX_WTE}, not {wte}")
    region = normalise_region(region)
    try:
        role_row = rules.role(role)
    except RuleNotFound:
        known = ", ".join(sorted(r.id for r in rules.roles))
        raise RoleCostError(
            f"role '{role}' is not an ARRS role in {year} ({rules.path.name}"
            f"{_roles_line(rules.path)}, field 'roles'); roles that year: {known}"
        ) from None
    if start < role_row.available_from:
        raise RoleCostError(
            f"{role_row.name} is reimbursable in {year} only from {role_row.available_from}"
            f" ({rules.path.name}), not from {start}: start on or after that date"
        )
    if salary is not None:
        try:
            salary = Decimal(str(salary))
        except ArithmeticError:
            raise RoleCostError(f"salary must be an amount of money, not {salary!r}") from None
        if not salary.is_finite() or salary < 0:
            raise RoleCostError(f"salary must be 0 or more, not {salary}")
    spec = _spec(pay, role_row.id, role_row.afc_band, band, point, salary, start)
    notes += spec.notes
    try:
        annual_exact, how = _annual(pay, spec, region, start)
    except PayNotFound as exc:
        raise RoleCostError(str(exc)) from None

    annual: dict[str, Figure] = {}
    for name in LINES:
        method, refs = how[name]
        annual[name] = _fig(LINE_LABELS[name], pennies(annual_exact[name]), method, refs)
    annual["total"] = Figure(
        label="Total cost per WTE for a year",
        value=sum((annual[n].value for n in LINES), ZERO),
        unit=GBP_YEAR,
        method="salary + London supplement + employer NI + employer pension, each to the penny",
        inputs=tuple(annual[n] for n in LINES),
    )

    # the period, month by month
    exact = dict.fromkeys(LINES, ZERO)
    refs_by_line: dict[str, dict[str, PayValue]] = {n: {} for n in LINES}
    month_costs: list[tuple[date, date, Decimal]] = []
    first = _month_start(start)
    for i in range(months):
        month = _add_months(first, i)
        day = start if i == 0 else month
        try:
            amounts, month_how = _annual(pay, spec, region, day)
        except PayNotFound as exc:
            raise RoleCostError(str(exc)) from None
        for name in ("salary", "london", "employer_pension"):
            exact[name] += amounts[name] / TWELVE * wte
            for r in month_how[name][1]:
                refs_by_line[name][f"{r.key}@{r.applies_from}"] = r
        pensionable = amounts["salary"] + amounts["london"]
        ni_month = ZERO
        for share, rate, threshold in _ni_weights(pay, month):
            ni_month += share * _ni(rate.value, threshold.value, pensionable) / TWELVE * wte
            for r in (rate, threshold):
                refs_by_line["employer_ni"][f"{r.key}@{r.applies_from}"] = r
        exact["employer_ni"] += ni_month
        cost_m = (
            amounts["salary"] + amounts["london"] + amounts["employer_pension"]
        ) / TWELVE * wte + ni_month
        month_costs.append((month, day, cost_m))

    span = f"{months} month{'s' if months != 1 else ''} from {first:%B %Y} at {wte} WTE"
    period: dict[str, Figure] = {}
    for name in LINES:
        period[name] = _fig(
            LINE_LABELS[name],
            pennies(exact[name]),
            f"{span}: the annual amount / 12 for each month x WTE"
            + (
                ", each month's days weighted by the NI rate in force"
                if name == "employer_ni"
                else ""
            )
            + f"; a year per WTE: {how[name][0]}",
            refs_by_line[name].values(),
        )
    total_value = sum((period[n].value for n in LINES), ZERO)
    period["total"] = Figure(
        label="Total cost",
        value=total_value,
        unit="GBP",
        method=f"{span}: salary + London supplement + employer NI + employer pension",
        inputs=tuple(period[n] for n in LINES),
    )
    if len(_ni_weights_in(pay, first, months)) > 1:
        notes.append(
            "the employer NI rate changed during the period: each month is weighted by its days"
            " at each rate"
        )
    if wte < 1 and annual_exact["salary"] > 0:
        rate, threshold = pay.employer_ni(start)
        part_time = _ni(
            rate.value, threshold.value, (annual_exact["salary"] + annual_exact["london"]) * wte
        )
        pro_rata = (
            _ni(rate.value, threshold.value, annual_exact["salary"] + annual_exact["london"]) * wte
        )
        if part_time > pro_rata:
            notes.append(
                f"one person at {wte} WTE pays employer NI on pay above the whole threshold:"
                f" {_money(part_time - pro_rata)} a year more than the pro-rata figure used here"
            )

    # against the role maximum
    gaps: list[str] = []
    maximum_annual = maximum = reimbursable = top_up = None
    try:
        max_row, max_note = max_per_wte(rules, role_row.id, start, region)
        maximum_annual = Figure(
            label=f"ARRS maximum per WTE for a year ({REGION_NAMES[region]})",
            value=max_row.value,
            unit=GBP_YEAR,
            method=f"{max_row.key} on {start} ({rules.path.name})"
            + (f"; {max_note}" if max_note else ""),
            rules=(max_row.as_rule_ref(),),
            data=(DataRef(source=rules.path.name),),
        )
        if max_note:
            notes.append(max_note)
        max_exact = reimb_exact = ZERO
        max_refs: dict[str, RuleRef] = {}
        pct_refs: dict[str, RuleRef] = {}
        for _month, day, cost_m in month_costs:
            row, _ = max_per_wte(rules, role_row.id, day, region)
            pct = rules.reimbursement_pct(role_row.id, day)
            max_m = row.value / TWELVE * wte
            max_exact += max_m
            reimb_exact += min(cost_m * pct.value / HUNDRED, max_m)
            max_refs[f"{row.key}@{row.applies_from}"] = row.as_rule_ref()
            pct_refs[f"{pct.key}@{pct.applies_from}"] = pct.as_rule_ref()
        maximum = Figure(
            label="ARRS maximum for the period",
            value=pennies(max_exact),
            unit="GBP",
            method=f"{span}: the maximum per WTE per year in force each month / 12 x WTE",
            rules=tuple(max_refs.values()),
            data=(DataRef(source=rules.path.name),),
        )
        reimb_value = min(pennies(reimb_exact), total_value, maximum.value)
        pcts = sorted({f"{r.value.normalize():f}%" for r in pct_refs.values()})
        reimbursable = Figure(
            label="Reimbursable under ARRS",
            value=reimb_value,
            unit="GBP",
            method=f"each month: the smaller of cost x the reimbursement percentage"
            f" ({', '.join(pcts)}) and the maximum x WTE",
            rules=tuple(pct_refs.values()),
            inputs=(period["total"], maximum),
        )
        top_up = Figure(
            label="PCN top-up (not reimbursed)",
            value=total_value - reimb_value,
            unit="GBP",
            method="total cost - reimbursable",
            inputs=(period["total"], reimbursable),
        )
        if role_row.id == "mental_health_practitioner":
            notes.append(
                "mental health practitioners: the PCN's share of the cost (arrs_mhp_split) is"
                " applied by the claims engine, not here"
            )
    except (ClaimError, RuleNotFound) as exc:
        gaps.append(
            f"no ARRS maximum for {role_row.name} in {rules.path.name} for this period, so the"
            f" cost cannot be compared with it ({exc})"
        )
    return RoleCost(
        role=role_row.id,
        role_name=role_row.name,
        year=str(year),
        start=start,
        months=months,
        wte=wte,
        region=region,
        band=spec.band,
        point=spec.point,
        pay_basis=spec.basis,
        annual=annual,
        period=period,
        maximum_annual=maximum_annual,
        maximum=maximum,
        reimbursable=reimbursable,
        top_up=top_up,
        gaps=tuple(gaps),
        notes=tuple(notes),
    )


def load_for(year: FinancialYear) -> tuple[RuleSet, PayTable]:
    """The rules and pay file for ``year``; RoleCostError names a missing file (decision 0015:
    no silent fall back to another year's rules)."""
    try:
        pay = load_pay(year)
    except (PayFileMissing, RuleFileError) as exc:  # a bad file's message names file and line
        raise RoleCostError(str(exc)) from None
    try:
        return load_year(year), pay
    except RuleNotFound:
        raise RoleCostError(missing_year_message(year)) from None
    except RuleFileError as exc:
        raise RoleCostError(str(exc)) from None


def cost_for(
    role: str,
    *,
    year: str | FinancialYear | None = None,
    on: date | None = None,
    today: date | None = None,
    **kwargs: Any,
) -> RoleCost:
    """:func:`role_cost` for a year given as text ('2026-27') or the year containing ``on``
    (default: the financial year containing ``today``); every bad input, a missing or bad pay
    file included, is a RoleCostError a person can act on."""
    try:
        if isinstance(year, str) and year.strip():
            fy = FinancialYear.parse(year)
        elif isinstance(year, FinancialYear):
            fy = year
        else:
            fy = FinancialYear.containing(on) if on else FinancialYear.current(today)
    except ValueError as exc:
        raise RoleCostError(str(exc)) from None
    if on is not None and on not in fy:
        raise RoleCostError(
            f"{on} is outside {fy} ({fy.start} to {fy.end}): give a date in the year or leave"
            " the year out"
        )
    try:
        rules, pay = load_for(fy)
    except RuleFileError as exc:  # a bad pay or rule file: its message names file and line
        raise RoleCostError(str(exc)) from None
    return role_cost(rules, pay, role, start=on, **kwargs)


def _ni_weights_in(pay: PayTable, first: date, months: int) -> set[tuple[str, str]]:
    rows = set()
    for i in range(months):
        for _, rate, threshold in _ni_weights(pay, _add_months(first, i)):
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


__all__ = [
    "GP_ROLE",
    "LINE_LABELS",
    "LINES",
    "REGIONS",
    "REGION_NAMES",
    "RoleCost",
    "RoleCostError",
    "cost_for",
    "load_for",
    "monthly_full_time_cost",
    "normalise_region",
    "role_cost",
]
