"""The income split page: a sum shared among the PCN's member practices by list size, equally,
or by percentages or points entered, each share explained; errors name the field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from openpcn.data.finance import forecast as pf
from openpcn.data.finance import split as split_db
from openpcn.data.finance.register import member_practices
from openpcn.finance.errors import FinanceError
from openpcn.finance.split import METHODS, shares_total
from openpcn.web.finance.breadcrumbs import crumbs
from openpcn.web.finance.forms import clean_money_text

BASIS_WORDS = {
    "registered": "registered list sizes",
    "weighted": "weighted list sizes",
    "adjusted": "adjusted populations",
    "equal": "equal shares",
    "percentages": "the percentages entered",
    "points": "the points entered",
}


def _weights(params: Any, practices, method: str):
    """Practice -> weight for percentages or points, with errors naming the field."""
    weights, errors = {}, []
    for code, name in practices:
        text = params.get(f"w_{code}", "").strip() or "0"
        try:
            value = Decimal(text)
            if not value.is_finite():
                raise InvalidOperation
            weights[code] = value
        except InvalidOperation:
            errors.append(
                {"text": f"Enter the {method} for {name} as a number", "href": f"#w_{code}"}
            )
    return weights, errors


def _shares(org, practices, method: str, year: str, total: Decimal, params: Any):
    """(shares, data the shares came from, errors) for a method already known to be valid."""
    weights = None
    if method in ("percentages", "points"):
        weights, errors = _weights(params, practices, method)
        if errors:
            return None, (), errors
    codes = [c for c, _ in practices]
    shares, data = split_db.pcn_shares(org.code, method, year, total, codes, weights)
    return shares, data, []


def split_page(org, params: Any) -> dict:
    """The page's context from the query (a mapping of text): the form, then the shares or the
    errors that stopped them."""
    practices = member_practices(org.code)
    method = params.get("method", "registered")
    errors, shares, total, data = [], None, None, ()
    year = params.get("year") or pf.default_year()
    if method not in METHODS:
        errors.append({"text": f"Choose a split method ({', '.join(METHODS)})", "href": "#method"})
    if "total" in params and not errors:
        total, problem = clean_money_text(params["total"], "the total to split")
        if problem:
            errors.append({"text": problem, "href": "#total"})
        elif not practices:
            errors.append(
                {"text": f"{org.name} has no member practices on record", "href": "#total"}
            )
        else:
            try:
                shares, data, errors = _shares(org, practices, method, year, total, params)
            except FinanceError as exc:
                errors.append({"text": str(exc)[:1].upper() + str(exc)[1:], "href": "#method"})
                shares = None
    return {
        "page_title": f"Income split: {org.name}",
        "org": org,
        "practices": practices,
        "method": method,
        "methods": METHODS,
        "year": year,
        "errors": errors,
        "shares": shares,
        "explained": [
            s.explained(total, shares, BASIS_WORDS.get(method, method), data) for s in shares or ()
        ],
        "names": dict(practices),
        "total": total,
        "shares_total": shares_total(shares) if shares else None,
        "params": params,
        "breadcrumbs": crumbs(org),
    }
