"""Page presenters for integrated neighbourhood teams: the team page (members, meetings, the
caseload's counts, actions) and the caseload (patient-level: a purpose asked first, every view
audited, shown only to roles that may see patients and to the team's own linked members).

Who sees what (decided here, after ``access.py`` has admitted the user to the neighbourhood's
organisation):

- administrators and PCN leads: everything, patients included;
- ICB commissioners: the team and its counts, never patients;
- clinicians (partner and practice staff, scoped to a PCN that serves the neighbourhood):
  only a team one of whose members is linked to their account; they see its caseload and may
  record actions; any other team is refused.
"""

from __future__ import annotations

from datetime import date

from openpcn.core.roles import Role
from openpcn.data.accounts import audit
from openpcn.data.neighbourhoods import teams as store
from openpcn.neighbourhoods.teams import (
    ACTION_STATUSES,
    ADDED_AT_MEETING,
    CASELOAD_PURPOSES,
    CASELOAD_SOURCES,
)
from openpcn.web.neighbourhoods.forms import ActionForm, MeetingForm, MemberForm, TeamForm
from openpcn.web.platform.errors import PageError

MANAGERS = frozenset({Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD})
SEE_PATIENTS = frozenset({Role.ADMIN, Role.PCN_LEAD})


class Viewer:
    def __init__(self, user, team):
        self.role = Role(user.role)
        self.member = store.member_of(user, team)
        self.manages = self.role in MANAGERS
        if not self.manages and self.member is None:
            raise PageError(
                403,
                f"Only {team.name}'s own members see this team: your account is not linked "
                "to one of its members.",
            )
        self.sees_patients = self.role in SEE_PATIENTS or self.member is not None
        self.records_actions = self.role in SEE_PATIENTS or self.member is not None


def team_of(nb, slug: str):
    team = store.get_team(nb, slug)
    if team is None:
        raise PageError(404, f"There is no team '{slug}' in {nb.name}.")
    return team


def create_team(request, nb):
    """(problems, team or None)."""
    form = TeamForm(request.POST)
    if not form.is_valid():
        return [e for errs in form.errors.values() for e in errs], None
    try:
        team = store.create_team(nb, form.cleaned_data["name"], by=request.user.get_username())
    except store.TeamError as e:
        return e.problems, None
    _audit(request, team, "team created")
    return [], team


def _label(source: str) -> str:
    if source == ADDED_AT_MEETING:
        return "Added at a meeting"
    s = CASELOAD_SOURCES.get(source)
    return s.label if s else source


def team_page(request, nb, team, via: str, forms=None, problems=()) -> dict:
    viewer = Viewer(request.user, team)
    on = date.today()
    members = list(team.members.select_related("employer", "user"))
    forms = forms or {}
    summary = store.summary(team, on)
    actions = list(team.actions.select_related("owner", "organisation", "patient"))
    return {
        "page_title": team.name,
        "nb": nb,
        "team": team,
        "via": via,
        "viewer": viewer,
        "members": members,
        "employers": store.employers(nb, on),
        "meetings": summary["meetings"],
        "caseload": summary["caseload"],
        "by_source": [(_label(k), n) for k, n in summary["caseload"]["by_source"].items()],
        "actions": actions,
        "sources": CASELOAD_SOURCES,
        "statuses": ACTION_STATUSES,
        "member_form": forms.get("member") or MemberForm(),
        "meeting_form": forms.get("meeting") or MeetingForm(members=members),
        "action_form": forms.get("action") or ActionForm(members=members),
        "meeting_rows": list(team.meetings.all()),
        "problems": list(problems),
    }


def _form_problems(form) -> list[str]:
    return [e for errs in form.errors.values() for e in errs]


def post(request, nb, team):
    """Handle the team page's forms. (forms, problems, done message or '')."""
    viewer = Viewer(request.user, team)
    which = request.POST.get("form", "")
    by = request.user.get_username()
    members = list(team.members.all())
    if which in ("action", "status", "remove"):
        if not viewer.records_actions:
            raise PageError(
                403, "An ICB commissioner sees the team's actions and caseload counts only."
            )
        if which == "status":
            return _post_status(request, team)
        if which == "remove":
            return _post_remove(request, team)
        return _post_action(request, team, members)
    if not viewer.manages:
        raise PageError(403, "Only the PCN lead or ICB defines the team's members and meetings.")
    if which == "member":
        form = MemberForm(request.POST)
        if not form.is_valid():
            return {"member": form}, _form_problems(form), ""
        d = form.cleaned_data
        try:
            m = store.add_member(
                team,
                d["name"],
                d["role"],
                d["employer"],
                date.today(),
                by=by,
                username=d["username"],
            )
        except store.TeamError as e:
            return {"member": form}, e.problems, ""
        _audit(request, team, "team member added", member=m.name, employer=m.employer.code)
        return {}, [], f"{m.name} ({m.role}, {m.employer.name}) joined {team.name}."
    if which == "meeting":
        form = MeetingForm(request.POST, members=members)
        if not form.is_valid():
            return {"meeting": form}, _form_problems(form), ""
        d = form.cleaned_data
        try:
            meeting, added = store.hold_meeting(
                team, d["date"], d["agenda"], d["attendees"], by=by, source=d["source"]
            )
        except store.TeamError as e:
            return {"meeting": form}, e.problems, ""
        _audit(
            request,
            team,
            "team meeting recorded",
            meeting=meeting.id,
            added=added,
            source=d["source"],
        )
        done = f"Meeting of {meeting.date} recorded; {added} patients joined the caseload."
        missing = store.without_dataset(nb, meeting.date) if d["source"] else []
        if missing:
            done += (
                f" No population dataset is loaded for {', '.join(missing)}, so none of its "
                "patients could be drawn."
            )
        return {}, [], done
    raise PageError(400, "Unknown form.")


