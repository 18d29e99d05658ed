"""The ICB's neighbourhoods page and CSV (issue 18 part 5): aggregates only, caseload counts
of 1-4 as "fewer than 5". Figures come from ``openpcn.data.neighbourhoods.icb``."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpcn.data.neighbourhoods.icb import caseload_figure, icb_neighbourhoods, population_figure
from openpcn.data.registry.models import Organisation, OrgKind
from openpcn.web.platform.errors import PageError

CSV_COLUMNS = [
    "neighbourhood",
    "owner_code",
    "owner_name",
    "lsoas",
    "local_authorities",
    "lsoas_in_imd_deciles_1_2",
    "share_in_imd_deciles_1_2_pct",
    "registered_patients_of_serving_pcns",
    "pcns",
    "partners",
    "partners_by_kind",
    "teams",
    "team_members",
    "caseload_patients",
    "open_actions",
]


def org_or_404(code: str, kind: str, what: str) -> Organisation:
    org = Organisation.objects.filter(code=code.upper(), kind=kind).first()
    if org is None:
        raise PageError(404, f"There is no {what} '{code.upper()}'.")
    return org


def _icb(code: str) -> Organisation:
    return org_or_404(code, OrgKind.ICB, "ICB")


def page(code: str, on: date) -> dict:
    icb = _icb(code)
    data = icb_neighbourhoods(icb.code, on)
    rows = [
        {
            **r,
            "population_figure": population_figure(data, r),
            "caseload_figure": caseload_figure(r),
        }
        for r in data["neighbourhoods"]
    ]
    return {
        "page_title": f"Neighbourhoods in {icb.name}",
        "icb": icb,
        "data": data,
        "rows": rows,
        "on": on,
        "breadcrumbs": [
            {"text": "Home", "href": "/"},
            {"text": icb.name, "href": f"/icb/{icb.code}/"},
        ],
    }


def csv_text(code: str, on: date) -> str:
    icb = _icb(code)
    data = icb_neighbourhoods(icb.code, on)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for r in data["neighbourhoods"]:
        w.writerow(
            [
                r["name"],
                r["owner"]["code"],
                r["owner"]["name"],
                r["lsoa_count"],
                "; ".join(f"{la['name']} ({la['code']})" for la in r["local_authorities"]),
                r["imd"]["lsoas_in_deciles_1_2"],
                ""
                if r["imd"]["share_in_deciles_1_2"] is None
                else r["imd"]["share_in_deciles_1_2"],
                "" if r["registered_population"] is None else r["registered_population"],
                "; ".join(p["code"] for p in r["pcns"]),
                r["partners"]["total"],
                "; ".join(f"{k}: {n}" for k, n in r["partners"]["by_kind"].items()),
                r["teams"],
                r["team_members"],
                r["caseload"]["shown"],
                r["open_actions"],
            ]
        )
    pop = data["population"]
    w.writerow([])
    w.writerow([f"as at {data['as_at']}; {data['small_numbers']}"])
    w.writerow(
        [f"registered patients: {pop['how']} Sources: {', '.join(pop['sources']) or 'none loaded'}"]
    )
    return buf.getvalue()
