"""Finance pages for a PCN (scoped): every payment stream with the rule and data behind it.
The view reads the request and renders; entitlements_page does the work."""

from __future__ import annotations

from django.shortcuts import render

from openpcn.web.finance.entitlements_page import entitlements_page
from openpcn.web.finance.roles import FINANCE_ROLES
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import shows_page_errors


@access(in_scope("code", "pcn", roles=FINANCE_ROLES))
@shows_page_errors
def entitlements(request, code):
    context = entitlements_page(code.upper(), request.GET.get("year"))
    return render(request, "finance/entitlements.jinja", context)
