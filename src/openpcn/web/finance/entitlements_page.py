"""The entitlements page for a PCN: every payment stream for a year with its rule and data, the
ICB variations used, and the ARRS pot from the forecast."""

from __future__ import annotations

from django.urls import reverse

from openpcn.data.finance import entitlements as entitlements_db
from openpcn.data.finance import forecast as forecast_db
from openpcn.data.registry.models import Organisation
from openpcn.finance.entitlements import available_total
from openpcn.rules.current import chosen_year
from openpcn.rules.loader import RuleNotFound, load_all
from openpcn.web.platform.errors import PageError


def entitlements_page(code: str, year_text: str | None) -> dict:
    """The page's context; a year with no rule file, or no population file, is a 404."""
    years = list(load_all())
    try:
        year = chosen_year(year_text)
    except (ValueError, RuleNotFound) as exc:
        raise PageError(404, str(exc)) from None
    streams, pops = entitlements_db.pcn_entitlements(code, year)
    org = Organisation.objects.filter(code=code).first()
    if streams is None:
        raise PageError(404, pops or "No NHS England population file is loaded.")
    total = available_total(streams)
    varied = (p.rule.varied_by for s in streams for p in s.parts if p.rule.varied_by)
    variations = list(dict.fromkeys(v.words() for v in varied))  # ICB overlays used
    forecast = forecast_db.pcn_forecast(code, year).forecast
    return {
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
    }
