"""Forecast and headroom, income split, and the ICB commissioner's overview (scoped). Each view
reads the request and renders or returns the CSV; its page's presenter does the work."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from openpcn.data.registry.models import Organisation
from openpcn.web.finance.forecast_page import chart_csv, forecast_page
from openpcn.web.finance.icb_page import icb_page
from openpcn.web.finance.roles import FINANCE_ROLES, ICB_ROLES
from openpcn.web.finance.split_page import split_page
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import shows_page_errors


@access(in_scope("code", "pcn", roles=FINANCE_ROLES, name="PCN finance"))
@shows_page_errors
def forecast(request, code):
    org = Organisation.objects.get(code=code.upper())
    context = forecast_page(org, request.GET.get("year"), request.GET.get("as_of", ""))
    if context["fc"] is None:  # this year's forecast cannot be made: why, and which can
        return render(
            request, "finance/forecast_unavailable.jinja", context, status=context["status"]
        )
    if request.GET.get("csv"):
        response = HttpResponse(chart_csv(context["table"]), content_type="text/csv")
        filename = f"arrs-{org.code}-{context['year']}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "finance/forecast.jinja", context)


@access(in_scope("code", "pcn", roles=FINANCE_ROLES, name="PCN finance"))
def income_split(request, code):
    org = Organisation.objects.get(code=code.upper())
    return render(request, "finance/split.jinja", split_page(org, request.GET))


@access(in_scope("code", "icb", roles=ICB_ROLES, name="ICB finance"))
@shows_page_errors
def icb_overview(request, code):
    org = Organisation.objects.get(code=code.upper())
    return render(request, "finance/icb.jinja", icb_page(org, request.GET.get("year")))
