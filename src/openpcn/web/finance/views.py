"""Finance pages for a PCN (scoped): every payment stream with the rule and data behind it."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import render
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.finance import entitlements as entitlements_db
from openpcn.data.registry.models import Organisation
from openpcn.rules.current import chosen_year
from openpcn.rules.loader import RuleNotFound, load_all
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import render_error

FINANCE_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD}


@access(in_scope("code", "pcn", roles=FINANCE_ROLES))
def entitlements(request, code):
    code = code.upper()
    years = list(load_all())
    try:
        year = chosen_year(request.GET.get("year"))
    except (ValueError, RuleNotFound) as exc:
        return render_error(request, 404, str(exc))
    streams, pops = entitlements_db.pcn_entitlements(code, year)
    org = Organisation.objects.filter(code=code).first()
    if streams is None:
        return render_error(request, 404, pops or "No NHS England population file is loaded.")
    total = sum((s.annual_amount for s in streams if s.available and s.annual_amount), Decimal(0))
    varied = (p.rule.varied_by for s in streams for p in s.parts if p.rule.varied_by)
    variations = list(dict.fromkeys(v.words() for v in varied))  # ICB overlays used
    from openpcn.data.finance import forecast as forecast_db

    forecast = forecast_db.pcn_forecast(code, year).forecast
    return render(
        request,
        "finance/entitlements.jinja",
        {
            "page_title": f"Entitlements {year}: {org.name if org else code}",
            "org": org,
            "code": code,
            "year": year,
            "years": years,
            "streams": streams,
            "total": total,
            "variations": variations,
            "arrs": forecast.pots.get("arrs") if forecast else None,
            "pop": pops.pcns[code],
            "pops": pops,
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {
                    "text": org.name if org else code,
                    "href": reverse("web:network", kwargs={"code": code}),
                },
            ],
        },
    )
