"""The IIF page for a PCN: its indicators for a year, each against its ICB's PCNs and England."""

from __future__ import annotations

from django.urls import reverse

from openpcn.data.registry.models import Organisation
from openpcn.data.services import iif as measures
from openpcn.web.platform import charts
from openpcn.web.platform.errors import PageError


def iif_page(code: str, year_text: str | None) -> dict:
    year = measures.iif_year(year_text)
    if year is None:
        raise PageError(
            404,
            "No Investment and Impact Fund achievement file is loaded yet; an administrator "
            "loads it.",
        )
    mine = [r for r in year.results if r.pcn_code == code]
    if not mine:
        raise PageError(404, f"The {year.year} IIF file has no measures for {code}.")
    org = Organisation.objects.get(code=code)
    rows = measures.national_view(year.achievement_date).rows
    icb = next((r.icb_code for r in rows if r.code == code), "")
    icb_members = {r.code for r in rows if r.icb_code == icb}
    chart_list = [
        (
            r.indicator,
            charts.iif_comparison_spec(year, r.indicator, code, icb_members),
            sorted(
                (x.pcn_code, f"{x.achievement_pct:.2f}")
                for x in year.results
                if x.indicator == r.indicator
                and x.pcn_code in icb_members
                and x.achievement_pct is not None
            ),
        )
        for r in mine
        if r.achievement_pct is not None
    ]
    defs = {i.code: i for i in year.definitions.indicators}
    return {
        "page_title": f"IIF {year.year}: {org.name}",
        "org": org,
        "year": year,
        "rows": [(r, defs[r.indicator]) for r in mine],
        "charts": chart_list,
        "breadcrumbs": network_crumbs(org),
    }


def network_crumbs(org) -> list[dict]:
    return [
        {"text": "Home", "href": "/"},
        {"text": org.name, "href": reverse("web:network", kwargs={"code": org.code})},
    ]
