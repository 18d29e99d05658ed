"""Aggregates of a PCN's cohort results are kept per dataset version beside the dataset: a
new worker's first visit reads them instead of the per-patient results, every visit is still
audited, and a recorded review (a new version) is counted on the next visit."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.population import kept
from tests.population.conftest import new_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(five_care_home_patients):
    return five_care_home_patients


def _page(response) -> str:
    """The page without its per-response CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_new_worker_shows_the_kept_aggregates_and_audits_the_visit(
    client, users, dataset, monkeypatch
):
    client.force_login(users["pcn_lead"])
    pages = ["/network/U00001/population/", "/network/U00001/smr/"]
    first = [_page(client.get(url)) for url in pages]
    stored = json.loads(
        next((Path(dataset.path) / "results").glob("aggregates-*.json")).read_text()
    )
    assert stored["entries"] and "patient_id" not in json.dumps(stored)
    viewed = AuditEvent.objects.filter(action="population aggregates viewed").count()
    new_worker(monkeypatch)
    again = [client.get(url) for url in pages]
    assert [r.status_code for r in again] == [200, 200]
    assert [_page(r) for r in again] == first
    assert AuditEvent.objects.filter(action="population aggregates viewed").count() == viewed + 1


def test_a_recorded_review_is_counted_on_the_next_visit(client, users, dataset):
    client.force_login(users["pcn_lead"])
    done = '<strong data-testid="smr-done">{}</strong>'
    assert done.format(0) in client.get("/network/U00001/smr/").content.decode()
    client.post("/network/U00001/population/reviews/", {"patient": "1"})
    kept.clear()  # another worker, too, sees the new version of the dataset's files
    assert done.format(1) in client.get("/network/U00001/smr/").content.decode()
