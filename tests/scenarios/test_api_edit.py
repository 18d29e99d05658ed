"""Creating and editing scenarios through the API: the PCN's lead creates one and saves a
new version; a bad change, date or name is a 422 naming it and saves nothing; a commissioner
(who may read) and another PCN's lead cannot write."""

from __future__ import annotations

import json
from datetime import date

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.scenarios import store
from openpcn.data.scenarios.models import Scenario

pytestmark = pytest.mark.django_db
URL = "/api/plans/U00001"


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_a_lead_creates_then_edits_a_scenario(client, users, small):
    client.force_login(users["pcn_lead"])
    recruit = {"kind": "recruit", "role": "clinical_pharmacist", "wte": "1",
               "start": "2024-09-01", "base_site": "A00002"}  # fmt: skip
    made = send(client, "post", URL, {"name": "Pharmacist", "as_at": "2024-07-01",
                                      "changes": [recruit]})  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["name"], body["version"], body["changes"][0]["role"]) == (
        "Pharmacist", 1, "clinical_pharmacist")  # fmt: skip
    rooms = {"kind": "rooms", "practice": "A00001", "rooms": 2, "start": "2024-08-01"}
    edited = send(client, "put", f"{URL}/{body['id']}", {"changes": [recruit, rooms],
                                                        "comment": "a room closes"})  # fmt: skip
    assert edited.status_code == 200, edited.content
    assert edited.json()["version"] == 2 and len(edited.json()["changes"]) == 2
    run = client.get(f"{URL}/{body['id']}").json()
    assert [c["kind"] for c in run["changes"]] == ["recruit", "rooms"]
    assert AuditEvent.objects.filter(action="scenario.save", object_id=str(body["id"])).exists()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"name": "x", "as_at": "1 July", "changes": []}, "as_at",
         "as_at must be a date like 2026-07-01, not '1 July'"),
        ({"name": "x", "as_at": "2024-07-01", "changes": [
            {"kind": "recruit", "role": "clinical_pharmacist", "wte": "1", "start": "2024-08-01"},
            {"kind": "practice_leaves", "practice": "B00001", "start": "2024-08-01"}]},
         "changes.1", "change 2 (practice B00001 leaves from 2024-08-01): B00001 is not a member"),
        ({"name": "x", "as_at": "2024-07-01", "changes": [{"kind": "teleport"}]},
         "changes.0", "change 1: unknown kind 'teleport'"),
        ({"name": " ", "as_at": "2024-07-01", "changes": []}, "name",
         "a scenario needs a name"),
        ({"name": "x", "as_at": "2024-07-01", "changes": "recruit"}, "changes", "Invalid input"),
    ],
)  # fmt: skip
def test_bad_input_is_a_422_naming_it_and_nothing_is_saved(client, users, small, body, field,
                                                           words):  # fmt: skip
    client.force_login(users["pcn_lead"])
    r = send(client, "post", URL, body)
    assert r.status_code == 422
    got = r.json()
    assert words in got["detail"]
    assert got["errors"][0]["field"] == field
    assert not Scenario.objects.exists()


def test_a_bad_edit_keeps_the_version_and_readers_cannot_write(client, users, small):
    sc = store.create("U00001", "kept", date(2024, 7, 1), [])
    client.force_login(users["pcn_lead"])
    bad = send(
        client,
        "put",
        f"{URL}/{sc.pk}",
        {"changes": [{"kind": "leave", "staff_id": "S09999", "on": "2024-08-01"}]},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "changes.0"
    assert "S09999 is not on the PCN's staff register" in bad.json()["detail"]
    assert sc.versions.count() == 1
    assert send(client, "put", f"{URL}/999", {"changes": []}).status_code == 404
    client.force_login(users["icb_commissioner"])
    assert send(client, "post", URL, {"name": "y", "as_at": "2024-07-01"}).status_code == 403
    assert send(client, "put", f"{URL}/{sc.pk}", {"changes": []}).status_code == 403
    assert sc.versions.count() == 1 and Scenario.objects.count() == 1


def test_the_api_starts_a_sample_week_rota_and_the_get_carries_it(client, users, small):
    sc = store.create("U00001", "rota", date(2024, 7, 1), [])
    client.force_login(users["icb_commissioner"])
    assert client.get(f"{URL}/{sc.pk}").json()["rota_run"] is None
    assert client.post(f"{URL}/{sc.pk}/rota").status_code == 403  # readers cannot solve
    client.force_login(users["pcn_lead"])
    started = client.post(f"{URL}/{sc.pk}/rota")
    assert started.status_code == 202
    run = client.get(f"{URL}/{sc.pk}").json()["rota_run"]
    assert run["state"] == "done" and run["version"] == 1  # inline under tests
    assert run["rota"]["scenario"]["feasible"] is True
    assert any(r["effect"] == "Rota: sessions a week" for r in run["rows"])
