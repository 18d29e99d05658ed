"""Population health pages. Aggregates for PCN, practice and ICB roles (with disclosure
control for roles that may not see patients); patient-level worklists only for the PCN lead
(PCN-wide) and the practice manager (own practice), each view and export audited with its
purpose. Patient details are never logged. Each page's presenter does the work."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openpcn.core.roles import Role
from openpcn.data.population import cohorts as cohorts_db
from openpcn.data.registry.models import Organisation
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import render_error, shows_page_errors
from openpcn.web.population import extract_page, smr_page
from openpcn.web.population.overview_page import (
    AGGREGATE_ROLES,
    PATIENT_ROLES,
    overview_page,
    pcn_of_practice,
)
from openpcn.web.population.worklist_page import worklist_response


@access(in_scope("code", "pcn", roles=AGGREGATE_ROLES - {Role.PRACTICE_MANAGER}))
@shows_page_errors
def pcn_overview(request, code):
    code = code.upper()
    context = overview_page(request, code, cohorts_db.members(code), scope="network")
    return render(request, "population/overview.jinja", context)


@access(in_scope("code", "practice", roles=AGGREGATE_ROLES))
@shows_page_errors
def practice_overview(request, code):
    code = code.upper()
    context = overview_page(request, pcn_of_practice(code), [code], scope="practice", practice=code)
    return render(request, "population/overview.jinja", context)


def _worklist(request, pcn_code, practice, practices):
    answer = worklist_response(request, pcn_code, practice, practices)
    if isinstance(answer, HttpResponse):
        return answer
    template, context, status = answer
    return render(request, template, context, status=status)


@access(in_scope("code", "pcn", roles={Role.ADMIN, Role.PCN_LEAD}))
@shows_page_errors
def pcn_worklist(request, code):
    code = code.upper()
    practice = (request.GET.get("practice") or "").upper()
    if practice and practice not in cohorts_db.members(code):
        return render_error(request, 404, f"{practice} is not a member practice of {code}.")
    return _worklist(request, code, practice or None, cohorts_db.members(code))


@access(in_scope("code", "practice", roles=PATIENT_ROLES))
@shows_page_errors
def practice_worklist(request, code):
    code = code.upper()
    return _worklist(request, pcn_of_practice(code), code, [code])


@access(in_scope("code", "pcn", roles={Role.ADMIN, Role.PCN_LEAD, Role.CLINICIAN}))
@require_POST
@shows_page_errors
def record_review(request, code):
    """Record a structured medication review for a patient on a worklist (audited)."""
    code = code.upper()
    day = smr_page.record_review(request, code)
    messages.success(
        request,
        f"Review recorded for {day}; the patient leaves the list of "
        "those without a review in 12 months.",
    )
    return redirect(request.POST.get("next") or reverse("population:smr", kwargs={"code": code}))


@access(in_scope("code", "pcn", roles={Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD}))
@require_http_methods(["GET", "POST"])
@shows_page_errors
def smr(request, code):
    """Structured medication reviews: done in 12 months by practice and cohort, against the
    PCN's planned capacity, and how many priority patients still wait."""
    org = Organisation.objects.get(code=code.upper())
    smr_page.dataset(org.code)
    error = smr_page.set_capacity(request, org) if request.method == "POST" else ""
    context = smr_page.smr_page(request, org, error)
    return render(request, "population/smr.jinja", context, status=400 if error else 200)


@access(in_scope("code", "pcn", roles={Role.ADMIN, Role.PCN_LEAD}))
@require_http_methods(["GET", "POST"])
def load_extract(request, code):
    """Upload the PCN's own extract (CSV or FHIR in a .zip): imported, then the PCN's dataset."""
    org = Organisation.objects.get(code=code.upper())
    extra = extract_page.upload(request, org) if request.method == "POST" else {}
    status = 400 if extra.get("error") else 200
    return render(
        request, "population/extract.jinja", extract_page.context(org, extra), status=status
    )