def _post_status(request, team):
    action = team.actions.filter(id=_int(request.POST.get("action"))).first()
    if action is None:
        return {}, ["choose an action of this team"], ""
    try:
        store.set_status(action, request.POST.get("status", ""))
    except store.TeamError as e:
        return {}, e.problems, ""
    _audit(request, team, "team action status", action_id=action.id, status=action.status)
    return {}, [], f"'{action.text}' is now {action.status}."


def _post_remove(request, team):
    if request.POST.get("purpose", "") not in CASELOAD_PURPOSES:
        return {}, ["take a patient off the caseload from the caseload page"], ""
    entry = store.current_caseload(team).filter(id=_int(request.POST.get("entry"))).first()
    if entry is None:
        return {}, ["that patient is not on the team's caseload"], ""
    store.remove_from_caseload(entry, date.today())
    _audit(
        request,
        team,
        "team caseload patient removed",
        patient=entry.patient_id,
        practice=entry.practice_code,
        purpose=CASELOAD_PURPOSES.get(request.POST.get("purpose", ""), ""),
    )
    return {}, [], f"Patient {entry.patient_id} is off the caseload from today."


def _audit(request, team, action: str, /, **detail) -> None:
    """One entry in the audit log about ``team``."""
    audit.record(request, action, object_type="team", object_id=str(team.id), **detail)


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def _post_action(request, team, members):
    entries = list(store.current_caseload(team))
    form = ActionForm(request.POST, members=members, entries=entries, meetings=team.meetings.all())
    if not form.is_valid():
        return {"action": form}, _form_problems(form), ""
    d = form.cleaned_data
    purpose = request.POST.get("purpose", "")
    if d["patient"] is not None and purpose not in CASELOAD_PURPOSES:
        return (
            {"action": form},
            ["record an action for a patient from the caseload, after saying why you need it"],
            "",
        )
    try:
        action = store.add_action(
            team,
            d["text"],
            d["owner"],
            d["due"],
            by=request.user.get_username(),
            topic=d["topic"],
            patient=d["patient"],
            status=d["status"] or "open",
            organisation=d["organisation"],
            meeting=team.meetings.filter(id=d["meeting"]).first() if d["meeting"] else None,
        )
    except store.TeamError as e:
        return {"action": form}, e.problems, ""
    _audit(
        request,
        team,
        "team action recorded",
        action_id=action.id,
        patient=action.patient.patient_id if action.patient else None,
        purpose=CASELOAD_PURPOSES.get(purpose, ""),
    )
    return {}, [], f"Action recorded for {action.owner.name}, due {action.due}."


def caseload_response(request, nb, team, via):
    """(template, context, status): the purpose question, or the audited list."""
    viewer = Viewer(request.user, team)
    if not viewer.sees_patients:
        raise PageError(
            403,
            "An ICB commissioner sees the caseload's counts on the team page, not its patients.",
        )
    purpose = request.GET.get("purpose", "")
    if purpose not in CASELOAD_PURPOSES:
        status = 400 if "purpose" in request.GET else 200
        return (
            "neighbourhoods/caseload_purpose.jinja",
            {
                "page_title": "Why do you need this caseload?",
                "nb": nb,
                "team": team,
                "via": via,
                "purposes": CASELOAD_PURPOSES,
                "error": status == 400,
            },
            status,
        )
    rows = caseload_rows(team)
    audit_caseload(request, team, purpose, len(rows))
    members = list(team.members.all())
    return (
        "neighbourhoods/caseload.jinja",
        {
            "page_title": f"{team.name}: caseload",
            "nb": nb,
            "team": team,
            "via": via,
            "rows": rows,
            "purpose": CASELOAD_PURPOSES[purpose],
            "purpose_key": purpose,
            "viewer": viewer,
            "action_form": ActionForm(members=members, entries=[r["entry"] for r in rows]),
            "members": members,
            "statuses": ACTION_STATUSES,
            "meeting_rows": list(team.meetings.all()),
        },
        200,
    )


def caseload_rows(team) -> list[dict]:
    entries = list(store.current_caseload(team).prefetch_related("actions__owner"))
    details = store.patient_details(entries, date.today())
    return [
        {
            "entry": e,
            "patient_id": e.patient_id,
            "practice": e.practice_code,
            "source": _label(e.source),
            "added": e.added,
            "details": details.get((e.patient_id, e.practice_code), {}),
            "actions": list(e.actions.all()),
        }
        for e in entries
    ]


def audit_caseload(request, team, purpose: str, patients: int, user=None) -> None:
    _audit(
        request, team, "team caseload viewed", user=user, purpose=CASELOAD_PURPOSES[purpose],
        team=team.name, patients=patients,
    )  # fmt: skip


def my_teams(user) -> list[dict]:
    out = []
    for t in store.teams_of(user):
        nb = t.neighbourhood
        via = nb.owner.code
        if user.scope_code and nb.owner.code != user.scope_code:
            pcn = nb.pcns.filter(pcn__code=user.scope_code).first()
            via = pcn.pcn.code if pcn else via
        out.append({"team": t, "nb": nb, "via": via})
    return out
