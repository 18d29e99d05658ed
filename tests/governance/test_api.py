"""The governance API: the summary and each part as JSON, scoped like the pages, with the
clinical director's explained figures; a bad date or part is a clear 4xx."""

from __future__ import annotations

from datetime import date

import pytest

from openpcn.data.governance import store
from tests.governance.conftest import ON

pytestmark = pytest.mark.django_db


def test_the_summary_and_its_parts(client, users, pcn):
    store.save_agreement(pcn, start=date(2024, 4, 1), parties=["A00001", "A00002"])
    store.hold_meeting(pcn, day=ON, title="Board", actions=[
        {"text": "Advertise", "owner": "Sam", "organisation": "U00001", "due": ON}])  # fmt: skip
    store.record_cd_time(pcn, director="Dr Lee", start=date(2024, 4, 1), hours="7.5")
    client.force_login(users["icb_commissioner"])
    r = client.get("/api/governance/U00001?on=2024-07-01")
    assert r.status_code == 200
    data = r.json()
    assert data["as_at"] == "2024-07-01"
    assert data["agreements"][0]["parties"] == [["A00001", "Alpha Surgery"],
                                                ["A00002", "Alder Medical Centre"]]  # fmt: skip
    assert data["actions"][0]["owner"] == "Sam"
    funded = data["cd_time"]["figures"]["funded_wte"]
    assert funded["value"] == "0.145" and funded["rules"][0]["key"] == (
        "clinical_director_wte_per_50000_patients"
    )
    assert funded["verified"] is False
    part = client.get("/api/governance/U00001/maturity").json()
    assert [d["key"] for d in part["domains"]][0] == "leadership_governance"


def test_bad_input_and_scope(client, users, pcn):
    client.force_login(users["pcn_lead"])
    r = client.get("/api/governance/U00001?on=tomorrow")
    assert r.status_code == 422 and "write it like 2026-04-01" in r.json()["detail"]
    assert client.get("/api/governance/U00001/budget").status_code == 404
    assert client.get("/api/governance/U00002").status_code == 403
    client.logout()
    assert client.get("/api/governance/U00001").status_code == 401


def test_the_cli_shows_the_same_json(pcn):
    import json

    from typer.testing import CliRunner

    from openpcn.cli.main import app
    from openpcn.data.governance.reads import summary

    store.record_cd_time(pcn, director="Dr Lee", start=date(2024, 4, 1), hours="7.5")
    args = ["governance", "show", "U00001", "--on", "2024-07-01"]
    r = CliRunner().invoke(app, [*args, "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == json.loads(json.dumps(summary(pcn, ON)))
    text = CliRunner().invoke(app, args)
    assert "5.4375 hours a week funded (0.145 WTE x 37.5 hours a week" in text.output
    bad = CliRunner().invoke(app, ["governance", "show", "U00001", "--on", "soon"])
    assert bad.exit_code == 1 and "--on must be a date like 2026-07-01" in bad.output
