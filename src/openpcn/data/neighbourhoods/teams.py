"""Integrated neighbourhood teams: members, meetings, the caseload and actions (issue 18 part
3). Each write is one transaction: bad input raises :class:`TeamError` naming every problem
(the rules are in :mod:`openpcn.neighbourhoods.teams`) and nothing is saved.

The caseload names patients only by the population dataset's pseudonymous ``patient_id`` and
practice (decision 0006); who they are stays in the dataset files."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
from django.db import transaction
from django.utils.text import slugify

from openpcn.data.accounts.models import User
from openpcn.data.neighbourhoods.models import (
    Action,
    CaseloadEntry,
    Meeting,
    Neighbourhood,
    Team,
    TeamMember,
)
from openpcn.data.population import cohorts as cohorts_db
from openpcn.data.registry.models import Organisation
from openpcn.data.registry.queries import membership_at
from openpcn.neighbourhoods.teams import (
    ADDED_AT_MEETING,
    CASELOAD_SOURCES,
    action_problems,
    meeting_problems,
    member_problems,
)


class TeamError(ValueError):
    """Bad input; ``problems`` lists every one. Nothing was saved."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _active(qs, on: date):
    return qs.filter(start__lte=on).exclude(end__lt=on)


def pcn_codes(nb: Neighbourhood, on: date) -> list[str]:
    return sorted(set(_active(nb.pcns, on).values_list("pcn__code", flat=True)))


def practices(nb: Neighbourhood, on: date) -> list[str]:
    membership = membership_at(on)
    return [p for pcn in pcn_codes(nb, on) for p in membership.members_of(pcn)]


def employers(nb: Neighbourhood, on: date) -> dict[str, str]:
    """Code -> name of every organisation a member may be employed by as at ``on``: the
    neighbourhood's partners, the PCNs that serve it and their member practices."""
    codes = set(_active(nb.partners, on).values_list("organisation__code", flat=True))
    codes |= set(pcn_codes(nb, on)) | set(practices(nb, on))
    return dict(
        Organisation.objects.filter(code__in=codes).order_by("name").values_list("code", "name")
    )


def get_team(nb: Neighbourhood, slug: str) -> Team | None:
    return nb.teams.filter(slug=slug).first()


@transaction.atomic
def create_team(nb: Neighbourhood, name: str, *, by: str) -> Team:
    name = (name or "").strip()
    slug = slugify(name)[:80]
    if not slug:
        raise TeamError(["the team needs a name (with at least one letter or digit)"])
    if nb.teams.filter(slug=slug).exists():
        raise TeamError([f"{nb.name} already has a team called '{name}'"])
    return Team.objects.create(neighbourhood=nb, name=name, slug=slug, created_by=by)


@transaction.atomic
def add_member(
    team: Team, name: str, role: str, employer: str, on: date, *, by: str, username: str = ""
) -> TeamMember:
    allowed = employers(team.neighbourhood, on)
    problems = member_problems(name, role, employer, allowed)
    user = None
    if username.strip():
        user = User.objects.filter(username=username.strip()).first()
        if user is None:
            problems.append(f"there is no account called '{username.strip()}'")
        else:
            problems += _account_problems(team.neighbourhood, user, on)
    if problems:
        raise TeamError(problems)
    return TeamMember.objects.create(
        team=team,
        name=name.strip(),
        role=role.strip(),
        employer=Organisation.objects.get(code=employer.strip().upper()),
        user=user,
        created_by=by,
    )


def _account_problems(nb: Neighbourhood, user, on: date) -> list[str]:
    """A linked account must be able to reach the team: a clinician (or PCN lead) scoped to a
    PCN that serves the neighbourhood."""
    if user.role not in ("clinician", "pcn_lead"):
        return [
            f"the account '{user.username}' is not a clinician or PCN lead: partner and practice "
            "staff in a team sign in as clinicians scoped to a PCN that serves the neighbourhood"
        ]
    if user.scope_code not in pcn_codes(nb, on):
        return [
            f"the account '{user.username}' is scoped to {user.scope_code or 'nothing'}, which "
            f"does not serve {nb.name}: scope it to one of {', '.join(pcn_codes(nb, on))}"
        ]
    return []


