"""What-if scenarios of a PCN: list, compare up to four beside the baseline, create, add a
change, adopt or discard (scoped; changes by the PCN's lead or an administrator). The view
reads the request, checks who may change, and renders; scenarios_page.py does the work."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.registry.models import Organisation
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import PageError, render_error
from openpcn.web.scenarios.scenarios_page import XLSX, act, scenario_workbook, scenarios_page

VIEW_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD}
EDIT_ROLES = {Role.ADMIN, Role.PCN_LEAD}


@access(in_scope("code", "pcn", roles=VIEW_ROLES, name="PCN what-if scenarios"))
def scenarios(request, code):
    org = Organisation.objects.get(code=code.upper())
    editable = request.user.role in EDIT_ROLES
    errors = []
    if request.method == "POST":
        if not editable:
            return render_error(request, 403, "Only the PCN's lead or an administrator can change"
                                " scenarios.")  # fmt: skip
        shown, errors = act(request, org)
        if not errors:
            url = reverse("scenarios:list", kwargs={"code": org.code})
            return redirect(f"{url}?show={shown}" if shown else url)
    context = scenarios_page(org, request.GET, editable, errors)
    return render(request, "scenarios/scenarios.jinja", context)


@access(in_scope("code", "pcn", roles=VIEW_ROLES, name="PCN what-if scenarios"))
def scenario_xlsx(request, code, scenario):
    """One scenario's effects beside the baseline as an Excel workbook."""
    org = Organisation.objects.get(code=code.upper())
    try:
        content, name = scenario_workbook(org, scenario)
    except PageError as exc:
        return render_error(request, exc.status, exc.message)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
