"""Structured medication reviews: recording a review (patient-level, audited) and the progress
page (reviews in 12 months by practice against the PCN's planned capacity, and how many
priority patients still wait)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from openpcn.core.figures import DataRef, Figure
from openpcn.core.roles import Role
from openpcn.data.accounts import audit
from openpcn.data.population import cohorts as cohorts_db
from openpcn.data.population.models import SmrCapacity
from openpcn.data.population.reviews import ReviewError, save_capacity
from openpcn.data.population.reviews import record_review as record
from openpcn.data.registry.models import Organisation
from openpcn.population.definitions import by_name
from openpcn.population.outputs import suppress
from openpcn.web.platform.errors import PageError

EDIT_ROLES = (Role.ADMIN, Role.PCN_LEAD)


def dataset(code: str):
    ds = cohorts_db.dataset_for(code)
    if ds is None:
        raise PageError(404, "No population dataset is loaded for this PCN.")
    return ds


def record_review(request, code: str) -> date:
    """Record the review from the form; the review date. Refusals are audited."""
    ds = dataset(code)
    try:
        patient = int(request.POST.get("patient", ""))
        day = date.fromisoformat(request.POST.get("date") or date.today().isoformat())
    except ValueError:
        raise PageError(400, "Give the patient and the review date as YYYY-MM-DD.") from None
    try:
        record(ds, patient, day, request.user.get_username())
    except ReviewError as e:
        audit.record(
            request,
            "medication review refused",
            object_type="patient",
            object_id=f"dataset {ds.pk} row {patient}",
            outcome="refused",
            reason=str(e),
        )
        raise PageError(400, str(e)) from None
    audit.record(
        request,
        "medication review recorded",
        object_type="patient",
        object_id=f"dataset {ds.pk} row {patient}",
        purpose="Direct care: SMR",
        review_date=day.isoformat(),
    )
    return day


def set_capacity(request, org) -> str:
    """Save the planned reviews per month from the form; an error message or ''."""
    if request.user.role not in EDIT_ROLES:
        raise PageError(403, "Only the PCN's lead can set the capacity.")
    value = request.POST.get("reviews_per_month", "")
    if not value.isdigit() or not 0 < int(value) <= 5000:
        return "Enter the reviews planned each month as a whole number from 1 to 5,000"
    save_capacity(request, org, int(value))
    return ""


def smr_page(request, org, error: str) -> dict:
    ds = dataset(org.code)
    practices = cohorts_db.members(org.code)
    names = dict(Organisation.objects.filter(code__in=practices).values_list("code", "name"))
    index = cohorts_db.index_date(ds)
    report = cohorts_db.smr_progress(ds, practices)
    capacity = SmrCapacity.objects.filter(pcn=org).first()
    disclose = request.user.role == Role.ICB_COMMISSIONER
    smr = by_name("smr")
    total = suppress(report["total"]) if disclose else report["total"]
    figure = Figure(
        label="Priority patients reviewed in 12 months",
        value=total if total is not None else "hidden (1 to 7 patients)",
        unit="patients" if total is not None else "",
        method=(
            f"patients registered at {', '.join(practices)} in any SMR priority cohort on {index}"
            f" ({', '.join(smr.label(c).lower() for c in report['cohorts'])}) with a structured"
            f" medication review recorded after {report['since']} and on or before {index}"
            f" (definition {smr.path.name})"
            + ("; small numbers hidden and others rounded to 5 for your role" if disclose else "")
        ),
        data=(
            DataRef(
                source=ds.label or f"population dataset {ds.pk}",
                as_of=index,
                description="medication reviews of kind SMR in the PCN's dataset, including"
                " those recorded here",
                patients=total,
            ),
        ),
    )
    return {
        "figure": figure,
        "labels": {c: smr.label(c) for c in report["cohorts"]},
        "page_title": f"Medication reviews: {org.name}",
        "org": org,
        "ds": ds,
        "report": report,
        "names": names,
        "practices": practices,
        "show": suppress if disclose else (lambda n: n),
        "capacity": capacity,
        "planned_year": capacity.reviews_per_month * 12 if capacity else None,
        "error": error,
        "index": index,
        "disclose": disclose,
        "can_edit": request.user.role in EDIT_ROLES,
        "breadcrumbs": [
            {"text": "Home", "href": "/"},
            {"text": org.name, "href": reverse("web:network", kwargs={"code": org.code})},
        ],
    }