def cohort_patients(nb: Neighbourhood, source: str, on: date) -> list[tuple[int, str]]:
    """(patient_id, practice) of everyone in the source cohort at the practices of the PCNs
    that serve the neighbourhood, from each PCN's population dataset."""
    src = CASELOAD_SOURCES.get(source)
    if src is None:
        raise TeamError([f"'{source}' is not a caseload cohort"])
    membership = membership_at(on)
    out, missing = [], []
    for pcn in pcn_codes(nb, on):
        ds = cohorts_db.dataset_for(pcn)
        if ds is None:
            missing.append(pcn)
            continue
        result = cohorts_db.results(ds)[src.definition]
        column = result[src.column]
        if not pa.types.is_boolean(column.type):  # an eFI deficit: points recorded
            column = pc.greater(pc.fill_null(column, 0), 0)
        if "in_population" in result.column_names and src.column.startswith("c_"):
            column = pc.and_(column, pc.fill_null(result["in_population"], False))
        table = pa.table(
            {
                "patient_id": result["patient_id"],
                "practice_code": result["practice_code"],
                "x": column,
            }
        )  # noqa: E501
        from openpcn.population.outputs import cohort_members

        out += cohort_members(table, "x", membership.members_of(pcn))
    if missing and not out:
        raise TeamError(
            [
                f"no population dataset is loaded for {', '.join(missing)}: generate one "
                "(`openpcn demo population`) or import an extract first"
            ]
        )
    return out


def without_dataset(nb: Neighbourhood, on: date) -> list[str]:
    """The PCNs serving the neighbourhood that have no population dataset (so none of their
    patients can be drawn from a cohort)."""
    return [p for p in pcn_codes(nb, on) if cohorts_db.dataset_for(p) is None]


def _add_patients(team, pairs, source, on, by, meeting=None) -> int:
    have = set(
        team.caseload.filter(removed__isnull=True).values_list("patient_id", "practice_code")
    )
    new = [
        CaseloadEntry(
            team=team,
            patient_id=pid,
            practice_code=practice,
            source=source,
            meeting=meeting,
            added=on,
            added_by=by,
        )
        for pid, practice in pairs
        if (pid, practice) not in have
    ]
    CaseloadEntry.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def add_from_cohort(team: Team, source: str, on: date, *, by: str, meeting=None) -> int:
    """Put everyone in the cohort on the caseload (those already on it stay); how many new."""
    pairs = cohort_patients(team.neighbourhood, source, on)
    return _add_patients(team, pairs, source, on, by, meeting)


@transaction.atomic
def hold_meeting(
    team: Team,
    day: date | None,
    agenda: str,
    attendees: list[int],
    *,
    by: str,
    source: str = "",
    patients: list[tuple[int, str]] = (),
) -> tuple[Meeting, int]:
    """Record a meeting; with ``source`` its caseload is drawn from that cohort, and
    ``patients`` are added by hand. Returns the meeting and how many joined the caseload."""
    members = set(team.members.values_list("id", flat=True))
    problems = meeting_problems(day, agenda, attendees, members)
    if problems:
        raise TeamError(problems)
    meeting = Meeting.objects.create(team=team, date=day, agenda=agenda.strip(), created_by=by)
    meeting.attendees.set(attendees)
    added = 0
    if source:
        added += add_from_cohort(team, source, day, by=by, meeting=meeting)
    if patients:
        added += _add_patients(team, patients, ADDED_AT_MEETING, day, by, meeting)
    return meeting, added


@transaction.atomic
def remove_from_caseload(entry: CaseloadEntry, on: date) -> None:
    entry.removed = on
    entry.save(update_fields=["removed"])


def current_caseload(team: Team):
    return team.caseload.filter(removed__isnull=True)


