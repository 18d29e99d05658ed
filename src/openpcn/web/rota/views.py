"""Rota pages for a PCN (scoped): plan, solve in the background, view, edit, publish, export."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openpcn.core.roles import Role
from openpcn.data.accounts import audit
from openpcn.data.registry.models import Organisation
from openpcn.data.rota import planning
from openpcn.data.rota.models import PlanStatus, RotaPlan
from openpcn.web.platform.access import SIGNED_IN, access, in_scope
from openpcn.web.platform.errors import render_error
from openpcn.web.rota import presenters

VIEW_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD, Role.CLINICIAN}
EDIT_ROLES = {Role.ADMIN, Role.PCN_LEAD}


def _crumbs(code, name):
    return [
        {"text": "Home", "href": "/"},
        {"text": name, "href": reverse("web:network", kwargs={"code": code})},
    ]


@access(in_scope("code", "pcn", roles=VIEW_ROLES))
@require_http_methods(["GET", "POST"])
def plans(request, code):
    code = code.upper()
    org = Organisation.objects.get(code=code)
    errors = []
    if request.method == "POST":
        if request.user.role not in EDIT_ROLES:
            return render_error(request, 403, "Only the PCN's lead can plan rotas.")
        try:
            start = date.fromisoformat(request.POST.get("start", ""))
        except ValueError:
            start = None
            errors.append({"text": "Enter the first day as YYYY-MM-DD", "href": "#start"})
        if start and start.weekday() != 0:
            errors.append({"text": "A rota starts on a Monday", "href": "#start"})
        weeks = request.POST.get("weeks", "")
        if not weeks.isdigit() or not 1 <= int(weeks) <= 8:
            errors.append({"text": "Enter between 1 and 8 weeks", "href": "#weeks"})
        limit = request.POST.get("time_limit", "30")
        if not limit.isdigit() or not 5 <= int(limit) <= 300:
            errors.append(
                {"text": "Enter a time limit between 5 and 300 seconds", "href": "#time_limit"}
            )
        if not errors:
            plan = RotaPlan.objects.create(
                pcn=org,
                start=start,
                weeks=int(weeks),
                time_limit=int(limit),
                enhanced_access=request.POST.get("enhanced_access") == "on",
                created_by=request.user.username,
            )
            audit.record(request, "rota planned", object_type="rota_plan", object_id=str(plan.pk))
            planning.start_solve(plan)
            return redirect("rota:plan", code=code, plan_id=plan.pk)
    monday = planning.next_monday(date.today())
    return render(
        request,
        "rota/plans.jinja",
        {
            "page_title": f"Rotas: {org.name}",
            "org": org,
            "plans": RotaPlan.objects.filter(pcn=org)[:20],
            "errors": errors,
            "can_edit": request.user.role in EDIT_ROLES,
            "monday": monday,
            "form": request.POST,
            "breadcrumbs": _crumbs(code, org.name),
        },
        status=400 if errors else 200,
    )


@access(in_scope("code", "pcn", roles=VIEW_ROLES))
@require_http_methods(["GET", "POST"])
def plan(request, code, plan_id):
    code = code.upper()
    p = get_object_or_404(RotaPlan, pk=plan_id, pcn__code=code)
    violations, errors = [], []
    if request.method == "POST":
        if request.user.role not in EDIT_ROLES:
            return render_error(request, 403, "Only the PCN's lead can change a rota.")
        try:
            violations = planning.edit(
                p,
                request.POST.get("change", "add"),
                request.POST.get("staff", ""),
                date.fromisoformat(request.POST.get("date", "")),
                request.POST.get("session", ""),
                request.POST.get("site", ""),
                int(request.POST.get("version", "-1")),
            )
        except (ValueError, planning.PlanError) as e:
            errors.append(
                str(e)
                if isinstance(e, planning.PlanError)
                else "Choose a person, a date (YYYY-MM-DD), a session and a site."
            )
        if not violations and not errors:
            audit.record(
                request,
                "rota edited",
                object_type="rota_plan",
                object_id=str(p.pk),
                change=request.POST.get("change", "add"),
            )
            messages.success(request, "The rota was changed and still meets every rule.")
            return redirect("rota:plan", code=code, plan_id=p.pk)
        p.refresh_from_db()
    ready = p.status in (PlanStatus.SOLVED, PlanStatus.PUBLISHED)
    return render(
        request,
        "rota/plan.jinja",
        {
            "page_title": f"Rota from {p.start}",
            "plan": p,
            "code": code,
            "grid": presenters.grid(p) if ready else None,
            "ea": presenters.enhanced_access(p) if ready else [],
            "violations": violations,
            "errors": errors,
            "can_edit": request.user.role in EDIT_ROLES,
            "refresh": p.status in (PlanStatus.QUEUED, PlanStatus.SOLVING),
            "breadcrumbs": _crumbs(code, p.pcn.name),
        },
        status=400 if (violations or errors) else 200,
    )


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
    if p.status not in (PlanStatus.SOLVED, PlanStatus.PUBLISHED):
        return render_error(request, 404, "This rota has no sessions to export yet.")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rota-{p.start}.csv"'
        w = csv.writer(response)
        w.writerow(["date", "session", "site", "room", "staff", "role", "care_home"])
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
