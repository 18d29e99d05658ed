"""Network services pages for a PCN (scoped): the IIF, care homes, Enhanced Access and care
plans. Each view reads the request and renders; its page's presenter does the work."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from openpcn.core.roles import Role
from openpcn.data.registry.models import Organisation
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import shows_page_errors
from openpcn.web.services import care_homes_page, care_plans_page, enhanced_access_page
from openpcn.web.services.iif_page import iif_page

PCN_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD, Role.CLINICIAN}


@access(in_scope("code", "pcn", roles=PCN_ROLES))
@shows_page_errors
def iif(request, code):
    return render(request, "services/iif.jinja", iif_page(code.upper(), request.GET.get("year")))


@access(in_scope("code", "pcn", roles=PCN_ROLES))
@shows_page_errors
def care_homes(request, code):
    """Aligned care homes, the premium they bring, and homes suggested for alignment."""
    org = Organisation.objects.get(code=code.upper())
    errors = []
    if request.method == "POST" and request.POST.get("round"):
        messages.success(request, care_homes_page.record_round(request, org.code))
        return redirect("services:care-homes", code=org.code)
    if request.method == "POST":
        errors, done = care_homes_page.align_home(request, org)
        if done:
            messages.success(request, done)
            return redirect("services:care-homes", code=org.code)
    context = care_homes_page.care_homes_page(request, org, errors)
    return render(request, "services/care_homes.jinja", context, status=400 if errors else 200)


@access(in_scope("code", "pcn", roles=PCN_ROLES))
@shows_page_errors
def enhanced_access(request, code):
    """The weekly Enhanced Access requirement against the newest rota and against the sessions
    recorded as delivered, week by week."""
    org = Organisation.objects.get(code=code.upper())
    error = ""
    if request.method == "POST":
        error, done = enhanced_access_page.record_delivered(request, org)
        if done:
            messages.success(request, done)
            return redirect("services:enhanced-access", code=org.code)
    context = enhanced_access_page.enhanced_access_page(request, org, error)
    return render(request, "services/enhanced_access.jinja", context, status=400 if error else 200)


@access(in_scope("code", "pcn", roles={Role.ADMIN, Role.PCN_LEAD, Role.CLINICIAN}))
@shows_page_errors
def care_plans(request, code):
    """Admissions to the PCN's aligned homes and whether each has its personalised care plan
    within 7 working days (patient-level: audited with its purpose)."""
    org = Organisation.objects.get(code=code.upper())
    ds, aligned = care_plans_page.dataset_and_homes(org.code)
    error = ""
    if request.method == "POST":
        error, done = care_plans_page.record(request, ds, aligned)
        if done:
            messages.success(request, done)
            return redirect("services:care-plans", code=org.code)
    context = care_plans_page.care_plans_page(request, org, ds, aligned, error)
    return render(request, "services/care_plans.jinja", context, status=400 if error else 200)