@transaction.atomic
def add_action(
    team: Team,
    text: str,
    owner: int | None,
    due: date | None,
    *,
    by: str,
    topic: str = "",
    patient: int | None = None,
    status: str = "open",
    organisation: str = "",
    meeting: Meeting | None = None,
) -> Action:
    """An action owned by a member, for their organisation (their employer unless another
    of the neighbourhood's organisations is named), about a caseload entry or a topic."""
    members = dict(team.members.values_list("id", "employer__code"))
    problems = action_problems(
        text=text,
        owner=owner,
        members=members,
        topic=topic,
        patient=patient,
        caseload=set(current_caseload(team).values_list("id", flat=True)),
        due=due,
        status=status,
    )
    org_code = (organisation or "").strip().upper() or members.get(owner, "")
    if org_code and org_code not in employers(team.neighbourhood, due or date.today()):
        problems.append(f"{org_code} is not one of this neighbourhood's organisations")
    if problems:
        raise TeamError(problems)
    return Action.objects.create(
        team=team,
        text=text.strip(),
        topic=topic.strip(),
        patient_id=patient,
        owner_id=owner,
        organisation=Organisation.objects.get(code=org_code),
        due=due,
        status=status,
        meeting=meeting,
        created_by=by,
    )


@transaction.atomic
def set_status(action: Action, status: str) -> None:
    from openpcn.core.actions import status_problems

    if status_problems(status):
        raise TeamError(status_problems(status))
    action.status = status
    action.save(update_fields=["status"])


def member_of(user, team: Team) -> TeamMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return team.members.filter(user=user).first()


def teams_of(user) -> list[Team]:
    """The teams a user's account is linked to as a member."""
    return list(
        Team.objects.filter(members__user=user).select_related("neighbourhood__owner").distinct()
    )


def summary(team: Team, on: date) -> dict:
    """The team without patient details: members, meetings, caseload counts by source and
    practice, actions by status (for the API and the page)."""
    entries = list(current_caseload(team).values_list("source", "practice_code"))
    by_source: dict[str, int] = {}
    by_practice: dict[str, int] = {}
    for source, practice in entries:
        by_source[source] = by_source.get(source, 0) + 1
        by_practice[practice] = by_practice.get(practice, 0) + 1
    statuses: dict[str, int] = {}
    for status in team.actions.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    nb = team.neighbourhood
    return {
        "name": team.name,
        "slug": team.slug,
        "neighbourhood": {"name": nb.name, "slug": nb.slug, "owner": nb.owner.code},
        "members": [
            {
                "id": m.id,
                "name": m.name,
                "role": m.role,
                "employer": {"code": m.employer.code, "name": m.employer.name},
                "employer_kind": m.employer.kind,
                "account": bool(m.user_id),
            }
            for m in team.members.select_related("employer")
        ],
        "employers": len(set(team.members.values_list("employer_id", flat=True))),
        "meetings": [
            {
                "id": m.id,
                "date": m.date.isoformat(),
                "agenda": m.agenda,
                "attendees": sorted(a.name for a in m.attendees.all()),
                "added_to_caseload": m.added.count(),
            }
            for m in team.meetings.prefetch_related("attendees")
        ],
        "caseload": {
            "patients": len(entries),
            "by_source": by_source,
            "by_practice": by_practice,
        },
        "actions": {"total": sum(statuses.values()), "by_status": statuses},
        "as_at": on.isoformat(),
    }


def patient_details(entries, on: date) -> dict[tuple[int, str], dict]:
    """(patient_id, practice) -> NHS number, birth date and sex, read from each PCN's dataset
    at view time (never stored here). Callers audit the view."""
    from openpcn.population.schema import load_dataset

    membership = membership_at(on)
    wanted: dict[str, set[int]] = {}
    for e in entries:
        pcn = membership.pcn_of(e.practice_code)
        if pcn:
            wanted.setdefault(pcn, set()).add(int(e.patient_id))
    out = {}
    for pcn, ids in wanted.items():
        ds = cohorts_db.dataset_for(pcn)
        if ds is None or not ids:
            continue
        sql = (
            "select patient_id, practice_code, nhs_number, birth_date, sex from patients "
            "where list_contains(?, patient_id)"
        )
        rows = load_dataset(ds.path).con.execute(sql, [sorted(ids)]).fetchall()
        for pid, practice, nhs, born, sex in rows:
            out[(int(pid), practice)] = {"nhs_number": nhs, "birth_date": born, "sex": sex}
    return out
