"""Population health pages. Aggregates for PCN, practice and ICB roles (with disclosure
control for roles that may not see patients); patient-level worklists only for the PCN lead
(PCN-wide) and the practice manager (own practice), each view and export audited with its
purpose. Patient details are never logged."""

from __future__ import annotations

import csv
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openpcn.core.roles import Role
from openpcn.data.accounts import audit
from openpcn.data.population import cohorts as presenters
from openpcn.data.registry.models import Organisation
from openpcn.population.definitions import by_name
from openpcn.population.outputs import worklist
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import render_error

AGGREGATE_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD, Role.PRACTICE_MANAGER}
PATIENT_ROLES = {Role.ADMIN, Role.PCN_LEAD, Role.PRACTICE_MANAGER}


def _context(request, pcn_code: str):
    ds = presenters.dataset_for(pcn_code)
    if ds is None:
        return None, render_error(
            request,
            404,
            "No population dataset is loaded for this PCN; "
            "generate one with `openpcn demo population` or import an "
            "extract.",
        )
    return ds, None


@access(in_scope("code", "pcn", roles=AGGREGATE_ROLES - {Role.PRACTICE_MANAGER}))
def pcn_overview(request, code):
    return _overview(request, code.upper(), presenters.members(code.upper()), scope="network")


@access(in_scope("code", "practice", roles=AGGREGATE_ROLES))
def practice_overview(request, code):
    pcn = presenters.pcn_of(code.upper())
    if not pcn:
        return render_error(request, 404, f"{code.upper()} is not in a PCN.")
    return _overview(request, pcn, [code.upper()], scope="practice", practice=code.upper())


def _overview(request, pcn_code, practices, scope, practice=None):
    ds, error = _context(request, pcn_code)
    if error:
        return error
    disclose = request.user.role not in PATIENT_ROLES
    names = dict(Organisation.objects.filter(code__in=practices).values_list("code", "name"))
    audit.record(
        request,
        "population aggregates viewed",
        object_type="population",
        object_id=practice or pcn_code,
        disclosure_control=disclose,
    )
    rate_def, _, rate_cohort = (request.GET.get("rate") or "smr.any_priority").partition(".")
    try:
        chosen = by_name(rate_def)
    except Exception:  # noqa: BLE001 - unknown names fall back to the default
        chosen, rate_cohort = by_name("smr"), "any_priority"
    if rate_cohort not in chosen.cohorts:
        rate_cohort = next(iter(chosen.cohorts))
    return render(
        request,
        "population/overview.jinja",
        {
            "rate_choice": f"{chosen.name}.{rate_cohort}",
            "rate_title": chosen.title,
            "inequalities": presenters.inequalities(
                ds, practices, chosen.name, rate_cohort, disclose
            ),
            "page_title": "Population health",
            "ds": ds,
            "pcn": pcn_code,
            "practice": practice,
            "practices": practices,
            "names": names,
            "disclose": disclose,
            "scope": scope,
            "cohorts": presenters.cohort_table(ds, practices, disclose),
            "pyramid": presenters.pyramid(ds, practices, disclose),
            "can_list": request.user.role in PATIENT_ROLES,
            "purposes": presenters.PURPOSES,
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )


@access(in_scope("code", "pcn", roles={Role.ADMIN, Role.PCN_LEAD}))
def pcn_worklist(request, code):
    code = code.upper()
    practice = (request.GET.get("practice") or "").upper()
    if practice and practice not in presenters.members(code):
        return render_error(request, 404, f"{practice} is not a member practice of {code}.")
    return _worklist(request, code, practice or None, presenters.members(code))


@access(in_scope("code", "practice", roles=PATIENT_ROLES))
def practice_worklist(request, code):
    code = code.upper()
    pcn = presenters.pcn_of(code)
    if not pcn:
        return render_error(request, 404, f"{code} is not in a PCN.")
    return _worklist(request, pcn, code, [code])


def _worklist(request, pcn_code, practice, practices):
    ds, error = _context(request, pcn_code)
    if error:
        return error
    definition = request.GET.get("definition", "smr")
    cohort = request.GET.get("cohort", "any_priority")
    purpose = request.GET.get("purpose", "")
    try:
        d = by_name(definition)
    except Exception:  # noqa: BLE001 - any unknown name is a 404 with a message
        return render_error(request, 404, f"There is no cohort definition '{definition}'.")
    if cohort not in d.cohorts:
        return render_error(
            request,
            404,
            f"'{cohort}' is not a cohort of {definition}; choose one of {', '.join(d.cohorts)}.",
        )
    if purpose not in presenters.PURPOSES:
        return render(
            request,
            "population/purpose.jinja",
            {
                "page_title": "Why do you need this list?",
                "definition": d,
                "cohort": cohort,
                "practice": practice,
                "purposes": presenters.PURPOSES,
                "error": bool(request.GET.get("purpose") is not None),
            },
            status=400 if "purpose" in request.GET else 200,
        )
    rows = []
    for p in [practice] if practice else practices:
        rows += worklist(
            ds.path,
            presenters.results(ds)[definition],
            definition,
            cohort,
            p,
            index=presenters.index_date(ds),
        )
    export = request.GET.get("format") == "csv"
    audit.record(
        request,
        "worklist exported" if export else "worklist viewed",
        object_type="worklist",
        object_id=practice or pcn_code,
        purpose=presenters.PURPOSES[purpose],
        definition=definition,
        cohort=cohort,
        patients=len(rows),
        synthetic=ds.synthetic,
    )
    if export:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{definition}-{cohort}-{practice or pcn_code}.csv"'
        )
        w = csv.writer(response)
        if ds.synthetic:
            w.writerow(["SYNTHETIC DATA - not real patients"])
        w.writerow(["nhs_number", "birth_date", "sex", "practice", "reasons"])
        for r in rows:
            w.writerow(
                [
                    r["nhs_number"],
                    r["birth_date"],
                    r["sex"],
                    r["practice_code"],
                    "; ".join(f"{x['code']} on {x['date']}" for x in r["reasons"]),
                ]
            )
        return response
    return render(
        request,
        "population/worklist.jinja",
        {
            "page_title": f"{d.title}: {cohort}",
            "definition": d,
            "cohort": cohort,
            "rows": rows,
            "ds": ds,
            "practice": practice,
            "pcn": pcn_code,
            "purpose": presenters.PURPOSES[purpose],
            "csv_url": request.get_full_path() + "&format=csv",
            "practice_only": request.user.role == Role.PRACTICE_MANAGER,
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {
                    "text": "Population health",
                    "href": reverse("population:practice", kwargs={"code": practice})
                    if practice and request.user.role == Role.PRACTICE_MANAGER
                    else reverse("population:network", kwargs={"code": pcn_code}),
                },
            ],
        },
    )


