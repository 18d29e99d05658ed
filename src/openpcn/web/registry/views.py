"""Public national explorer pages (open data, no sign-in). Thin: figures come from
``explorer``, ``pages`` and ``presenters``."""

from __future__ import annotations

import csv
from datetime import date

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openpcn.data.registry import explorer
from openpcn.data.registry.models import Organisation
from openpcn.data.registry.national import latest_date, national_view
from openpcn.web.platform import charts
from openpcn.web.platform.access import PUBLIC, access
from openpcn.web.platform.errors import render_error
from openpcn.web.platform.page_cache import public_cache
from openpcn.web.registry import pages, presenters
from openpcn.web.registry.explorer_tables import explorer_table

CRUMBS = [{"text": "Home", "href": "/"}, {"text": "Explore PCNs", "href": "/explore/"}]


def _as_of(request) -> date:
    text = request.GET.get("as_of")
    if not text:
        return latest_date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date; write it like 2026-07-01") from None


def _csv(name: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _inputs(request):
    try:
        return _as_of(request), explorer.parse_band(request.GET.get("band"))
    except ValueError as e:
        return None, str(e)


@access(PUBLIC)
@public_cache
def explorer_page(request):
    on, band = _inputs(request)
    if on is None:
        return render_error(request, 400, band)
    low, high = band
    ctx = explorer.explorer(on, low, high)
    populations = [r.population for r in ctx["view"].rows]
    return render(
        request,
        "registry/explorer.jinja",
        {
            "page_title": "Explore PCNs",
            "x": ctx,
            "band_text": f"{low}-{high}",
            "hist_spec": charts.size_histogram(populations, low, high),
            "hist_rows": explorer.histogram_rows(populations),
            "time_spec": charts.share_over_time(ctx["over_time"]),
            "source_note": explorer.source_note(ctx["view"]),
            "breadcrumbs": CRUMBS[:1],
        },
    )


@access(PUBLIC)
@public_cache
def explorer_csv(request, table):
    on, band = _inputs(request)
    if on is None:
        return render_error(request, 400, band)
    low, high = band
    ctx = explorer.explorer(on, low, high)
    answer = explorer_table(table, ctx, on, low, high)
    if answer is None:
        return render_error(request, 404, f"There is no table called '{table}'.")
    return _csv(*answer)


@access(PUBLIC)
def search(request):
    q = (request.GET.get("q") or "").strip()
    results = []
    if q:
        exact = Organisation.objects.filter(code=q.upper(), kind__in=["pcn", "practice"]).first()
        if exact:
            return redirect(f"registry:{exact.kind}", code=exact.code)
        results = list(
            Organisation.objects.filter(kind__in=["pcn", "practice"])
            .filter(Q(name__icontains=q) | Q(code__istartswith=q))
            .order_by("kind", "name")[:100]
        )
    return render(
        request,
        "registry/search.jinja",
        {"page_title": "Search", "q": q, "results": results, "breadcrumbs": CRUMBS},
    )


def _chart_csv(request, code: str, pyr: dict, trend: list[dict]) -> HttpResponse | None:
    """The CSV behind a page's pyramid or trend chart, when ?csv= asks for one."""
    if request.GET.get("csv") == "trend":
        return _csv(
            f"{code}-list-size-trend.csv",
            ["extract_date", "registered_patients", "sources"],
            [[p["date"], p["patients"], p["source"]] for p in trend],
        )
    if request.GET.get("csv") == "pyramid":
        return _csv(
            f"{code}-age-sex.csv",
            ["who", "sex", "age_band", "pct"],
            [[r["who"], r["sex"], r["age"], r["pct"]] for r in pyr["rows"]],
        )
    return None


def _chart_context(pyr: dict, trend: list[dict]) -> dict:
    return {
        "pyramid": pyr,
        "trend": trend,
        "pyramid_spec": charts.age_pyramid(pyr["rows"]) if pyr["rows"] else None,
        "trend_spec": charts.list_size_trend(trend),
        "pyramid_table": [[r["who"], r["sex"], r["age"], r["pct"]] for r in pyr["rows"]],
        "trend_table": [[p["date"], f"{p['patients']:,}", p["source"]] for p in trend],
    }


@access(PUBLIC)
@public_cache
def pcn(request, code):
    code = code.upper()
    org = pages.org_or_none(code, "pcn")
    if org is None:
        return render_error(request, 404, f"There is no PCN with the code '{code}'.")
    on = latest_date()
    view = presenters.pcn_overview(code, on)
    members = [m["code"] for m in view["members"]]
    pyr = pages.pyramid(members, "This PCN")
    trend = pages.trend(lambda d, v: v.members(code))
    download = _chart_csv(request, code, pyr, trend)
    if download is not None:
        return download
    return render(
        request,
        "registry/pcn.jinja",
        {
            "page_title": org.name,
            "view": view,
            **_chart_context(pyr, trend),
            "history": pages.membership_history(code, as_child=False),
            "national": national_view(on),
            "breadcrumbs": CRUMBS,
        },
    )


@access(PUBLIC)
@public_cache
def practice(request, code):
    code = code.upper()
    org = pages.org_or_none(code, "practice")
    if org is None:
        return render_error(request, 404, f"There is no practice with the code '{code}'.")
    on = latest_date()
    view = presenters.practice_overview(code, on)
    pyr = pages.pyramid([code], "This practice")
    trend = pages.trend(lambda d, v: [code] if code in v.totals else [])
    download = _chart_csv(request, code, pyr, trend)
    if download is not None:
        return download
    return render(
        request,
        "registry/practice.jinja",
        {
            "page_title": org.name,
            "view": view,
            **_chart_context(pyr, trend),
            "history": pages.membership_history(code, as_child=True),
            "breadcrumbs": CRUMBS,
        },
    )
