"""Structured medication reviews: record one (audited), the patient leaves the waiting list,
progress against capacity, bad input refused with nothing saved."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from openpcn.data.accounts.models import AuditEvent

pytestmark = pytest.mark.django_db
LIST = (
    "/network/U00001/population/worklist/?definition=smr&cohort=no_review_12m&purpose=direct_care"
)


@pytest.fixture
def dataset(five_care_home_patients):
    return five_care_home_patients


def test_recording_a_review_takes_the_patient_off_the_list(client, users, dataset):
    client.force_login(users["pcn_lead"])
    assert '<span data-testid="patient-count">5</span>' in client.get(LIST).content.decode()
    response = client.post("/network/U00001/population/reviews/", {"patient": "1"})
    assert response.status_code == 302
    assert '<span data-testid="patient-count">4</span>' in client.get(LIST).content.decode()
    who = pq.read_table(f"{dataset.path}/medication_review_clinicians.parquet").to_pylist()
    assert who[0]["clinician"] == "user-pcn_lead" and who[0]["code"] == "1239511000000100"
    event = AuditEvent.objects.get(action="medication review recorded")
    assert event.object_id.endswith("row 1") and "999" not in event.object_id
    client.post("/network/U00001/smr/", {"reviews_per_month": "20"})
    page = client.get("/network/U00001/smr/").content.decode()
    assert '<strong data-testid="smr-done">1</strong>' in page
    assert '<strong data-testid="smr-planned">240</strong>' in page
    assert "How was this worked out?" in page and "smr.yaml" in page
    assert "Care home resident" in page and ">care home<" not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"patient": "999"}, "no such patient"),
        ({"patient": "1", "date": "2999-01-01"}, "in the future"),
        ({"patient": "x"}, "Give the patient"),
    ],
)
def test_bad_reviews_are_refused_and_nothing_saved(client, users, dataset, data, message):
    client.force_login(users["pcn_lead"])
    before = pq.read_table(f"{dataset.path}/medication_reviews.parquet").num_rows
    response = client.post("/network/U00001/population/reviews/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert pq.read_table(f"{dataset.path}/medication_reviews.parquet").num_rows == before


def test_capacity_validation_and_roles(client, users, dataset):
    client.force_login(users["pcn_lead"])
    bad = client.post("/network/U00001/smr/", {"reviews_per_month": "lots"})
    assert bad.status_code == 400 and "whole number" in bad.content.decode()
    client.force_login(users["icb_commissioner"])
    assert client.get("/network/U00001/smr/").status_code == 200
    assert client.post("/network/U00001/smr/", {"reviews_per_month": "5"}).status_code == 403
    client.force_login(users["practice_manager"])
    assert client.post("/network/U00001/population/reviews/", {"patient": "1"}).status_code == 403
