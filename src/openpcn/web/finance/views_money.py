"""Forecast and headroom, income split, and the ICB commissioner's overview (scoped)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.finance import entitlements
from openpcn.data.finance import forecast as pf
from openpcn.data.finance.register import member_practices, role_name
from openpcn.data.registry.models import Organisation
from openpcn.finance.claims import month_start
from openpcn.finance.errors import FinanceError
from openpcn.finance.split import (
    METHODS,
    by_list,
    by_percentages,
    by_points,
    equally,
    practice_lists,
)
from openpcn.rules import load_year
from openpcn.rules.current import chosen_year
from openpcn.rules.loader import RuleNotFound
from openpcn.web.finance.forecast_figures import pot_figures
from openpcn.web.finance.forms import clean_money_text
from openpcn.web.finance.views_register import FINANCE_ROLES, crumbs
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import render_error

ICB_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER}


def _year(request):
    try:
        return chosen_year(request.GET.get("year")), ""
    except (ValueError, RuleNotFound) as exc:
        return None, str(exc)


def _as_of(request):
    text = request.GET.get("as_of", "")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@access(in_scope("code", "pcn", roles=FINANCE_ROLES, name="PCN finance"))
def forecast(request, code):
    org = Organisation.objects.get(code=code.upper())
    year, problem = _year(request)
    if year is None:
        return render_error(request, 404, problem)
    result = pf.pcn_forecast(org.code, year, _as_of(request))
    if result.forecast is None:
        return render_error(request, 404, result.message)
    fc = result.forecast
    rules = load_year(year)
    arrs_claimed, _gp = pf.claimed(org.code, rules)
    spec, table = pf.chart(fc, arrs_claimed)
    if request.GET.get("csv"):
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(pf.CHART_COLUMNS)
        writer.writerows([[c.replace("£", "").replace(",", "") for c in r] for r in table])
        response = HttpResponse(buf.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="arrs-{org.code}-{year}.csv"'
        return response
    from_month = month_start(max(fc.as_of, rules.year.start))
    return render(
        request,
        "finance/forecast.jinja",
        {
            "page_title": f"ARRS forecast {year}: {org.name}",
            "org": org,
            "year": year,
            "years": pf.years(),
            "fc": fc,
            "figures": pot_figures(fc, result.sum_figures, result.notes),
            "notes": result.notes,
            "headroom": fc.headroom(from_month),
            "from_month": from_month,
            "spec": spec,
            "table": table,
            "columns": pf.CHART_COLUMNS,
            "role_name": role_name,
            "breadcrumbs": crumbs(org),
        },
    )


def _weights(request, practices, method):
    """Practice -> weight for percentages or points, with errors naming the field."""
    weights, errors = {}, []
    for code, name in practices:
        text = request.GET.get(f"w_{code}", "").strip() or "0"
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


BASIS_WORDS = {
    "registered": "registered list sizes",
    "weighted": "weighted list sizes",
    "adjusted": "adjusted populations",
    "equal": "equal shares",
    "percentages": "the percentages entered",
    "points": "the points entered",
}


@access(in_scope("code", "pcn", roles=FINANCE_ROLES, name="PCN finance"))
def income_split(request, code):
    org = Organisation.objects.get(code=code.upper())
    practices = member_practices(org.code)
    method = request.GET.get("method", "registered")
    errors, shares, total, data = [], None, None, ()
    year = request.GET.get("year") or pf.default_year()
    if method not in METHODS:
        errors.append({"text": f"Choose a split method ({', '.join(METHODS)})", "href": "#method"})
    if "total" in request.GET and not errors:
        total, problem = clean_money_text(request.GET["total"], "the total to split")
        if problem:
            errors.append({"text": problem, "href": "#total"})
        elif not practices:
            errors.append(
                {"text": f"{org.name} has no member practices on record", "href": "#total"}
            )
        else:
            try:
                if method in ("registered", "weighted", "adjusted"):
                    pops = entitlements.populations(year, date.today()) if year else None
                    if pops is None or org.code not in pops.pcns:
                        raise FinanceError(
                            f"no {year or ''} population file holds {org.code}: "
                            "choose equal shares, percentages or points"
                        )
                    shares = by_list(total, practice_lists(pops, org.code, method))
                    data = (pops.data_ref(method),)
                elif method == "equal":
                    shares = equally(total, [c for c, _ in practices])
                else:
                    weights, errors = _weights(request, practices, method)
                    if not errors:
                        fn = by_percentages if method == "percentages" else by_points
                        shares = fn(total, weights)
            except FinanceError as exc:
                errors.append({"text": str(exc)[:1].upper() + str(exc)[1:], "href": "#method"})
                shares = None
    names = dict(practices)
    return render(
        request,
        "finance/split.jinja",
        {
            "page_title": f"Income split: {org.name}",
            "org": org,
            "practices": practices,
            "method": method,
            "methods": METHODS,
            "year": year,
            "errors": errors,
            "shares": shares,
            "explained": [
                s.explained(total, shares, BASIS_WORDS.get(method, method), data)
                for s in shares or ()
            ],
            "names": names,
            "total": total,
            "shares_total": sum((s.amount for s in shares), Decimal("0.00")) if shares else None,
            "params": request.GET,
            "breadcrumbs": crumbs(org),
        },
    )


@access(in_scope("code", "icb", roles=ICB_ROLES, name="ICB finance"))
def icb_overview(request, code):
    org = Organisation.objects.get(code=code.upper())
    year, problem = _year(request)
    if year is None:
        return render_error(request, 404, problem)
    rows = pf.icb_rows(org.code, year)
    return render(
        request,
        "finance/icb.jinja",
        {
            "page_title": f"ARRS use {year}: {org.name}",
            "org": org,
            "year": year,
            "years": pf.years(),
            "rows": rows,
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {"text": org.name, "href": reverse("web:icb", kwargs={"code": org.code})},
            ],
        },
    )