@access(in_scope("code", "pcn", roles={Role.ADMIN, Role.PCN_LEAD, Role.CLINICIAN}))
@require_POST
def record_review(request, code):
    """Record a structured medication review for a patient on a worklist (audited)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from openpcn.data.population.reviews import ReviewError
    from openpcn.data.population.reviews import record_review as record

    code = code.upper()
    ds = presenters.dataset_for(code)
    if ds is None:
        return render_error(request, 404, "No population dataset is loaded for this PCN.")
    try:
        patient = int(request.POST.get("patient", ""))
        day = date.fromisoformat(request.POST.get("date") or date.today().isoformat())
    except ValueError:
        return render_error(request, 400, "Give the patient and the review date as YYYY-MM-DD.")
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
        return render_error(request, 400, str(e))
    audit.record(
        request,
        "medication review recorded",
        object_type="patient",
        object_id=f"dataset {ds.pk} row {patient}",
        purpose="Direct care: SMR",
        review_date=day.isoformat(),
    )
    messages.success(
        request,
        f"Review recorded for {day}; the patient leaves the list of "
        "those without a review in 12 months.",
    )
    return redirect(request.POST.get("next") or reverse("population:smr", kwargs={"code": code}))


@access(in_scope("code", "pcn", roles={Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD}))
@require_http_methods(["GET", "POST"])
def smr(request, code):
    """Structured medication reviews: done in 12 months by practice and cohort, against the
    PCN's planned capacity, and how many priority patients still wait."""
    from openpcn.data.population.models import SmrCapacity
    from openpcn.data.population.reviews import progress

    code = code.upper()
    ds = presenters.dataset_for(code)
    if ds is None:
        return render_error(request, 404, "No population dataset is loaded for this PCN.")
    org = Organisation.objects.get(code=code)
    error = ""
    if request.method == "POST":
        if request.user.role not in (Role.ADMIN, Role.PCN_LEAD):
            return render_error(request, 403, "Only the PCN's lead can set the capacity.")
        value = request.POST.get("reviews_per_month", "")
        if not value.isdigit() or not 0 < int(value) <= 5000:
            error = "Enter the reviews planned each month as a whole number from 1 to 5,000"
        else:
            SmrCapacity.objects.update_or_create(
                pcn=org,
                defaults={"reviews_per_month": int(value), "updated_by": request.user.username},
            )
            audit.record(
                request,
                "SMR capacity set",
                object_type="organisation",
                object_id=code,
                reviews_per_month=int(value),
            )
    practices = presenters.members(code)
    names = dict(Organisation.objects.filter(code__in=practices).values_list("code", "name"))
    index = presenters.index_date(ds)
    report = progress(ds, practices, presenters.results(ds)["smr"], index)
    capacity = SmrCapacity.objects.filter(pcn=org).first()
    disclose = request.user.role == Role.ICB_COMMISSIONER
    from openpcn.population.outputs import suppress

    show = suppress if disclose else (lambda n: n)
    return render(
        request,
        "population/smr.jinja",
        {
            "page_title": f"Medication reviews: {org.name}",
            "org": org,
            "ds": ds,
            "report": report,
            "names": names,
            "practices": practices,
            "show": show,
            "capacity": capacity,
            "planned_year": capacity.reviews_per_month * 12 if capacity else None,
            "error": error,
            "index": index,
            "disclose": disclose,
            "can_edit": request.user.role in (Role.ADMIN, Role.PCN_LEAD),
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {"text": org.name, "href": reverse("web:network", kwargs={"code": code})},
            ],
        },
        status=400 if error else 200,
    )
