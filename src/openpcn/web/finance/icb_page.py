"""The ICB commissioner's ARRS overview: each of its PCNs' use of the year's ARRS money."""

from __future__ import annotations

from openpcn.data.finance import forecast as pf
from openpcn.web.finance.breadcrumbs import icb_crumbs
from openpcn.web.finance.forecast_page import year_of


def icb_page(org, year_text: str | None) -> dict:
    """The page's context; a year with no rule file is a 404."""
    year = year_of(year_text)
    return {
        "page_title": f"ARRS use {year}: {org.name}",
        "org": org,
        "year": year,
        "years": pf.years(),
        "rows": pf.icb_rows(org.code, year),
        "breadcrumbs": icb_crumbs(org),
    }
