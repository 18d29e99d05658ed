"""Rota pages for a PCN (scoped): plan, solve in the background, view, edit, publish, export.
Each view checks who may act, reads the request and renders, redirects or downloads; the
page presenters (plans_page, plan_page, presenters) do the work."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openpcn.core.roles import Role
from openpcn.data.accounts import audit
from openpcn.data.registry.models import Organisation
from openpcn.data.rota import planning
from openpcn.data.rota.models import RotaPlan
from openpcn.web.platform.access import SIGNED_IN, access, in_scope
from openpcn.web.platform.errors import render_error
from openpcn.web.rota import plan_page, plans_page, presenters

VIEW_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD, Role.CLINICIAN}
EDIT_ROLES = {Role.ADMIN, Role.PCN_LEAD}


@access(in_scope("code", "pcn", roles=VIEW_ROLES))
@require_http_methods(["GET", "POST"])
def plans(request, code):
    org = Organisation.objects.get(code=code.upper())
    errors = []
    if request.method == "POST":
        if request.user.role not in EDIT_ROLES:
            return render_error(request, 403, "Only the PCN's lead can plan rotas.")
        errors = plans_page.plan_errors(request.POST)
        if not errors:
            plan = plans_page.start_plan(request, org)
            return redirect("rota:plan", code=org.code, plan_id=plan.pk)
    context = plans_page.plans_page(request, org, errors, request.user.role in EDIT_ROLES)
    return render(request, "rota/plans.jinja", context, status=400 if errors else 200)


@access(in_scope("code", "pcn", roles=VIEW_ROLES))
@require_http_methods(["GET", "POST"])
def plan(request, code, plan_id):
    code = code.upper()
    p = get_object_or_404(RotaPlan, pk=plan_id, pcn__code=code)
    violations, errors = [], []
    if request.method == "POST":
        if request.user.role not in EDIT_ROLES:
            return render_error(request, 403, "Only the PCN's lead can change a rota.")
        violations, errors = plan_page.edit(request, p)
        if not violations and not errors:
            messages.success(request, "The rota was changed and still meets every rule.")
            return redirect("rota:plan", code=code, plan_id=p.pk)
        p.refresh_from_db()
    context = plan_page.plan_page(p, code, violations, errors, request.user.role in EDIT_ROLES)
    status = 400 if (violations or errors) else 200
    return render(request, "rota/plan.jinja", context, status=status)


@access(in_scope("code", "pcn", roles=EDIT_ROLES))
@require_POST
def publish(request, code, plan_id):
    p = get_object_or_404(RotaPlan, pk=plan_id, pcn__code=code.upper())
    try:
        planning.publish(p)
    except planning.PlanError as e:
        return render_error(request, 400, str(e))
    audit.record(request, "rota published", object_type="rota_plan", object_id=str(p.pk))
    messages.success(request, "The rota is published: staff can now see their sessions.")
    return redirect("rota:plan", code=code.upper(), plan_id=p.pk)


@access(in_scope("code", "pcn", roles=VIEW_ROLES))
def export(request, code, plan_id, fmt):
    p = get_object_or_404(RotaPlan, pk=plan_id, pcn__code=code.upper())
    if not plan_page.ready(p):
        return render_error(request, 404, "This rota has no sessions to export yet.")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rota-{p.start}.csv"'
        w = csv.writer(response)
        w.writerow(plan_page.CSV_COLUMNS)
        w.writerows(presenters.csv_rows(p))
        return response
    if fmt == "ics":
        response = HttpResponse(
            presenters.ical(p, request.GET.get("staff")),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="rota-{p.start}.ics"'
        return response
    return render_error(request, 404, f"There is no '{fmt}' export.")


@access(SIGNED_IN)
def my_rota_ics(request):
    calendar = presenters.own_ical(request.user)
    if calendar is None:
        return render_error(request, 404, "You have no published rota.")
    response = HttpResponse(
        calendar,
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-rota.ics"'
    return response
