"""Integrated neighbourhood teams with the Django client: members from several employers,
meetings that draw the caseload from a cohort, actions; the caseload behind a purpose and in
the audit log; a partner member sees their own team only; bad input is named and nothing is
half-saved."""

from __future__ import annotations

import json
from datetime import date

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.accounts.users import create_user
from openpcn.data.neighbourhoods import teams
from openpcn.data.neighbourhoods.models import Action, CaseloadEntry, Meeting, TeamMember
from tests.conftest import PASSWORD
from tests.neighbourhoods import team_data

pytestmark = pytest.mark.django_db
URL = "/neighbourhoods/U00001/north/"
TEAM = URL + "teams/north-team/"


@pytest.fixture
def nb(users):
    return team_data.neighbourhood()


@pytest.fixture
def ds(nb, tmp_path):
    return team_data.dataset(tmp_path / "ds")


@pytest.fixture
def lead(client, users):
    client.force_login(users["pcn_lead"])
    return client


def _team_with_members(nb):
    team = teams.create_team(nb, "North team", by="t")
    voluntary = next(
        p.organisation.code for p in nb.partners.all() if p.organisation.kind == "voluntary"
    )
    m1 = teams.add_member(team, "Nia Nurse", "district nurse", "RX1", date.today(), by="t")
    m2 = teams.add_member(team, "Sam Link", "social prescriber", voluntary, date.today(), by="t")
    m3 = teams.add_member(team, "Dr Gee", "GP", "A00001", date.today(), by="t")
    return team, (m1, m2, m3)


def test_build_a_team_hold_a_meeting_and_record_actions(nb, ds, lead):
    r = lead.post(URL + "teams/new/", {"name": "North team"})
    assert r.status_code == 302 and r["Location"] == TEAM
    page = lead.get(TEAM).content.decode()
    assert "Coast Community Trust (RX1)" in page and "Friends of North" in page
    assert "Alpha Surgery (A00001)" in page and "Faraway Trust" not in page
    voluntary = next(
        p.organisation.code for p in nb.partners.all() if p.organisation.kind == "voluntary"
    )
    for name, role, employer in [
        ("Nia Nurse", "district nurse", "RX1"),
        ("Sam Link", "social prescriber", voluntary),
        ("Dr Gee", "GP", "A00001"),
    ]:
        r = lead.post(TEAM, {"form": "member", "name": name, "role": role, "employer": employer})
        assert r.status_code == 302, r.content.decode()[:2000]
    by_name = dict(TeamMember.objects.values_list("name", "id"))
    ids = [by_name["Nia Nurse"], by_name["Sam Link"], by_name["Dr Gee"]]
    r = lead.post(
        TEAM,
        {
            "form": "meeting",
            "date": "2026-04-01",
            "agenda": "Severely frail patients",
            "attendees": ids,
            "source": "severe_frailty",
        },
    )
    assert r.status_code == 302
    assert sorted(CaseloadEntry.objects.values_list("patient_id", "practice_code")) == [
        (1, "A00001"),
        (2, "A00002"),
    ]
    page = lead.get(TEAM).content.decode()
    assert 'data-testid="caseload-count">2<' in page and 'data-testid="employer-count">3<' in page
    # a topic action and a patient action
    r = lead.post(
        TEAM,
        {
            "form": "action",
            "text": "Map falls services",
            "topic": "falls",
            "owner": ids[1],
            "due": "2026-04-15",
            "status": "open",
        },
    )
    assert r.status_code == 302
    entry = CaseloadEntry.objects.get(patient_id=1)
    visit = {
        "form": "action",
        "text": "Home visit",
        "patient": entry.id,
        "owner": ids[0],
        "due": "2026-04-08",
        "status": "in progress",
    }
    r = lead.post(TEAM, visit)  # a patient's action without a stated purpose
    assert r.status_code == 400 and b"after saying why you need it" in r.content
    assert not Action.objects.filter(text="Home visit").exists()
    r = lead.post(TEAM, {**visit, "purpose": "proactive_care"})
    assert r.status_code == 302
    a = Action.objects.get(text="Home visit")
    assert a.organisation.code == "RX1" and a.patient == entry and a.status == "in progress"
    recorded = AuditEvent.objects.get(action="team action recorded", detail__patient=1)
    assert recorded.purpose.startswith("Proactive care")
    page = lead.get(TEAM).content.decode()
    assert "Map falls services" in page and "a patient on the caseload" in page
    # the caseload asks why first, then shows the patients and is audited
    ask = lead.get(TEAM + "caseload/")
    assert (
        b"Why do you need" in ask.content
        and not AuditEvent.objects.filter(action="team caseload viewed").exists()
    )
    assert lead.get(TEAM + "caseload/?purpose=").status_code == 400
    shown = lead.get(TEAM + "caseload/?purpose=proactive_care").content.decode()
    assert 'data-testid="patient-count">2<' in shown and "9990000001" in shown
    assert "Home visit (Nia Nurse" in shown
    event = AuditEvent.objects.get(action="team caseload viewed")
    assert event.purpose.startswith("Proactive care") and event.detail["patients"] == 2
    assert event.object_type == "team" and event.username == "user-pcn_lead"


