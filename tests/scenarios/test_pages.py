"""The scenarios page: create, add a change, compare up to four beside the baseline, adopt
and discard; the differences table shows the engines' figures; only editors change things."""

from __future__ import annotations

import re
from datetime import date

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.finance.models import StaffMember
from openpcn.data.scenarios import store
from openpcn.data.scenarios.models import Scenario

pytestmark = pytest.mark.django_db
URL = "/network/U00001/plans/"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_lead_creates_adds_compares_and_adopts(client, users, small):
    client.force_login(users["pcn_lead"])
    r = client.post(URL, {"action": "create", "name": "Physio", "as_at": "2024-07-01"})
    assert r.status_code == 302
    sc = Scenario.objects.get(name="Physio")
    fields = "role=first_contact_physiotherapist\nwte=0.8\nstart=2024-09-01\nemployer=A00001"
    fields += "\nbase_site=A00002"
    r = client.post(URL, {"action": "add", "scenario": sc.pk, "kind": "recruit", "fields": fields})
    assert r.status_code == 302 and r["Location"].endswith(f"?show={sc.pk}")
    unfilled = {"kind": "vacancy_unfilled", "vacancy_id": small["vacancy"].vacancy_id}
    other = store.create("U00001", "No pharmacy technician", date(2024, 7, 1), [unfilled])
    page = client.get(f"{URL}?show={sc.pk}&show={other.pk}")
    assert page.status_code == 200
    body = text(page)
    assert "recruit 0.8 WTE first_contact_physiotherapist from 2024-09-01 based at A00002" in body
    expected = store.run(sc).scenario.forecast.pots["arrs"].committed
    assert f"£{expected:,.2f}" in body
    assert 'data-testid="differences"' in page.content.decode()
    assert page.content.decode().count(">Difference</th>") == 2  # two scenarios side by side
    r = client.post(URL, {"action": "adopt", "scenario": sc.pk})
    assert r.status_code == 302
    assert StaffMember.objects.filter(role="first_contact_physiotherapist").count() == 1
    assert AuditEvent.objects.filter(action="scenario.adopted", object_id=str(sc.pk)).exists()


def test_a_bad_change_is_shown_naming_the_change_and_nothing_saved(client, users, small):
    client.force_login(users["pcn_lead"])
    sc = store.create("U00001", "Bad", date(2024, 7, 1), [])
    r = client.post(URL, {"action": "add", "scenario": sc.pk, "kind": "practice_leaves",
                          "fields": "practice=B00001, start=2024-08-01"})  # fmt: skip
    assert r.status_code == 200
    assert ("Change 1 (practice B00001 leaves from 2024-08-01): B00001 is not a member practice"
            " of U00001") in text(r)  # fmt: skip
    assert sc.versions.count() == 1


def test_a_commissioner_sees_but_cannot_change(client, users, small):
    sc = store.create("U00001", "Seen", date(2024, 7, 1), [])
    client.force_login(users["icb_commissioner"])
    assert client.get(f"{URL}?show={sc.pk}").status_code == 200
    assert client.post(URL, {"action": "discard", "scenario": sc.pk}).status_code == 403
    sc.refresh_from_db()
    assert sc.status == "open"


def test_outside_scope_is_refused(client, users, small):
    client.force_login(users["pcn_lead"])
    assert client.get("/network/U00002/plans/").status_code == 403


def test_the_api_returns_what_the_command_line_returns(client, users, small):
    import json

    from typer.testing import CliRunner

    from openpcn.cli.main import app

    unfilled = {"kind": "vacancy_unfilled", "vacancy_id": small["vacancy"].vacancy_id}
    sc = store.create("U00001", "No technician", date(2024, 7, 1), [unfilled])
    client.force_login(users["icb_commissioner"])
    listed = client.get("/api/plans/U00001").json()
    assert [s["name"] for s in listed] == ["No technician"] and listed[0]["changes"] == [unfilled]
    got = client.get(f"/api/plans/U00001/{sc.pk}")
    assert got.status_code == 200
    cli = CliRunner().invoke(app, ["plan", "run", str(sc.pk), "--format", "json"])
    assert got.json()["rows"] == json.loads(cli.stdout)["rows"]
    assert client.get("/api/plans/U00001/999").status_code == 404
    client.force_login(users["pcn_lead"])
    assert client.get("/api/plans/U00002").status_code == 403


def test_at_most_four_are_compared_and_a_stale_change_is_shown_not_raised(client, users, small):
    made = [store.create("U00001", f"s{i}", date(2024, 7, 1), []) for i in range(5)]
    stale = store.create("U00001", "stale", date(2024, 7, 1),
                         [{"kind": "leave", "staff_id": small["splw"].staff_id,
                           "on": "2024-11-30"}])  # fmt: skip
    small["splw"].delete()  # the register changed after the scenario was saved
    client.force_login(users["pcn_lead"])
    query = "&".join(f"show={s.pk}" for s in made)
    html = client.get(f"{URL}?{query}").content.decode()
    assert html.count("<h3>") == 4
    page = client.get(f"{URL}?show={stale.pk}")
    assert page.status_code == 200
    assert "is not on the PCN&#39;s staff register" in page.content.decode() or (
        "is not on the PCN's staff register" in text(page)
    )


def test_the_recruit_and_practice_leaves_forms_save_their_changes(client, users, small):
    client.force_login(users["pcn_lead"])
    sc = store.create("U00001", "Forms", date(2024, 7, 1), [])
    page = client.get(URL).content.decode()
    assert 'data-testid="recruit-form"' in page and 'data-testid="leaves-form"' in page
    assert '<option value="first_contact_physiotherapist">' in page  # the year's roles
    assert '<option value="A00002">' in page  # member practices
    r = client.post(URL, {"action": "add", "form": "recruit", "kind": "recruit",
                          "scenario": sc.pk, "recruit-role": "first_contact_physiotherapist",
                          "recruit-wte": "1.0", "recruit-band": "7",
                          "recruit-start": "2024-07-01", "recruit-end": "",
                          "recruit-employer": "A00001", "recruit-base_site": "A00001",
                          "recruit-sessions": ""})  # fmt: skip
    assert r.status_code == 302
    r = client.post(URL, {"action": "add", "form": "practice_leaves", "kind": "practice_leaves",
                          "scenario": sc.pk, "practice_leaves-practice": "A00002",
                          "practice_leaves-start": "2024-10-01"})  # fmt: skip
    assert r.status_code == 302
    assert store.latest(sc).changes == [
        {"kind": "recruit", "role": "first_contact_physiotherapist", "wte": "1.0",
         "start": "2024-07-01", "band": "7", "employer": "A00001", "base_site": "A00001",
         "region": "national", "employment_model": "lead_practice"},
        {"kind": "practice_leaves", "practice": "A00002", "start": "2024-10-01"},
    ]  # fmt: skip


def test_a_form_with_a_bad_field_is_refused_naming_the_change(client, users, small):
    client.force_login(users["pcn_lead"])
    sc = store.create("U00001", "Bad form", date(2024, 7, 1), [])
    r = client.post(URL, {"action": "add", "form": "recruit", "kind": "recruit",
                          "scenario": sc.pk, "recruit-role": "first_contact_physiotherapist",
                          "recruit-wte": "1.5", "recruit-start": "2024-07-01"})  # fmt: skip
    assert r.status_code == 200
    assert "the WTE must be more than 0 and at most 1, not 1.5" in text(r)
    assert sc.versions.count() == 1
