"""What-if scenarios of an ICB: list, show up to four (the ICB's totals and each touched PCN
beside its baseline), create, add a change, adopt or discard, and the Excel workbook. The ICB's
commissioners and administrators only: a PCN's lead cannot open, change or adopt them."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.registry.models import Organisation
from openpcn.data.scenarios import icb_store, store
from openpcn.scenarios.changes import ChangeError
from openpcn.scenarios.export import icb_workbook, save
from openpcn.scenarios.icb import ICB_KINDS
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import render_error
from openpcn.web.scenarios.icb_presenters import ICB_FORMS, choices, icb_fields, pcn_tables
from openpcn.web.scenarios.icb_presenters import totals as totals_rows
from openpcn.web.scenarios.presenters import MAX_COMPARED
from openpcn.web.scenarios.scenarios_page import created, refused

ICB_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RULE = in_scope("code", "icb", roles=ICB_ROLES, name="ICB what-if scenarios")


def _scenario(org, ref: str):
    sc = store.find(org.code, ref)
    if sc.icb_id != org.pk:
        raise store.ScenarioError(f"scenario {ref} is not one of {org.code}'s")
    return sc


def _post(request, org):
    action = request.POST.get("action", "")
    try:
        if action == "create":
            return created(request, org, icb_store.create), []
        sc = _scenario(org, request.POST.get("scenario", ""))
        if action == "add":
            kind = request.POST.get("kind", "")
            names = icb_fields().get(kind, ())
            change = {"kind": kind} | {
                f: request.POST[f"{kind}-{f}"].strip()
                for f in names if request.POST.get(f"{kind}-{f}", "").strip()
            }  # fmt: skip
            v = icb_store.add_change(sc, change, user=request.user, request=request)
            messages.success(request, f"{sc.name!r} saved as version {v.version}.")
        elif action == "discard":
            icb_store.discard(sc, user=request.user, request=request)
            messages.success(request, f"{sc.name!r} discarded.")
        elif action == "adopt":
            done = icb_store.adopt(sc, user=request.user, request=request)
            messages.success(request, f"{sc.name!r} adopted: {', '.join(done) or 'nothing'}.")
        else:
            raise store.ScenarioError(f"unknown action {action!r}")
        return sc.pk, []
    except (store.ScenarioError, ChangeError) as exc:
        return None, refused(action, exc)


@access(RULE)
def icb_scenarios(request, code):
    org = Organisation.objects.get(code=code.upper())
    errors = []
    if request.method == "POST":
        shown, errors = _post(request, org)
        if not errors:
            url = reverse("scenarios:icb-list", kwargs={"code": org.code})
            return redirect(f"{url}?show={shown}" if shown else url)
    listed = list(icb_store.scenarios_of(org.code))
    wanted = [s for s in request.GET.getlist("show") if s.isdigit()][:MAX_COMPARED]
    every = request.GET.get("all") == "1"
    shown = []
    for sc in listed:
        if str(sc.pk) in wanted:
            try:
                result = icb_store.run(sc)
            except (store.ScenarioError, ChangeError) as exc:
                shown.append({"scenario": sc, "problem": str(exc)})
                continue
            shown.append({"scenario": sc, "result": result, "totals": totals_rows(result, every),
                          "pcns": pcn_tables(sc, result, every)})  # fmt: skip
    on = min([sc.as_at for sc in listed if sc.status == "open"] or [date.today()])
    return render(request, "scenarios/icb_scenarios.jinja", {
        "page_title": f"What-if scenarios: {org.name}", "org": org, "listed": listed,
        "versions": {sc.pk: store.latest(sc) for sc in listed}, "shown": shown,
        "errors": errors, "kind_forms": ICB_FORMS, "kinds": list(ICB_KINDS),
        "choices": choices(org.code, on), "max_compared": MAX_COMPARED,
        "breadcrumbs": [{"text": "Home", "href": "/"},
                        {"text": org.name, "href": reverse("web:icb", kwargs={"code": org.code})}],
    })  # fmt: skip


@access(RULE)
def icb_scenario_xlsx(request, code, scenario):
    org = Organisation.objects.get(code=code.upper())
    try:
        sc = _scenario(org, scenario)
    except store.ScenarioError as exc:
        return render_error(request, 404, str(exc))
    try:
        result = icb_store.run(sc)
    except (store.ScenarioError, ChangeError) as exc:
        return render_error(request, 422, str(exc))
    v = store.latest(sc)
    title = (f"{sc.name}: {org.name} ({org.code}) as at {sc.as_at}, version"
             f" {v.version if v else 0}, {sc.status}")  # fmt: skip
    response = HttpResponse(save(icb_workbook(result, title)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="icb-scenario-{sc.pk}.xlsx"'
    return response
