"""Neighbourhoods API: the neighbourhoods a user may see, and one neighbourhood's LSOAs,
local authorities, LSOAs by IMD decile, PCNs and partners (the CLI's `show --format json`)."""

from __future__ import annotations

from datetime import date

from ninja import Router
from ninja.errors import HttpError

from openpcn.core.roles import Role
from openpcn.data.neighbourhoods import queries, teams
from openpcn.web.neighbourhoods.views import ICB_SCOPED, LIST_RULE, SCOPED, TEAM_SCOPED
from openpcn.web.platform.api import api_access

router = Router(tags=["neighbourhoods"])


def _day(as_at: str | None) -> date:
    if not as_at:
        return date.today()
    try:
        return date.fromisoformat(as_at)
    except ValueError:
        raise HttpError(400, f"as_at '{as_at}' is not a date (YYYY-MM-DD)") from None


@router.get("/", summary="Neighbourhoods you may see, with the code to reach each")
@api_access(LIST_RULE)
def neighbourhoods(request, as_at: str | None = None):
    user = request.auth
    seen = queries.visible(user.scope_code, user.role == Role.ADMIN, _day(as_at))
    return [
        {
            "name": s.neighbourhood.name,
            "slug": s.neighbourhood.slug,
            "owner": s.neighbourhood.owner.code,
            "via": s.via,
        }
        for s in seen
    ]


@router.get(
    "/icb/{code}",
    summary="An ICB's neighbourhoods: footprint, registered population, PCNs, partners, teams, "
    "caseload counts (1-4 as 'fewer than 5'), open actions; aggregates only",
)
@api_access(ICB_SCOPED)
def icb_neighbourhoods(request, code: str, as_at: str | None = None):
    from openpcn.data.neighbourhoods.icb import icb_neighbourhoods as of_icb
    from openpcn.data.registry.models import Organisation, OrgKind

    if not Organisation.objects.filter(code=code.upper(), kind=OrgKind.ICB).exists():
        raise HttpError(404, f"There is no ICB '{code.upper()}'.")
    return of_icb(code, _day(as_at))


@router.get("/{code}/{slug}", summary="A neighbourhood's LSOAs, local authorities, IMD deciles")
@api_access(SCOPED)
def neighbourhood(request, code: str, slug: str, as_at: str | None = None):
    nb = queries.get(code, slug)
    if nb is None:
        raise HttpError(404, f"There is no neighbourhood '{slug}' for {code.upper()}.")
    from openpcn.data.neighbourhoods import residence

    return residence.summary(nb, _day(as_at))


def _team(request, code: str, slug: str, team: str):
    """The team and who is asking (team_pages.Viewer decides members-only and patients)."""
    from openpcn.web.neighbourhoods import team_pages
    from openpcn.web.platform.errors import PageError

    nb = queries.get(code, slug)
    if nb is None:
        raise HttpError(404, f"There is no neighbourhood '{slug}' for {code.upper()}.")
    t = teams.get_team(nb, team)
    if t is None:
        raise HttpError(404, f"There is no team '{team}' in {nb.name}.")
    try:
        viewer = team_pages.Viewer(request.auth, t)
    except PageError as e:
        raise HttpError(e.status, e.message) from None
    return t, viewer


@router.get(
    "/{code}/{slug}/teams/{team}",
    summary="A team: members, meetings, caseload counts by cohort and practice, actions by status",
)
@api_access(TEAM_SCOPED)
def team(request, code: str, slug: str, team: str):
    t, _viewer = _team(request, code, slug, team)
    return teams.summary(t, date.today())


@router.get("/{code}/{slug}/teams/{team}/meetings", summary="A team's meetings")
@api_access(TEAM_SCOPED)
def team_meetings(request, code: str, slug: str, team: str):
    t, _viewer = _team(request, code, slug, team)
    return teams.summary(t, date.today())["meetings"]


@router.get(
    "/{code}/{slug}/teams/{team}/actions",
    summary="A team's actions (the patient's reference only for roles that may see patients)",
)
@api_access(TEAM_SCOPED)
def team_actions(request, code: str, slug: str, team: str):
    t, viewer = _team(request, code, slug, team)
    out = []
    for a in t.actions.select_related("owner", "organisation", "patient"):
        row = {
            "id": a.id,
            "text": a.text,
            "topic": a.topic,
            "about_a_patient": a.patient_id is not None,
            "owner": a.owner.name,
            "organisation": a.organisation.code,
            "due": a.due.isoformat(),
            "status": a.status,
        }
        if viewer.sees_patients and a.patient is not None:
            row["patient_id"] = a.patient.patient_id
            row["practice"] = a.patient.practice_code
        out.append(row)
    return out


@router.get(
    "/{code}/{slug}/teams/{team}/caseload",
    summary="A team's caseload patients (pseudonymous references): needs ?purpose=, audited",
)
@api_access(TEAM_SCOPED)
def team_caseload(request, code: str, slug: str, team: str, purpose: str = ""):
    from openpcn.neighbourhoods.teams import CASELOAD_PURPOSES
    from openpcn.web.neighbourhoods import team_pages

    t, viewer = _team(request, code, slug, team)
    if not viewer.sees_patients:
        raise HttpError(403, "Your role sees the caseload's counts, not its patients.")
    if purpose not in CASELOAD_PURPOSES:
        raise HttpError(
            400, f"Say why you need the caseload: purpose one of {', '.join(CASELOAD_PURPOSES)}"
        )
    entries = list(teams.current_caseload(t))
    team_pages.audit_caseload(request, t, purpose, len(entries), user=request.auth)
    return [
        {
            "patient_id": e.patient_id,
            "practice": e.practice_code,
            "source": e.source,
            "added": e.added.isoformat(),
        }
        for e in entries
    ]
