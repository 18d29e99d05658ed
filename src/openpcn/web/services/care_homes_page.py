"""The care homes page for a PCN: aligned homes, the premium, weekly rounds, suggested homes;
recording a round and aligning a home."""

from __future__ import annotations

from datetime import date

from openpcn.core.roles import Role
from openpcn.data.accounts import audit
from openpcn.data.registry.models import Organisation
from openpcn.data.services import care_homes as homes
from openpcn.data.services import iif as measures
from openpcn.data.services.models import CareHome
from openpcn.services.errors import ServicesError
from openpcn.web.platform.errors import PageError
from openpcn.web.services.iif_page import network_crumbs

ROUND_ROLES = (Role.ADMIN, Role.PCN_LEAD, Role.CLINICIAN)
ALIGN_ROLES = (Role.ADMIN, Role.PCN_LEAD)


def record_round(request, code: str) -> str:
    """Record a weekly round from the form; the success message."""
    if request.user.role not in ROUND_ROLES:
        raise PageError(403, "Only the PCN's staff can record a round.")
    try:
        home, day = homes.record_round(
            code, request.POST.get("round", ""), request.POST.get("day", ""), request.user.username
        )
    except ServicesError as e:
        raise PageError(400, str(e)) from None
    audit.record(
        request,
        "care home round recorded",
        object_type="care_home",
        object_id=home.location_id,
        day=day.isoformat(),
    )
    return f"Round at {home.name} on {day} recorded."


def align_home(request, org) -> tuple[list[dict], str]:
    """Align the chosen home to the PCN: (form errors, success message)."""
    if request.user.role not in ALIGN_ROLES:
        raise PageError(403, "Only the PCN's lead can align care homes.")
    home = CareHome.objects.filter(location_id=request.POST.get("home", "")).first()
    lead = Organisation.objects.filter(code=request.POST.get("lead", ""), kind="practice").first()
    errors = []
    if home is None:
        errors.append({"text": "Choose a care home from the list", "href": "#homes"})
    if lead is None:
        errors.append({"text": "Choose the lead practice", "href": "#homes"})
    if errors:
        return errors, ""
    try:
        homes.align(home, org, lead, date.today(), request.user.username)
    except ServicesError as e:
        audit.record(
            request,
            "care home alignment refused",
            object_type="care_home",
            object_id=home.location_id,
            outcome="refused",
            reason=str(e),
        )
        return [{"text": str(e), "href": "#homes"}], ""
    audit.record(
        request,
        "care home aligned",
        object_type="care_home",
        object_id=home.location_id,
        pcn=org.code,
        lead=lead.code,
    )
    return [], f"{home.name} is now aligned to {org.name}."


def care_homes_page(request, org, errors: list[dict]) -> dict:
    code = org.code
    today = date.today()
    members = sorted(
        Organisation.objects.filter(
            code__in=measures.national_view(today).members(code)
        ).values_list("code", "name")
    )
    aligned = homes.aligned(code)
    return {
        "page_title": f"Care homes: {org.name}",
        "org": org,
        "aligned": aligned,
        "beds": sum(a.home.beds for a in aligned),
        "premium": homes.premium(code, today),
        "suggested": homes.suggestions(code),
        "rounds": homes.rounds_status(code, today),
        "members": members,
        "can_edit": request.user.role in ALIGN_ROLES,
        "errors": errors,
        "loaded": CareHome.objects.exists(),
        "breadcrumbs": network_crumbs(org),
    }