def test_other_cohorts(nb, ds):
    team = teams.create_team(nb, "T", by="t")
    assert teams.add_from_cohort(team, "care_home", date.today(), by="t") == 1
    assert teams.add_from_cohort(team, "housebound", date.today(), by="t") == 1
    assert sorted(teams.current_caseload(team).values_list("patient_id", flat=True)) == [3, 4]
    assert teams.add_from_cohort(team, "care_home", date.today(), by="t") == 0  # not twice


def test_bad_input_is_named_and_nothing_is_half_saved(nb, ds, lead):
    team, (m1, _m2, _m3) = _team_with_members(nb)
    r = lead.post(TEAM, {"form": "member", "name": "Far", "role": "nurse", "employer": "RZZ"})
    assert r.status_code == 400 and b"Nothing was saved" in r.content
    assert b"RZZ is not a partner of this neighbourhood" in r.content
    assert team.members.count() == 3
    r = lead.post(
        TEAM,
        {"form": "action", "text": "Call", "topic": "x", "due": "2026-04-15", "status": "open"},
    )
    assert r.status_code == 400 and b"choose the member who owns the action" in r.content
    assert not Action.objects.exists()
    # a meeting whose cohort cannot be drawn saves neither the meeting nor any patient
    from openpcn.data.population.models import PopulationDataset

    PopulationDataset.objects.all().delete()
    r = lead.post(
        TEAM,
        {
            "form": "meeting",
            "date": "2026-04-01",
            "agenda": "x",
            "attendees": [m1.id],
            "source": "severe_frailty",
        },
    )
    assert r.status_code == 400 and b"no population dataset is loaded for U00001" in r.content
    assert not Meeting.objects.exists() and not CaseloadEntry.objects.exists()
    r = lead.post(TEAM, {"form": "meeting", "date": "soon", "agenda": ""})
    assert r.status_code == 400 and b"YYYY-MM-DD" in r.content
    r = lead.post(URL + "teams/new/", {"name": "North team"})
    assert r.status_code == 400 and b"already has a team called" in r.content


def test_a_partner_member_sees_their_own_team_only(nb, ds, client, users):
    team, (m1, _m2, _m3) = _team_with_members(nb)
    other = teams.create_team(nb, "South team", by="t")
    teams.add_member(other, "Olu", "nurse", "RX1", date.today(), by="t")
    teams.add_from_cohort(team, "severe_frailty", date.today(), by="t")
    teams.add_from_cohort(other, "care_home", date.today(), by="t")
    nurse, _ = create_user("nia", "clinician", "U00001", PASSWORD)
    m1.user = nurse
    m1.save()
    client.force_login(nurse)
    mine = client.get("/neighbourhoods/teams/").content.decode()
    assert "North team" in mine and "South team" not in mine
    assert client.get(TEAM).status_code == 200
    shown = client.get(TEAM + "caseload/?purpose=direct_care").content.decode()
    assert 'data-testid="patient-1"' in shown and 'data-testid="patient-3"' not in shown
    south = URL + "teams/south-team/"
    assert client.get(south).status_code == 403
    assert client.get(south + "caseload/?purpose=direct_care").status_code == 403
    assert client.get(URL).status_code == 403  # the neighbourhood page is for its leads
    # a member records an action but does not change the team
    r = client.post(TEAM, {"form": "member", "name": "X", "role": "nurse", "employer": "RX1"})
    assert r.status_code == 403 and team.members.count() == 3
    api = client.get(
        "/api/neighbourhoods/U00001/north/teams/north-team/caseload?purpose=direct_care"
    )
    assert api.status_code == 200 and [p["patient_id"] for p in api.json()] == [1, 2]
    assert client.get("/api/neighbourhoods/U00001/north/teams/south-team").status_code == 403
    events = AuditEvent.objects.filter(action="team caseload viewed", username="nia")
    assert events.count() == 2 and all(e.purpose.startswith("Direct care") for e in events)


def test_commissioner_sees_counts_not_patients(nb, ds, client, users):
    team, (m1, _m2, _m3) = _team_with_members(nb)
    teams.add_from_cohort(team, "severe_frailty", date.today(), by="t")
    entry = teams.current_caseload(team).first()
    teams.add_action(team, "Visit", m1.id, date(2026, 5, 1), by="t", patient=entry.id)
    client.force_login(users["icb_commissioner"])
    page = client.get(TEAM).content.decode()
    assert 'data-testid="caseload-count">2<' in page and "see-caseload" not in page
    assert client.get(TEAM + "caseload/?purpose=direct_care").status_code == 403
    base = "/api/neighbourhoods/U00001/north/teams/north-team"
    summary = client.get(base).json()
    assert summary["caseload"]["by_source"] == {"severe_frailty": 2}
    assert summary["employers"] == 3 and len(summary["members"]) == 3
    actions = client.get(base + "/actions").json()
    assert actions[0]["about_a_patient"] and "patient_id" not in actions[0]
    assert client.get(base + "/caseload?purpose=direct_care").status_code == 403
    assert client.get(base + "/meetings").json() == []
    client.force_login(users["pcn_lead"])
    assert client.get(base + "/actions").json()[0]["patient_id"] == entry.patient_id
    assert client.get(base + "/caseload").status_code == 400
    # a clinician scoped elsewhere, or not linked to a member, is refused
    client.force_login(users["clinician"])
    assert client.get(TEAM).status_code == 403


