"""The role cost calculator page and its Excel download (public): anyone may cost a post.
Bad input is shown on the form as a sentence a person can act on, never a server error.
Each view reads the query and renders or downloads; role_cost_page does the work."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from openpcn.finance.role_cost_export import role_cost_xlsx
from openpcn.web.finance.role_cost_page import calculate, role_cost_page
from openpcn.web.finance.views_claims import XLSX
from openpcn.web.platform.access import PUBLIC, access


@access(PUBLIC)
def role_cost(request):
    context, status = role_cost_page(request.GET)
    return render(request, "finance/role_cost.jinja", context, status=status)


@access(PUBLIC)
def role_cost_download(request):
    calc = calculate(request.GET)
    if calc.result is None:
        return role_cost(request)
    c = calc.result
    response = HttpResponse(role_cost_xlsx(c), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="role-cost-{c.role}-{c.year}.xlsx"'
    return response
