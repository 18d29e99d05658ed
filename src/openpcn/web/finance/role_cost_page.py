"""The role cost calculator page: the form's values and choices, the cost of the post chosen
(or the problem a person can act on), and the table of its lines. The calculator costs a post
from published pay figures (rules/data/pay) and the rule files; it reads no PCN's data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from openpcn.core.fyear import FinancialYear
from openpcn.finance.role_cost import (
    GP_ROLE,
    LINE_LABELS,
    LINES,
    REGION_NAMES,
    REGIONS,
    RoleCost,
    RoleCostError,
    cost_for,
    load_for,
)
from openpcn.rules.pay import available_years

FIELDS = ("role", "year", "on", "band", "point", "salary", "wte", "region", "months")


@dataclass
class Calculation:
    """What the page shows: the form's values and choices, and a result or a problem."""

    values: dict[str, str]
    years: list[str]
    roles: list[tuple[str, str, str]] = field(default_factory=list)  # (id, name, AfC band)
    bands: list[str] = field(default_factory=list)
    result: RoleCost | None = None
    problem: str = ""
    notes: list[str] = field(default_factory=list)


def _decimal(text: str, what: str) -> Decimal | None:
    text = text.replace(",", "").removeprefix("£").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RoleCostError(f"{what} must be a number, not '{text[:20]}'") from None
    if not value.is_finite():
        raise RoleCostError(f"{what} must be a number, not '{text[:20]}'")
    return value


def calculate(params: Any, today: date | None = None) -> Calculation:
    """The presenter: read the form (a mapping of text), cost the post when a role is chosen."""
    today = today or date.today()
    values = {k: str(params.get(k, "") or "").strip()[:40] for k in FIELDS}
    values["region"] = values["region"] or "national"
    years = available_years()
    calc = Calculation(values=values, years=years)
    if not values["year"] and not values["on"]:
        values["year"] = str(FinancialYear.containing(today))
    try:
        on = date.fromisoformat(values["on"]) if values["on"] else None
    except ValueError:
        calc.problem = f"Start date '{values['on']}' is not a date: write it like 2025-10-01."
        return calc
    try:
        fy = FinancialYear.parse(values["year"]) if values["year"] else FinancialYear.containing(on)
        values["year"] = str(fy)
        rules, pay = load_for(fy)
    except ValueError as exc:
        calc.problem = f"{exc}. Choose one of {', '.join(years)}."
        return calc
    except RoleCostError as exc:  # a missing file names it; a bad file names file and line
        calc.problem = str(exc)
        return calc
    calc.roles = [(r.id, r.name, r.afc_band) for r in rules.roles]
    calc.bands = pay.bands()
    if not values["role"]:
        return calc
    try:
        point = None
        if values["point"]:
            if not values["point"].isdigit():
                raise RoleCostError(f"pay point must be a whole number, not '{values['point']}'")
            point = int(values["point"])
        months = None
        if values["months"]:
            if not values["months"].isdigit():
                raise RoleCostError(f"months must be a whole number, not '{values['months']}'")
            months = int(values["months"])
        calc.result = cost_for(
            values["role"],
            year=fy,
            on=on,
            band=None if values["role"] == GP_ROLE else values["band"] or None,
            point=point,
            salary=_decimal(values["salary"], "salary"),
            wte=_decimal(values["wte"], "WTE") or Decimal(1),
            region=values["region"],
            months=months,
        )
    except RoleCostError as exc:
        text = str(exc)
        calc.problem = text[:1].upper() + text[1:]
    return calc


def lines(c: RoleCost) -> list[tuple[str, Any, Any]]:
    """(label, a year per WTE, the period) for the table."""
    return [(LINE_LABELS[n], c.annual[n], c.period[n]) for n in (*LINES, "total")]


def role_cost_page(params: Any) -> tuple[dict, int]:
    """The page's context from the query, and its status: 400 when a chosen post could not be
    costed, else 200."""
    calc = calculate(params)
    status = 400 if calc.problem and calc.values.get("role") else 200
    context = {
        "page_title": "Role cost calculator",
        "calc": calc,
        "lines": lines(calc.result) if calc.result else [],
        "regions": [(r, REGION_NAMES[r]) for r in REGIONS],
        "query": params.urlencode(),
        "breadcrumbs": [{"text": "Home", "href": "/"}],
    }
    return context, status
