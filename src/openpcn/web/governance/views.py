"""A PCN's governance pages under /network/<PCN>/governance/: the overview, the network
agreement, decisions, meetings and actions, the clinical director's time and the maturity
self-assessment, each with a CSV export. Everyone in the PCN's scope reads; only the PCN's
lead (or an administrator) saves, and a bad form shows every problem and saves nothing."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.governance import store
from openpcn.data.registry.models import Organisation
from openpcn.web.governance import exports, forms, presenters
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import render_error

VIEW_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD, Role.CLINICIAN}
EDIT_ROLES = {Role.ADMIN, Role.PCN_LEAD}
RULE = in_scope("code", "pcn", roles=VIEW_ROLES, name="PCN governance")

PAGES = {
    "overview": ("governance/overview.jinja", "Governance"),
    "agreement": ("governance/agreement.jinja", "Network agreement"),
    "decisions": ("governance/decisions.jinja", "Decisions"),
    "meetings": ("governance/meetings.jinja", "Meetings and actions"),
    "cd-time": ("governance/cd_time.jinja", "Clinical director's time"),
    "maturity": ("governance/maturity.jinja", "Maturity self-assessment"),
}


def _on(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return date.today()


def _page(request, code: str, page: str):
    pcn = Organisation.objects.get(code=code.upper())
    editable = request.user.role in EDIT_ROLES
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if not editable:
            return render_error(
                request, 403, "Only the PCN's lead or an administrator can change its governance."
            )
        try:
            messages.success(request, forms.save(request.POST.get("form", ""), pcn, request))
            return redirect(request.get_full_path())
        except store.GovernanceError as exc:
            problems, status = [p[:1].upper() + p[1:] for p in exc.problems], 400
    template, title = PAGES[page]
    context = presenters.context(page, pcn, _on(request), editable)
    context |= {
        "page_title": f"{title}: {pcn.name}",
        "title": title,
        "pcn": pcn,
        "page": page,
        "pages": PAGES,
        "editable": editable,
        "problems": problems,
        "form": request.POST if problems else {},
        "breadcrumbs": [
            {"text": "Home", "href": "/"},
            {"text": pcn.name, "href": reverse("web:network", kwargs={"code": pcn.code})},
        ]
        + (
            [{"text": "Governance", "href": reverse("governance:overview", kwargs={"code": code})}]
            if page != "overview"
            else []
        ),
    }
    return render(request, template, context, status=status)


def _view(page: str):
    @access(RULE)
    def view(request, code):
        return _page(request, code, page)

    view.__name__ = view.__qualname__ = page.replace("-", "_")
    return view


overview, agreement, decisions = _view("overview"), _view("agreement"), _view("decisions")
meetings, cd_time, maturity = _view("meetings"), _view("cd-time"), _view("maturity")


@access(RULE)
def export(request, code, what):
    pcn = Organisation.objects.get(code=code.upper())
    if what not in exports.LISTS:
        return render_error(
            request, 404, f"There is no governance list '{what}': {', '.join(exports.LISTS)}."
        )
    response = HttpResponse(exports.csv_text(what, pcn, _on(request)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{pcn.code}-governance-{what}.csv"'
    return response
