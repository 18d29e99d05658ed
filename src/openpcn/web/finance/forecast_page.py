"""The ARRS forecast page for a PCN: the year's pots, what was claimed, what is projected, the
headroom from this month, the chart and its table (also offered as CSV)."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpcn.data.finance import forecast as pf
from openpcn.data.finance.register import role_name
from openpcn.rules import load_year
from openpcn.rules.current import chosen_year
from openpcn.rules.loader import RuleNotFound
from openpcn.web.finance.breadcrumbs import crumbs
from openpcn.web.finance.forecast_figures import pot_figures
from openpcn.web.platform.errors import PageError


def year_of(text: str | None) -> str:
    """The year asked for, else today's; a year with no rule file (or not a year) is a 404."""
    try:
        return chosen_year(text)
    except (ValueError, RuleNotFound) as exc:
        raise PageError(404, str(exc)) from None


def as_of(text: str | None) -> date | None:
    """The as-of date asked for (YYYY-MM-DD); anything else means today."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def unavailable(org, year: str, reason: str, as_of_text: str | None, status: int = 200) -> dict:
    """The page when the year's forecast cannot be made: why, and each year OpenPCN has
    rules for with whether its forecast can be made for this PCN (and why not)."""
    statuses = pf.forecastable(org.code, as_of(as_of_text))
    return {
        "page_title": f"ARRS forecast {year}: {org.name}" if year else f"ARRS forecast: {org.name}",
        "org": org,
        "year": year,
        "years": list(statuses),
        "fc": None,
        "reason": reason,
        "statuses": statuses,
        "can": [y for y, why in statuses.items() if not why],
        "status": status,
        "breadcrumbs": crumbs(org),
    }


def forecast_page(org, year_text: str | None, as_of_text: str | None) -> dict:
    """The page's context. A year whose forecast cannot be made for the PCN (no rules, no
    ARRS sum) is a page saying why, with the years that can be forecast."""
    try:
        year = chosen_year(year_text)
    except RuleNotFound as exc:
        return unavailable(org, str(year_text), str(exc), as_of_text)
    except ValueError as exc:  # not a financial year at all
        return unavailable(org, "", str(exc)[:200], as_of_text, status=400)
    result = pf.pcn_forecast(org.code, year, as_of(as_of_text))
    if result.forecast is None:
        return unavailable(org, year, result.message, as_of_text)
    fc = result.forecast
    rules = load_year(year)
    arrs_claimed, _gp = pf.claimed(org.code, rules)
    spec, table = pf.chart(fc, arrs_claimed)
    return {
        "page_title": f"ARRS forecast {year}: {org.name}",
        "status": 200,
        "org": org,
        "year": year,
        "years": pf.years(),
        "fc": fc,
        "figures": pot_figures(fc, result.sum_figures, result.notes),
        "notes": result.notes,
        "headroom": fc.headroom(),
        "from_month": fc.headroom_from,
        "spec": spec,
        "table": table,
        "columns": pf.CHART_COLUMNS,
        "role_name": role_name,
        "breadcrumbs": crumbs(org),
    }


def chart_csv(table: list[list[str]]) -> str:
    """The chart's table as CSV: the same columns, amounts without the pound sign or commas."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(pf.CHART_COLUMNS)
    writer.writerows([[c.replace("£", "").replace(",", "") for c in r] for r in table])
    return buf.getvalue()
