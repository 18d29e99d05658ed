"""Loading a PCN's own extract from the web app (the PCN's lead and administrators): the
upload is imported and becomes the PCN's dataset; every load is audited with its counts."""

from __future__ import annotations

from django.urls import reverse

from openpcn.data.accounts import audit
from openpcn.data.population.extracts import ExtractError, load_extract


def upload(request, org) -> dict:
    """The page's context after a POST: an error, or the import report."""
    file = request.FILES.get("extract")
    if file is None:
        return {"error": "Choose the .zip file of the PCN's extract to upload."}
    try:
        ds, report, note = load_extract(org.code, file)
    except ExtractError as exc:
        audit.record(
            request,
            "population extract refused",
            object_type="population",
            object_id=org.code,
            outcome="refused",
            reason=str(exc),
        )
        return {"error": str(exc)}
    audit.record(
        request,
        "population extract loaded",
        object_type="population",
        object_id=org.code,
        patients=ds.patients,
        accepted=report.get("accepted"),
        rejected=report.get("rejected"),
    )
    return {"loaded": ds, "report": report, "note": note}


def context(org, extra: dict) -> dict:
    return {
        "page_title": f"Load the population extract: {org.name}",
        "org": org,
        "breadcrumbs": [
            {"text": "Home", "href": "/"},
            {
                "text": "Population health",
                "href": reverse("population:network", kwargs={"code": org.code}),
            },
        ],
        **extra,
    }
