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

from datetime import date
from decimal import Decimal
from typing import Any

from openpcn.core.figures import DataRef, Figure, RuleRef
from openpcn.core.fyear import FinancialYear
from openpcn.core.months import add_months, month_start
from openpcn.finance.claims import ClaimError, max_per_wte
from openpcn.finance.money import ZERO, pennies
from openpcn.finance.role_cost_inputs import checked_inputs
from openpcn.finance.role_cost_pay import (
    _annual,
    _fig,
    _money,
    _ni,
    _ni_weights,
    _ni_weights_in,
    _spec,
    monthly_full_time_cost,
    normalise_region,
)
from openpcn.finance.role_cost_types import (
    GBP_YEAR,
    GP_ROLE,
    HUNDRED,
    LINE_LABELS,
    LINES,
    REGION_NAMES,
    REGIONS,
    TWELVE,
    RoleCost,
    RoleCostError,
)
from openpcn.rules.current import missing_year_message
from openpcn.rules.loader import RuleFileError, RuleNotFound, RuleSet, load_year
from openpcn.rules.pay import PayFileMissing, PayNotFound, PayTable, PayValue, load_pay


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
    start, months, wte, region, role_row, salary = checked_inputs(
        rules, pay, role, salary=salary, wte=wte, region=region, start=start, months=months
    )
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
    first = month_start(start)
    for i in range(months):
        month = add_months(first, i)
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
        found = _none_published(rules, role_row.id, start)
        if found is None:
            gaps.append(
                f"no ARRS maximum for {role_row.name} in {rules.path.name} for this period, so"
                f" the cost cannot be compared with it ({exc})"
            )
        else:
            gaps.append(found.explanation())
            reimbursable = Figure(
                label="Reimbursable under ARRS",
                value=total_value,
                unit="GBP",
                method="no maximum is published for the role and period: the whole cost (actual"
                " salary plus employer on-costs), within the PCN's ARRS sum",
                rules=(found.row.as_rule_ref(),),
                inputs=(period["total"],),
            )
            top_up = Figure(
                label="PCN top-up (not reimbursed)",
                value=ZERO,
                unit="GBP",
                method="total cost - reimbursable",
                inputs=(period["total"], reimbursable),
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


def _none_published(rules: RuleSet, role: str, on: date):
    """The role's sourced "no maximum published" row on ``on``, else None."""
    from openpcn.rules.maxima import NonePublished, maximum

    try:
        found = maximum(rules, role, on)
    except RuleNotFound:
        return None
    return found if isinstance(found, NonePublished) else None


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
