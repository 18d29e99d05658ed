"""Signed-in workspaces: dashboard, ICB, network (PCN), practice and caseload pages."""

from __future__ import annotations

from datetime import date

from django.shortcuts import redirect, render
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.registry.models import IngestedFile
from openpcn.web.platform.access import PUBLIC, SIGNED_IN, access, in_scope
from openpcn.web.platform.errors import render_error
from openpcn.web.registry import presenters
from openpcn.web.site import workspace


def _on(request) -> date | None:
    """The as-at date of ``?on=YYYY-MM-DD`` (today without one); None when it is not a date."""
    text = request.GET.get("on", "").strip()
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@access(PUBLIC)
def home(request):
    return render(request, "web/home.jinja", {"page_title": "Home"})


@access(PUBLIC)
def about(request):
    return render(
        request, "web/about.jinja", {"page_title": "About", "ingested": IngestedFile.objects.all()}
    )


@access(SIGNED_IN)
def dashboard(request):
    """Send each role to its own workspace."""
    user = request.user
    role = Role(user.role)
    if role is Role.ICB_COMMISSIONER:
        return redirect("web:icb", code=user.scope_code)
    if role is Role.PCN_LEAD:
        return redirect("web:network", code=user.scope_code)
    if role is Role.PRACTICE_MANAGER:
        return redirect("web:practice", code=user.scope_code)
    if role is Role.CLINICIAN:
        return redirect("web:caseload")
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "web/dashboard.jinja",
        {
            "page_title": "Dashboard",
            "summary": presenters.national_summary(date.today()),
            "q": q,
            "found": presenters.find_pcns(q, date.today()) if q else [],
            "icbs": presenters.icbs(date.today()),
        },
    )


def _crumbs(*pairs):
    return [{"text": t, "href": h} for t, h in pairs]


@access(in_scope("code", "icb", roles={Role.ADMIN, Role.ICB_COMMISSIONER}))
def icb(request, code):
    from openpcn.web.site.icb_comparison import compare

    view = presenters.icb_overview(code.upper(), date.today())
    rows, sources = compare(view["pcns"])
    return render(
        request,
        "web/icb.jinja",
        {
            "page_title": view["org"].name,
            "view": view,
            "rows": rows,
            "sources": sources,
            "breadcrumbs": _crumbs(("Home", "/")),
        },
    )


@access(
    in_scope(
        "code", "pcn", roles={Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD, Role.CLINICIAN}
    )
)
def network(request, code):
    on = _on(request)
    if on is None:
        return render_error(request, 400, "Give the date as YYYY-MM-DD, like 2026-07-01.")
    view = presenters.pcn_overview(code.upper(), on)
    crumbs = [("Home", "/")]
    if view.get("icb"):
        crumbs.append((view["icb"].name, reverse("web:icb", kwargs={"code": view["icb"].code})))
    return render(
        request,
        "web/network.jinja",
        {
            "page_title": view["org"].name,
            "view": view,
            "groups": workspace.pcn_links(request.user, view["org"].code),
            "breadcrumbs": _crumbs(*crumbs),
        },
    )


@access(in_scope("code", "practice"))
def practice(request, code):
    on = _on(request)
    if on is None:
        return render_error(request, 400, "Give the date as YYYY-MM-DD, like 2026-07-01.")
    view = presenters.practice_overview(code.upper(), on)
    crumbs = [("Home", "/")]
    if view.get("pcn"):
        crumbs.append((view["pcn"].name, reverse("web:network", kwargs={"code": view["pcn"].code})))
    return render(
        request,
        "web/practice.jinja",
        {
            "page_title": view["org"].name,
            "view": view,
            "work": workspace.practice_page(request.user, view["org"].code, view["pcn"], on),
            "breadcrumbs": _crumbs(*crumbs),
        },
    )


@access(SIGNED_IN)
def caseload(request):
    user = request.user
    network = None
    if user.scope_code:
        from openpcn.data.registry.queries import get_org

        network = get_org(user.scope_code)
    from openpcn.web.rota.presenters import own_sessions

    sessions = own_sessions(user)
    return render(
        request,
        "web/caseload.jinja",
        {
            "page_title": "My caseload",
            "network": network,
            "sessions": sessions,
            "links": workspace.caseload_links(user, network),
        },
    )
