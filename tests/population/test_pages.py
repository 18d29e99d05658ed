"""Population pages: aggregates with disclosure control, worklists by role and purpose, audit."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.population import cohorts as presenters
from openpcn.data.population.datasets import register
from tests.population.conftest import make_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(users, tmp_path):
    presenters.clear()
    cache.clear()
    patients = [{"id": i, "age": 80, "care_home": True, "practice": "A00001"} for i in range(9)]
    patients += [{"id": 100, "age": 85, "care_home": True, "practice": "A00002"}]
    patients += [{"id": 200 + i, "age": 40, "practice": "A00002"} for i in range(5)]
    path = make_dataset(tmp_path / "ds", patients)
    meta = json.loads((path / "metadata.json").read_text())
    meta.update(synthetic=True, label="SYNTHETIC test", patients=len(patients))
    (path / "metadata.json").write_text(json.dumps(meta, default=str))
    yield register("U00001", path)
    presenters.clear()


def test_pcn_lead_sees_counts_and_lists_with_a_purpose(client, users, dataset):
    client.force_login(users["pcn_lead"])
    html = client.get("/network/U00001/population/").content.decode()
    assert "Synthetic data" in html and "care_home" in html
    assert 'data-testid="disclosure"' not in html
    assert 'data-testid="rates-imd_quintile"' in html and "95%" in html
    ask = client.get("/network/U00001/population/worklist/?definition=smr&cohort=care_home")
    assert b"Why do you need this list" in ask.content
    assert not AuditEvent.objects.filter(object_type="worklist").exists()
    page = client.get(
        "/network/U00001/population/worklist/?definition=smr&cohort=care_home"
        "&purpose=care_home_round"
    )
    body = page.content.decode()
    assert '<span data-testid="patient-count">10</span>' in body
    event = AuditEvent.objects.get(action="worklist viewed")
    assert event.purpose.startswith("Care home round") and event.detail["patients"] == 10
    assert "999000" not in json.dumps(event.detail)  # no identifiers in the audit detail


def test_practice_manager_sees_only_own_practice(client, users, dataset):
    client.force_login(users["practice_manager"])
    page = client.get(
        "/practice/A00001/population/worklist/?definition=smr&cohort=care_home&purpose=direct_care"
    )
    assert '<span data-testid="patient-count">9</span>' in page.content.decode()
    assert (
        client.get(
            "/practice/A00002/population/worklist/?definition=smr&cohort=care_home"
            "&purpose=direct_care"
        ).status_code
        == 403
    )
    assert client.get("/network/U00001/population/worklist/").status_code == 403


def test_commissioner_gets_suppressed_aggregates_only(client, users, dataset):
    client.force_login(users["icb_commissioner"])
    html = client.get("/network/U00001/population/").content.decode()
    assert 'data-testid="disclosure"' in html
    assert "List patients" not in html
    # 9 care home residents at A00001 -> rounded to 10; 1 at A00002 -> suppressed (*)
    row = html.split("Care home resident</td>")[1].split("</tr>")[0]
    assert ">10<" in row and ">*<" in row
    assert (
        client.get(
            "/network/U00001/population/worklist/?definition=smr&cohort=care_home"
            "&purpose=direct_care"
        ).status_code
        == 403
    )


def test_csv_export_is_audited_and_labelled(client, users, dataset):
    client.force_login(users["pcn_lead"])
    response = client.get(
        "/network/U00001/population/worklist/?definition=smr&cohort="
        "care_home&purpose=smr_planning&format=csv"
    )
    text = response.content.decode()
    assert text.startswith("SYNTHETIC DATA") and text.count("\n") == 12
    assert AuditEvent.objects.filter(action="worklist exported", object_id="U00001").exists()


def test_bad_cohort_and_missing_purpose(client, users, dataset):
    client.force_login(users["pcn_lead"])
    assert (
        client.get("/network/U00001/population/worklist/?definition=smr&cohort=nope").status_code
        == 404
    )
    bad = client.get(
        "/network/U00001/population/worklist/?definition=smr&cohort=care_home&purpose="
    )
    assert bad.status_code == 400 and b"Choose why you need this list" in bad.content


def test_population_api_is_aggregate_only(client, users, dataset):
    client.force_login(users["icb_commissioner"])
    body = client.get("/api/population/cohorts/U00001").json()
    assert body["disclosure_control"] is True
    care = next(c for c in body["cohorts"] if c["cohort"] == "care_home")
    assert care["per_practice"] == {"A00001": 10, "A00002": None}
    assert client.get("/api/population/smr/U00001").status_code == 200
    client.force_login(users["practice_manager"])
    assert client.get("/api/population/cohorts/U00001").status_code == 403
