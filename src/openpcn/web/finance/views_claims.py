"""Claims pages: a month's claims per member of staff, drafts, submit, approve/reject, and the
monthly claim schedule as Excel (scoped; every change audited; stale copies refused). Each view
reads the request and renders, redirects or downloads; claims_page does the work."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from openpcn.data.registry.models import Organisation
from openpcn.web.finance import claims_page
from openpcn.web.finance.roles import FINANCE_ROLES
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import shows_page_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@access(in_scope("code", "pcn", roles=FINANCE_ROLES, name="PCN finance"))
@shows_page_errors
def claims(request, code):
    org = Organisation.objects.get(code=code.upper())
    month = claims_page.month_of(request.POST.get("month") or request.GET.get("month"), org.code)
    errors = []
    if request.method == "POST":
        errors, done = claims_page.act(request, org, month)
        if done:
            messages.success(request, done)
        if not errors:
            return redirect(f"{reverse('finance:claims', args=[org.code])}?month={month:%Y-%m}")
    return render(
        request, "finance/claims.jinja", claims_page.claims_page(request, org, month, errors)
    )


@access(in_scope("code", "pcn", roles=FINANCE_ROLES, name="PCN finance"))
@shows_page_errors
def schedule(request, code):
    org = Organisation.objects.get(code=code.upper())
    month = claims_page.month_of(request.POST.get("month") or request.GET.get("month"), org.code)
    data, filename = claims_page.schedule(org, month)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
