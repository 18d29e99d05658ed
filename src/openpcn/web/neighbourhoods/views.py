"""Neighbourhood pages: the list in the user's scope, create, detail with partners. Each
view reads the request and renders; ``pages`` does the work. Access: administrators, ICB
commissioners for their ICB, PCN leads for their PCN (the URL's code is the owner, or a PCN
that serves the neighbourhood)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openpcn.core.roles import Role
from openpcn.data.registry.models import Organisation
from openpcn.web.neighbourhoods import pages, team_pages
from openpcn.web.platform.access import Rule, access, in_scope
from openpcn.web.platform.errors import shows_page_errors

ROLES = frozenset({Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD})
LIST_RULE = Rule("administrators, ICB commissioners and PCN leads", ROLES)
SCOPED = in_scope("code", "icb", "pcn", roles=ROLES, name="neighbourhood of an ICB or PCN in scope")


def _on(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("as_at", ""))
    except ValueError:
        return date.today()


@access(LIST_RULE)
def neighbourhoods(request):
    return render(request, "neighbourhoods/list.jinja", pages.list_page(request.user, _on(request)))


@access(SCOPED)
@shows_page_errors
def create(request, code):
    owner = Organisation.objects.get(code=code.upper())
    on = date.today()
    problems = []
    if request.method == "POST":
        form, problems, nb = pages.create(request, owner, on)
        if nb is not None:
            messages.success(
                request, f"{nb.name} created with its LSOAs from {form.cleaned_data['start']}."
            )
            return redirect("neighbourhoods:detail", code=owner.code, slug=nb.slug)
        status = 400
    else:
        form, status = pages.create_form(owner, on), 200
    context = {
        "page_title": "New neighbourhood",
        "owner": owner,
        "form": form,
        "problems": problems,
    }
    return render(request, "neighbourhoods/create.jinja", context, status=status)


@access(SCOPED)
@shows_page_errors
def detail(request, code, slug):
    nb = pages.neighbourhood(code, slug)
    form, problems = None, []
    if request.method == "POST":
        form, problems, done = pages.add_partner(request, nb)
        if done:
            messages.success(request, done)
            return redirect("neighbourhoods:detail", code=code.upper(), slug=nb.slug)
    context = pages.detail_page(nb, code.upper(), _on(request), form, problems)
    status = 400 if form is not None else 200
    return render(request, "neighbourhoods/detail.jinja", context, status=status)


@access(SCOPED)
@shows_page_errors
def deciles_csv(request, code, slug):
    nb = pages.neighbourhood(code, slug)
    from openpcn.data.neighbourhoods.queries import summary

    response = HttpResponse(pages.deciles_csv(summary(nb, _on(request))), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{nb.slug}-imd-deciles.csv"'
    return response


# Integrated neighbourhood teams. The access rule admits the neighbourhood's organisation (as
# above) and clinicians scoped to it; team_pages.Viewer then lets a clinician into a team only
# when their account is linked to one of its members.
TEAM_ROLES = ROLES | {Role.CLINICIAN}
TEAM_SCOPED = in_scope(
    "code", "icb", "pcn", roles=TEAM_ROLES, name="team of a neighbourhood in scope"
)


@access(Rule("clinicians linked to a team member, and neighbourhood leads", TEAM_ROLES))
def my_teams(request):
    context = {"page_title": "Your neighbourhood teams", "rows": team_pages.my_teams(request.user)}
    return render(request, "neighbourhoods/my_teams.jinja", context)


@access(SCOPED)
@shows_page_errors
def team_create(request, code, slug):
    nb = pages.neighbourhood(code, slug)
    if request.method != "POST":
        return redirect("neighbourhoods:detail", code=code.upper(), slug=nb.slug)
    problems, team = team_pages.create_team(request, nb)
    if team is None:
        context = pages.detail_page(nb, code.upper(), _on(request), None, problems)
        return render(request, "neighbourhoods/detail.jinja", context, status=400)
    messages.success(request, f"{team.name} created: add its members.")
    return redirect("neighbourhoods:team", code=code.upper(), slug=nb.slug, team=team.slug)


@access(TEAM_SCOPED)
@shows_page_errors
def team(request, code, slug, team):
    nb = pages.neighbourhood(code, slug)
    t = team_pages.team_of(nb, team)
    forms, problems, status = None, [], 200
    if request.method == "POST":
        forms, problems, done = team_pages.post(request, nb, t)
        if done:
            messages.success(request, done)
            back = request.POST.get("back", "")
            if back.startswith("/neighbourhoods/"):
                return redirect(back)
            return redirect("neighbourhoods:team", code=code.upper(), slug=nb.slug, team=t.slug)
        status = 400
    context = team_pages.team_page(request, nb, t, code.upper(), forms, problems)
    return render(request, "neighbourhoods/team.jinja", context, status=status)


@access(TEAM_SCOPED)
@shows_page_errors
def caseload(request, code, slug, team):
    nb = pages.neighbourhood(code, slug)
    t = team_pages.team_of(nb, team)
    template, context, status = team_pages.caseload_response(request, nb, t, code.upper())
    return render(request, template, context, status=status)


# The ICB's neighbourhoods (issue 18 part 5): aggregates for the ICB's commissioners and
# administrators; a PCN lead or another ICB's commissioner is refused (403).
ICB_ROLES = frozenset({Role.ADMIN, Role.ICB_COMMISSIONER})
ICB_SCOPED = in_scope("code", "icb", roles=ICB_ROLES, name="an ICB in scope: its neighbourhoods")


@access(ICB_SCOPED)
@shows_page_errors
def icb_neighbourhoods(request, code):
    from openpcn.web.neighbourhoods import icb_pages

    return render(request, "neighbourhoods/icb.jinja", icb_pages.page(code, _on(request)))


@access(ICB_SCOPED)
@shows_page_errors
def icb_neighbourhoods_csv(request, code):
    from openpcn.web.neighbourhoods import icb_pages

    on = _on(request)
    response = HttpResponse(icb_pages.csv_text(code, on), content_type="text/csv")
    name = f"{code.upper()}-neighbourhoods-{on.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Where people live against where they are registered (issue 18): the neighbourhood's
# residents as a CSV, and a PCN's patients by where they live (page and CSV).
PCN_SCOPED = in_scope(
    "code", "icb", "pcn", roles=ROLES, name="a PCN in scope: where its patients live"
)


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@access(SCOPED)
@shows_page_errors
def residence_csv(request, code, slug):
    from openpcn.data.neighbourhoods import residence
    from openpcn.web.neighbourhoods import residence_pages

    nb = pages.neighbourhood(code, slug)
    text = residence_pages.neighbourhood_csv(residence.for_neighbourhood(nb, _on(request)))
    return _csv(text, f"{nb.slug}-residence.csv")


@access(PCN_SCOPED)
@shows_page_errors
def pcn_residence(request, code):
    from openpcn.web.neighbourhoods import residence_pages

    context = residence_pages.pcn_page(code, _on(request))
    return render(request, "neighbourhoods/pcn_residence.jinja", context)


@access(PCN_SCOPED)
@shows_page_errors
def pcn_residence_csv(request, code):
    from openpcn.web.neighbourhoods import residence_pages

    on = _on(request)
    return _csv(residence_pages.pcn_csv(code, on), f"{code.upper()}-residence-{on}.csv")