def test_linked_accounts_must_reach_the_team(nb, users):
    team = teams.create_team(nb, "T", by="t")
    create_user("far", "clinician", "U00002", PASSWORD)
    with pytest.raises(teams.TeamError, match="scoped to U00002, which does not serve North"):
        teams.add_member(team, "F", "nurse", "RX1", date.today(), by="t", username="far")
    with pytest.raises(teams.TeamError, match="is not a clinician or PCN lead"):
        teams.add_member(
            team, "P", "manager", "A00001", date.today(), by="t", username="user-practice_manager"
        )
    with pytest.raises(teams.TeamError, match="there is no account called 'nobody'"):
        teams.add_member(team, "N", "nurse", "RX1", date.today(), by="t", username="nobody")
    assert not team.members.exists()
    m = teams.add_member(team, "C", "nurse", "RX1", date.today(), by="t", username="user-clinician")
    assert m.user.username == "user-clinician"


def test_status_changes_removal_and_meeting_link(nb, ds, lead):
    team, (m1, _m2, _m3) = _team_with_members(nb)
    meeting, added = teams.hold_meeting(
        team, date(2026, 4, 1), "Frailty", [m1.id], by="t", source="severe_frailty"
    )
    assert added == 2
    r = lead.post(
        TEAM,
        {
            "form": "action",
            "text": "Audit falls",
            "topic": "falls",
            "owner": m1.id,
            "due": "2026-05-01",
            "meeting": meeting.id,
        },
    )
    assert r.status_code == 302
    action = Action.objects.get()
    assert action.meeting == meeting and action.status == "open"
    assert (
        lead.post(TEAM, {"form": "status", "action": action.id, "status": "done"}).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.status == "done"
    r = lead.post(TEAM, {"form": "status", "action": action.id, "status": "finished"})
    assert r.status_code == 400 and b"the status must be one of" in r.content
    entry = CaseloadEntry.objects.get(patient_id=2)
    back = TEAM + "caseload/?purpose=proactive_care"
    assert lead.post(TEAM, {"form": "remove", "entry": entry.id}).status_code == 400
    r = lead.post(
        TEAM, {"form": "remove", "entry": entry.id, "back": back, "purpose": "proactive_care"}
    )
    assert r.status_code == 302 and r["Location"] == back
    entry.refresh_from_db()
    assert entry.removed == date.today()
    assert teams.summary(team, date.today())["caseload"]["patients"] == 1
    assert AuditEvent.objects.filter(action="team caseload patient removed").exists()
    # an action about a patient who left the caseload is refused
    r = lead.post(
        TEAM,
        {
            "form": "action",
            "text": "x",
            "patient": entry.id,
            "owner": m1.id,
            "due": "2026-05-01",
            "purpose": "direct_care",
        },
    )
    assert r.status_code == 400 and b"that patient is not on the team&#39;s caseload" in r.content


def test_cli_team_shows_counts_without_patients(nb, ds):
    from typer.testing import CliRunner

    from openpcn.cli.main import app

    team, (m1, _m2, _m3) = _team_with_members(nb)
    teams.hold_meeting(team, date(2026, 4, 1), "Frailty", [m1.id], by="t", source="severe_frailty")
    runner = CliRunner()
    shown = runner.invoke(app, ["neighbourhoods", "team", "North", "North team"])
    assert shown.exit_code == 0, shown.output
    assert "Members (3 employers)" in shown.output and "Caseload: 2 patients" in shown.output
    data = json.loads(
        runner.invoke(
            app, ["neighbourhoods", "team", "North", "north-team", "--format", "json"]
        ).output
    )
    assert data["caseload"]["by_source"] == {"severe_frailty": 2} and "9990000001" not in str(data)
    missing = runner.invoke(app, ["neighbourhoods", "team", "North", "Nope"])
    assert missing.exit_code != 0 and "its teams: North team" in missing.output


def test_a_pcn_without_a_dataset_is_named(nb, ds, lead):
    from openpcn.data.neighbourhoods.models import NeighbourhoodPcn
    from openpcn.data.registry.models import Organisation

    NeighbourhoodPcn.objects.create(
        neighbourhood=nb, pcn=Organisation.objects.get(code="U00002"), start=team_data.START
    )
    team, (m1, _m2, _m3) = _team_with_members(nb)
    r = lead.post(
        TEAM,
        {
            "form": "meeting",
            "date": "2026-04-01",
            "agenda": "Frailty",
            "attendees": [m1.id],
            "source": "severe_frailty",
        },
        follow=True,
    )
    html = r.content.decode()
    assert "2 patients joined the caseload" in html
    assert "No population dataset is loaded for U00002" in html
