"""In Chromium: a PCN lead defines a neighbourhood, adds a community trust and a voluntary
organisation, builds a team with members of three employers, holds a meeting whose caseload
comes from the severe-frailty cohort and records actions (an action without an owner is
refused with a message, nothing saved); a partner member sees the team's caseload and not
another team's; every patient-level view is in the audit log with its purpose."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.accounts.users import create_user
from openpcn.data.neighbourhoods import teams
from openpcn.data.neighbourhoods.models import Action, CaseloadEntry, Neighbourhood
from openpcn.data.registry.models import IngestedFile, Lsoa, Organisation
from tests.browser import sign_in
from tests.conftest import PASSWORD
from tests.neighbourhoods import team_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODES = ["E01011954", "E01011955", "E01011956"]


def _lsoas(codes=CODES):
    """Hartlepool 2021 LSOAs as IoD 2025 File 1 gives them (the real file is imported by the
    non-browser tests; here only what the pages need)."""
    src = IngestedFile.objects.create(
        name="File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx",
        path="-",
        sha256="0" * 64,
        kind="mhclg_iod_file1",
        as_of=date(2025, 10, 30),
    )
    for i, code in enumerate(codes):
        Lsoa.objects.create(
            code=code,
            vintage=2021,
            name=f"Hartlepool 00{i}",
            lad_code="E06000001",
            lad_name="Hartlepool",
            lad_vintage=2024,
            edition=2025,
            imd_rank=100 + i,
            imd_decile=1,
            source=src,
        )


def test_team_meeting_caseload_and_partner_view(page, live_server, users, tmp_path):
    from openpcn.data.neighbourhoods import queries

    _lsoas()
    queries._AREAS.clear()
    Organisation.objects.create(code="RX1", kind="trust", name="Coast Community Trust")
    team_data.dataset(tmp_path / "ds")
    create_user("nia", "clinician", "U00001", PASSWORD)
    base = live_server.url
    sign_in(page, base, "user-pcn_lead", PASSWORD)

    # the neighbourhood and its partners
    page.goto(base + "/neighbourhoods/U00001/new/")
    page.fill("#id_name", "North")
    page.fill("#id_start", "2026-01-01")
    page.fill("#id_lsoas", "\n".join(CODES))
    page.select_option("#id_pcns", "U00001")
    page.get_by_test_id("create").click()
    expect(page.get_by_test_id("lsoa-count")).to_have_text("3")
    url = page.url
    page.select_option("#id_organisation", "RX1")
    page.fill("#id_role", "provides community nursing")
    page.fill("#id_start", "2026-01-01")
    page.get_by_test_id("add-partner").click()
    expect(page.get_by_test_id("partners")).to_contain_text("Coast Community Trust")
    page.get_by_text("Enter an organisation by hand").click()
    page.select_option("#id_new_kind", "voluntary")
    page.fill("#id_new_name", "Friends of North")
    page.fill("#id_role", "provides social prescribing")
    page.fill("#id_start", "2026-01-01")
    page.get_by_test_id("add-partner").click()
    expect(page.get_by_test_id("partners")).to_contain_text("Friends of North")

    # the team: members of three employers, one linked to the partner's account
    page.fill("#id_team_name", "North team")
    page.get_by_test_id("create-team").click()
    expect(page.get_by_role("heading", name="North team")).to_be_visible()
    team_url = page.url
    voluntary = Organisation.objects.get(name="Friends of North").code
    for name, role, employer, account in [
        ("Nia Nurse", "district nurse", "RX1", "nia"),
        ("Sam Link", "social prescriber", voluntary, ""),
        ("Dr Gee", "GP", "A00001", ""),
    ]:
        page.fill("#id_member_name", name)
        page.fill("#id_member_role", role)
        page.select_option("#id_member_employer", employer)
        page.fill("#id_member_username", account)
        page.get_by_test_id("add-member").click()
        expect(page.get_by_test_id("members")).to_contain_text(name)
    expect(page.get_by_test_id("employer-count")).to_have_text("3")

    # a meeting with the severe-frailty caseload
    page.fill("#id_meeting_date", "2026-04-01")
    page.fill("#id_meeting_agenda", "Severely frail patients: plans")
    for name in ("Nia Nurse", "Sam Link", "Dr Gee"):
        page.get_by_label(name, exact=True).check()
    page.select_option("#id_meeting_source", "severe_frailty")
    page.get_by_test_id("add-meeting").click()
    expect(page.get_by_test_id("caseload-count")).to_have_text("2")
    expect(page.get_by_test_id("meetings")).to_contain_text("Severely frail patients")

    # an action without an owner: a clear message, nothing saved
    page.fill("#id_action_text", "Map falls services")
    page.fill("#id_action_topic", "falls")
    page.fill("#id_action_due", "2026-04-15")
    page.get_by_test_id("add-action").click()
    expect(page.get_by_text("choose the member who owns the action")).to_be_visible()
    assert not Action.objects.exists()
    page.goto(team_url)
    page.fill("#id_action_text", "Map falls services")
    page.fill("#id_action_topic", "falls")
    page.select_option("#id_action_owner", label="Sam Link (Friends of North)")
    page.fill("#id_action_due", "2026-04-15")
    page.get_by_test_id("add-action").click()
    expect(page.get_by_test_id("actions")).to_contain_text("Map falls services")

    # the caseload: purpose first, then the patients; an action for one of them
    page.get_by_test_id("see-caseload").click()
    page.get_by_label("Proactive care: preparing or holding the team's meeting").check()
    page.get_by_test_id("show-caseload").click()
    expect(page.get_by_test_id("patient-count")).to_have_text("2")
    page.fill("#id_action_text", "Home visit")
    entry = CaseloadEntry.objects.get(patient_id=1)
    page.select_option("#id_action_patient", str(entry.id))
    page.select_option("#id_action_owner", label="Nia Nurse (Coast Community Trust)")
    page.fill("#id_action_due", "2026-04-08")
    page.get_by_test_id("add-action").click()
    expect(page.get_by_test_id("patient-1")).to_contain_text("Home visit (Nia Nurse")
    assert Action.objects.get(text="Home visit").organisation.code == "RX1"

    # another team of the same neighbourhood, with its own caseload
    nb = Neighbourhood.objects.get(slug="north")
    other = teams.create_team(nb, "South team", by="t")
    teams.add_member(other, "Olu", "nurse", "RX1", date.today(), by="t")
    teams.add_from_cohort(other, "care_home", date.today(), by="t")

    # the partner's member sees this team's caseload, not the other team's
    page.context.clear_cookies()
    sign_in(page, base, "nia", PASSWORD)
    page.goto(base + "/neighbourhoods/teams/")
    expect(page.get_by_test_id("my-teams")).to_contain_text("North team")
    expect(page.get_by_test_id("my-teams")).not_to_contain_text("South team")
    page.get_by_role("link", name="North team").click()
    page.get_by_test_id("see-caseload").click()
    page.get_by_label("Direct care: following up an action for a patient").check()
    page.get_by_test_id("show-caseload").click()
    expect(page.get_by_test_id("patient-count")).to_have_text("2")
    expect(page.get_by_test_id("patient-1")).to_be_visible()
    response = page.goto(team_url.replace("north-team", "south-team") + "caseload/")
    assert response.status == 403
    expect(page.get_by_text("Only South team's own members see this team")).to_be_visible()
    assert url in team_url

    views = AuditEvent.objects.filter(action="team caseload viewed")
    assert {e.username for e in views} == {"user-pcn_lead", "nia"}
    assert views.count() >= 3 and all(e.purpose for e in views)
