"""The governance pages with the Django test client: a lead saves each record through its
form; a bad form shows every problem and saves nothing (400, never a 500); readers in the
PCN's scope see but cannot save; each list downloads as CSV; the workspace links here."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest

from openpcn.data.governance import store
from tests.governance.conftest import ON, counts

pytestmark = pytest.mark.django_db
BASE = "/network/U00001/governance/"


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def lead(client, users, pcn):
    client.force_login(users["pcn_lead"])
    return client


def test_every_page_opens_for_a_reader_in_scope(client, users, pcn):
    client.force_login(users["clinician"])
    for page in ("", "agreement/", "decisions/", "meetings/", "cd-time/", "maturity/"):
        r = client.get(BASE + page)
        assert r.status_code == 200, page
        assert 'name="form"' not in r.content.decode()  # no forms for a reader
    assert client.post(BASE + "decisions/", {"form": "decision"}).status_code == 403


def test_outside_the_scope_is_refused(client, users, pcn):
    client.force_login(users["pcn_lead"])
    assert client.get("/network/U00002/governance/").status_code == 403


def test_a_lead_records_an_agreement_and_sees_it_in_force(lead):
    r = lead.post(BASE + "agreement/", {"form": "agreement", "start": "2024-04-01",
                  "signed": "2024-03-28", "parties": ["A00001", "A00002"]})  # fmt: skip
    assert r.status_code == 302
    page = text(lead.get(BASE + "agreement/?on=2024-07-01"))
    assert "2024-04-01 in force" in page and "Alder Medical Centre (A00002)" in page


def test_an_overlapping_agreement_shows_the_message_and_saves_nothing(lead, pcn):
    store.save_agreement(pcn, start=ON, parties=["A00001"])
    r = lead.post(BASE + "agreement/", {"form": "agreement", "start": "2024-12-01",
                  "end": "2025-03-31", "parties": ["A00001"]})  # fmt: skip
    assert r.status_code == 400
    body = text(r)
    assert "Nothing was saved" in body
    assert "The agreement 2024-12-01 to 2025-03-31 overlaps the one from 2024-07-01 (open)" in body
    assert 'value="2024-12-01"' in r.content.decode()  # what was typed is kept
    assert counts()["agreements"] == 1


def test_a_meeting_action_without_an_owner_shows_the_message(lead):
    form = {"form": "meeting", "date": "2024-07-01", "title": "PCN board",
            "action-1-text": "Draft the budget", "action-1-organisation": "A00001",
            "action-1-due": "2024-08-01"}  # fmt: skip
    r = lead.post(BASE + "meetings/", form)
    assert r.status_code == 400
    assert "Action 1: name the person who owns the action (who will do it)" in text(r)
    assert counts()["meetings"] == counts()["actions"] == 0
    r = lead.post(BASE + "meetings/", form | {"action-1-owner": "Dr Lee"})
    assert r.status_code == 302
    page = text(lead.get(BASE + "meetings/"))
    assert "Draft the budget Dr Lee Alpha Surgery (A00001) 2024-08-01 PCN board 2024-07-01" in page


def test_garbage_in_every_form_is_a_message_never_a_500(lead):
    for page, form in (("agreement/", "agreement"), ("decisions/", "decision"),
                       ("meetings/", "meeting"), ("cd-time/", "cd-time"),
                       ("maturity/", "assessment"), ("meetings/", "status"),
                       ("decisions/", "nonsense")):  # fmt: skip
        garbage = {"date": "31/02/2024", "start": "soon", "hours": "lots", "parties": ["ZZZ"]}
        r = lead.post(BASE + page, garbage | {"form": form, "action": "x"})
        assert r.status_code == 400, (page, form)
        assert "Nothing was saved" in text(r)
    assert set(counts().values()) == {0}


def test_cd_time_page_explains_the_funded_hours(lead):
    r = lead.post(BASE + "cd-time/", {"form": "cd-time", "director": "Dr Lee",
                  "start": "2024-04-01", "hours": "7.5"})  # fmt: skip
    assert r.status_code == 302
    page = text(lead.get(BASE + "cd-time/?on=2024-07-01"))
    assert "Funded time 0.145 WTE" in page and "Funded hours a week 5.44 hours a week" in page
    assert "0.25 WTE x 29,000 patients / 50,000" in page
    assert "clinical_director_wte_per_50000_patients" in page and "How was this worked out?" in page
    assert "Recorded minus funded 2.06 hours a week" in page
    bad = lead.post(BASE + "cd-time/", {"form": "cd-time", "director": "Dr Lee",
                    "start": "2024-05-01", "hours": "40"})  # fmt: skip
    assert "The hours a week must be at most 37.5 (a full-time week)" in text(bad)


def test_maturity_page_shows_the_chart_and_the_change(lead, pcn):
    from openpcn.governance.maturity import framework

    keys = [d.key for d in framework().domains]
    first = {"form": "assessment", "date": "2024-04-01"} | {f"score-{k}": "1" for k in keys}
    assert lead.post(BASE + "maturity/", first).status_code == 302
    second = first | {"date": "2025-04-01", "score-workforce": "3"}
    assert lead.post(BASE + "maturity/", second).status_code == 302
    r = lead.get(BASE + "maturity/")
    assert 'data-testid="chart-maturity"' in r.content.decode()
    assert "Workforce 1 3 +2 +2" in text(r)
    missing = lead.post(BASE + "maturity/", first | {"date": "2026-04-01", "score-workforce": ""})
    assert "Workforce: choose a score from 1 to 4" in text(missing)


def test_each_list_downloads_as_csv(lead, pcn):
    store.save_agreement(pcn, start=ON, parties=["A00001"])
    store.record_decision(pcn, day=ON, what="Hire", made_by="Board", practices=["A00001"])
    store.hold_meeting(pcn, day=ON, title="Board", actions=[
        {"text": "Advertise", "owner": "Sam", "organisation": "U00001", "due": ON}])  # fmt: skip
    for what, first in (("agreements", "start"), ("decisions", "date"), ("meetings", "date"),
                        ("actions", "action"), ("cd-time", "director"),
                        ("maturity", "domain")):  # fmt: skip
        r = lead.get(f"{BASE}{what}.csv")
        assert r.status_code == 200 and r["Content-Type"] == "text/csv"
        rows = list(csv.reader(io.StringIO(r.content.decode())))
        assert rows[0][0] == first
    actions = list(csv.reader(io.StringIO(lead.get(f"{BASE}actions.csv").content.decode())))
    assert actions[1] == ["Advertise", "Sam", "U00001", "2024-07-01", "open", "Board 2024-07-01"]
    assert lead.get(f"{BASE}nothing.csv").status_code == 404


def test_the_workspace_links_to_governance(lead):
    assert 'href="/network/U00001/governance/"' in lead.get("/network/U00001/").content.decode()


def test_an_open_agreement_is_ended_so_the_next_can_start(lead, pcn):
    old = store.save_agreement(pcn, start=date(2024, 4, 1), parties=["A00001"])
    form = {"form": "agreement", "start": "2025-04-01", "parties": ["A00001"]}
    assert lead.post(BASE + "agreement/", form).status_code == 400
    bad = lead.post(
        BASE + "agreement/", {"form": "end-agreement", "id": old.pk, "end": "2024-01-01"}
    )
    assert "The end 2024-01-01 is before the agreement's start 2024-04-01" in text(bad)
    ended = lead.post(BASE + "agreement/", {"form": "end-agreement", "id": old.pk,
                                            "end": "2025-03-31"})  # fmt: skip
    assert ended.status_code == 302
    assert lead.post(BASE + "agreement/", form).status_code == 302
    assert counts()["agreements"] == 2
    nobody = lead.post(BASE + "cd-time/", {"form": "end-cd-time", "id": "7", "end": "2025-03-31"})
    assert "Choose one of this PCN's records to end" in text(nobody)


def test_the_pages_say_what_is_missing_without_a_population_file(client, users, orgs):
    client.force_login(users["pcn_lead"])
    r = client.get(BASE + "cd-time/")
    assert r.status_code == 200
    assert "No NHS England PCN population file with U00001 is imported" in text(r)
    assert client.get(BASE).status_code == 200
