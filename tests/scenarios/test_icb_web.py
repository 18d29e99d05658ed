"""ICB scenarios through the page, the API, the Excel workbook and the CLI: the ICB's
commissioner creates, changes, runs and adopts them; a PCN's lead of the ICB can do none of it;
bad input is a message naming it, never a 500."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.scenarios import icb_store
from openpcn.data.scenarios.models import Scenario
from tests.scenarios.icb_fixtures import AS_AT, ICB, care_homes, second_pcn

pytestmark = pytest.mark.django_db
API = f"/api/icb-plans/{ICB}"
PAGE = f"/icb/{ICB}/plans/"
MOVE = {"kind": "practice_moves", "practice": "A00002", "to_pcn": "U00003",
        "start": "2024-10-01"}  # fmt: skip


@pytest.fixture
def icb(small):
    return small | second_pcn(small["orgs"])


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_the_api_creates_edits_and_runs_an_icb_scenario(client, users, icb):
    client.force_login(users["icb_commissioner"])
    made = send(client, "post", API, {"name": "Move", "as_at": AS_AT.isoformat(),
                                      "changes": [MOVE]})  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["icb_code"], body["version"]) == (ICB, 1)
    rules = {"kind": "rules_year", "year": "2025-26"}
    edited = send(client, "put", f"{API}/{body['id']}", {"changes": [MOVE, rules]})
    assert edited.status_code == 200 and edited.json()["version"] == 2
    run = client.get(f"{API}/{body['id']}").json()
    assert set(run["pcns"]) == {"U00001", "U00003"}
    assert all(t["how"] for t in run["totals"])
    size = next(r for r in run["pcns"]["U00003"]["rows"] if r["item"] == "registered patients")
    assert size["difference"] == 12000
    assert [s["name"] for s in client.get(API).json()] == ["Move"]
    assert AuditEvent.objects.filter(action="scenario.save", object_id=str(body["id"])).exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ([MOVE, {"kind": "practice_moves", "practice": "B00001", "to_pcn": "U00001",
                 "start": "2024-10-01"}], "changes.1",
         "change 2 (practice B00001 moves to U00001 from 2024-10-01): B00001 is not a member"),
        ([{"kind": "teleport"}], "changes.0", "change 1: unknown kind 'teleport'"),
        ([MOVE | {"start": "October"}], "changes.0", "must be a date like 2026-07-01"),
    ],
)  # fmt: skip
def test_bad_input_is_a_422_naming_it(client, users, icb, changes, field, words):
    client.force_login(users["icb_commissioner"])
    got = send(client, "post", API, {"name": "x", "as_at": AS_AT.isoformat(), "changes": changes})
    assert got.status_code == 422
    assert got.json()["errors"][0]["field"] == field and words in got.json()["detail"]
    assert not Scenario.objects.exists()


def test_a_pcn_lead_of_the_icb_can_neither_see_nor_change_its_scenarios(client, users, icb):
    sc = icb_store.create(ICB, "Move", AS_AT, [MOVE])
    client.force_login(users["pcn_lead"])
    assert client.get(API).status_code == 403
    assert send(client, "post", API, {"name": "y", "as_at": "2024-07-01"}).status_code == 403
    assert send(client, "put", f"{API}/{sc.pk}", {"changes": []}).status_code == 403
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"action": "discard", "scenario": sc.pk}).status_code == 403
    assert client.get(f"{PAGE}{sc.pk}.xlsx").status_code == 403
    # nor reach it through the PCN's own API
    assert client.get(f"/api/plans/U00001/{sc.pk}").status_code == 404
    sc.refresh_from_db()
    assert sc.status == "open"


def test_the_page_creates_adds_shows_and_exports(client, users, icb):
    client.force_login(users["icb_commissioner"])
    assert "icb-plans-link" in client.get(f"/icb/{ICB}/").content.decode()
    made = client.post(PAGE, {"action": "create", "name": "Move", "as_at": "2024-07-01"})
    assert made.status_code == 302
    sc = Scenario.objects.get(name="Move")
    added = client.post(PAGE, {"action": "add", "scenario": sc.pk, "kind": "practice_moves",
                               "practice_moves-practice": "A00002",
                               "practice_moves-to_pcn": "U00003",
                               "practice_moves-start": "2024-10-01"}, follow=True)  # fmt: skip
    html = added.content.decode()
    assert added.status_code == 200 and "version 2" in html
    assert f'data-testid="pcn-{sc.pk}-U00001"' in html
    assert f'data-testid="differences-{sc.pk}-U00003"' in html
    bad = client.post(PAGE, {"action": "add", "scenario": sc.pk, "kind": "practice_moves",
                             "practice_moves-practice": "B00001",
                             "practice_moves-to_pcn": "U00003",
                             "practice_moves-start": "2024-10-01"})  # fmt: skip
    assert bad.status_code == 200 and "is not a member practice of any PCN" in bad.content.decode()
    refused = client.post(PAGE, {"action": "adopt", "scenario": sc.pk})
    assert "cannot be adopted: a PCN" in refused.content.decode()
    xlsx = client.get(f"{PAGE}{sc.pk}.xlsx")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["ICB totals", "U00001", "U00003", "Changes", "Notes"]
    heads = [c.value for c in wb["ICB totals"][2]]
    assert heads == ["Effect", "Item", "Baseline", "Scenario", "Difference", "How"]
    assert client.get(f"{PAGE}999.xlsx").status_code == 404


def test_the_pcn_page_exports_its_scenario_too(client, users, small):
    from openpcn.data.scenarios import store

    sc = store.create(
        "U00001",
        "leave",
        AS_AT,
        [{"kind": "practice_leaves", "practice": "A00002", "start": "2024-10-01"}],
    )
    client.force_login(users["pcn_lead"])
    got = client.get(f"/network/U00001/plans/{sc.pk}.xlsx")
    assert got.status_code == 200
    wb = load_workbook(io.BytesIO(got.content))
    assert wb.sheetnames == ["Effects", "Changes", "Notes"]


def cli(*args):
    from typer.testing import CliRunner

    from openpcn.cli.main import app

    return CliRunner().invoke(app, ["plan", *args])


def test_the_cli_makes_runs_and_adopts_an_icb_scenario(icb):
    care_homes(icb["orgs"])
    assert cli("create", ICB, "Oak", "--as-at", "2024-07-01").exit_code == 0
    added = cli("add-change", "Oak", "--pcn", ICB, "care_home_realigned", "location_id=1-001",
                "to_pcn=U00003", "start=2024-10-01", "lead_practice=A00003")  # fmt: skip
    assert added.exit_code == 0, added.output
    ran = cli("run", "Oak", "--pcn", ICB, "--format", "json")
    assert ran.exit_code == 0, ran.output
    body = json.loads(ran.stdout)
    assert body["icb_code"] == ICB and set(body["pcns"]) == {"U00001", "U00003"}
    text = cli("run", "Oak", "--pcn", ICB)
    assert "ICB QAA totals" in text.output and "U00003" in text.output
    assert "Oak" in cli("list", ICB).output
    bad = cli("add-change", "Oak", "--pcn", ICB, "practice_moves", "practice=A00009",
              "to_pcn=U00003", "start=2024-10-01")  # fmt: skip
    assert bad.exit_code != 0 and "A00009 is not a member practice" in bad.output
    adopted = cli("adopt", "Oak", "--pcn", ICB)
    assert adopted.exit_code == 0, adopted.output
    assert Scenario.objects.get(name="Oak").status == "adopted"
