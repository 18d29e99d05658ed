"""Services API: a PCN's IIF results with their explained figures (scoped)."""

from ninja import Router
from ninja.errors import HttpError

from openpcn.data.services import iif as measures
from openpcn.web.platform.access import in_scope
from openpcn.web.platform.api import api_access
from openpcn.web.services.views import PCN_ROLES

router = Router(tags=["services"])


@router.get("/iif/{code}", summary="IIF achievement, points and £ per indicator for a PCN")
@api_access(in_scope("code", "pcn", roles=PCN_ROLES))
def iif(request, code: str, year: str | None = None):
    result = measures.iif_year(year)
    if result is None:
        raise HttpError(404, "No IIF achievement file has been imported yet.")
    rows = [r for r in result.results if r.pcn_code == code.upper()]
    if not rows:
        raise HttpError(404, f"No {result.year} IIF measures for {code.upper()}.")
    return [{**r.row(), "figure": r.figure.as_dict() if r.figure else None} for r in rows]


@router.get(
    "/care-homes/{code}",
    summary="Aligned care homes with beds, weekly rounds and the care home premium (scoped)",
)
@api_access(in_scope("code", "pcn", roles=PCN_ROLES))
def care_homes(request, code: str):
    from datetime import date

    from openpcn.data.services import care_homes as homes

    code = code.upper()
    rounds = homes.rounds_status(code, date.today())
    premium = homes.premium(code, date.today())
    return {
        "homes": [
            {
                "location_id": a.home.location_id,
                "name": a.home.name,
                "beds": a.home.beds,
                "lead_practice": a.lead_practice.code,
                "since": a.start.isoformat(),
                "last_round": (r := rounds.get(a.home.location_id, {})).get("last")
                and r["last"].isoformat(),
                "weeks_without_round": len(r.get("overdue", [])),
            }
            for a in homes.aligned(code)
        ],
        "premium": premium.as_dict() if premium else None,
    }


@router.get(
    "/enhanced-access/{code}",
    summary="Weekly Enhanced Access requirement and the "
    "minutes planned in the newest rota (scoped)",
)
@api_access(in_scope("code", "pcn", roles=PCN_ROLES))
def enhanced_access(request, code: str):
    from datetime import date

    from openpcn.web.services import enhanced_access_page

    figure, note = enhanced_access_page.requirement(code.upper(), date.today())
    if figure is None:
        raise HttpError(404, note)
    _plan, weeks = enhanced_access_page.planned(code.upper(), figure.value)
    return {
        "requirement": figure.as_dict(),
        "note": note,
        "planned": [
            {
                "iso_year": w.week[0],
                "iso_week": w.week[1],
                "minutes_in_hours": w.minutes_in_hours,
                "meets_requirement": w.meets_requirement,
                "gaps": len(w.gaps),
            }
            for w in weeks
        ],
    }
