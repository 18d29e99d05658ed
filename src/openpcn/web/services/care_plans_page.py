"""The care plans page: admissions to the PCN's aligned homes and whether each has its
personalised care plan within 7 working days. Patient-level: every view is audited with its
purpose, and patient details never reach a log or an error message."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from openpcn.data.accounts import audit
from openpcn.data.population import care_home_stays as stays
from openpcn.data.population.cohorts import dataset_for
from openpcn.data.services import care_homes as homes
from openpcn.web.platform.errors import PageError

PURPOSE = "Direct care: Enhanced Health in Care Homes"


def dataset_and_homes(code: str):
    ds = dataset_for(code)
    if ds is None:
        raise PageError(404, "No population dataset is loaded for this PCN.")
    return ds, {a.home.location_id: a.home for a in homes.aligned(code)}


def record(request, ds, aligned: dict) -> tuple[str, str]:
    """Record an admission, readmission or care plan from the form: (error, success message)."""
    today = date.today()
    try:
        patient = stays.find_patient(ds, request.POST.get("nhs_number", ""))
        day = date.fromisoformat(request.POST.get("day", ""))
        if request.POST.get("kind") == "plan":
            stays.record_plan(ds, patient, day, today)
            action = "care plan recorded"
        else:
            home = request.POST.get("home", "")
            if home not in aligned:
                raise stays.StayError("Choose one of the PCN's aligned care homes.")
            again = stays.record_admission(ds, patient, home, day, today)
            action = "care home readmission recorded" if again else "care home admission recorded"
    except ValueError as e:
        return (str(e) if isinstance(e, stays.StayError) else "Enter the date as YYYY-MM-DD."), ""
    audit.record(
        request,
        action,
        object_type="patient",
        object_id=f"dataset {ds.pk} row {patient}",
        purpose=PURPOSE,
        day=day.isoformat(),
    )
    return "", action.capitalize() + "."


def care_plans_page(request, org, ds, aligned: dict, error: str) -> dict:
    rows = stays.checks(ds, set(aligned), date.today())
    numbers = stays.nhs_numbers(ds, {int(r.admission.resident) for r in rows})
    audit.record(
        request,
        "care plans viewed",
        object_type="care_homes",
        object_id=org.code,
        purpose=PURPOSE,
        admissions=len(rows),
    )
    return {
        "page_title": f"Care plans: {org.name}",
        "org": org,
        "rows": [(r, numbers.get(int(r.admission.resident), "")) for r in rows],
        "homes": aligned,
        "error": error,
        "breadcrumbs": [
            {"text": "Home", "href": "/"},
            {
                "text": "Care homes",
                "href": reverse("services:care-homes", kwargs={"code": org.code}),
            },
        ],
    }
