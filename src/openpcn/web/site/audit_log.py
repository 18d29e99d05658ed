"""The audit log, for administrators: filterable, read-only."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from openpcn.data.accounts.models import AuditEvent
from openpcn.web.platform.access import ADMIN_ONLY, access
from openpcn.web.platform.forms import AuditFilterForm


@access(ADMIN_ONLY)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.all()
    status = 200
    if form.is_bound:
        if form.is_valid():
            events = form.filter(events)
        else:
            status = 400
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/audit.jinja",
        {
            "page_title": "Audit log",
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
        status=status,
    )
