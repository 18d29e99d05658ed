"""A dataset's aggregates are worked out once its import (attach, upload, demo) has committed:
the first visit of any worker reads them and is still audited; nothing patient-level stays in
memory; an import that fails or is rolled back works nothing out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import transaction

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.population import cohorts
from openpcn.data.population.datasets import AttachError, attach, register
from openpcn.data.population.models import PopulationDataset
from tests.population.conftest import make_dataset, new_worker

pytestmark = pytest.mark.django_db
VIEWED = "population aggregates viewed"


@pytest.fixture
def extract(tmp_path):
    cohorts.clear()
    path = make_dataset(
        tmp_path / "ds",
        [
            {"id": i, "age": 81 - i, "care_home": i % 2 == 0, "practice": f"A0000{1 + i % 2}"}
            for i in range(6)
        ],
    )
    meta = json.loads((path / "metadata.json").read_text())
    (path / "metadata.json").write_text(json.dumps({**meta, "patients": 6}, default=str))
    yield path
    cohorts.clear()


def _kept_files(path: Path) -> list[Path]:
    return list((path / "results").glob("aggregates-*.json"))


def test_an_attached_dataset_is_worked_out_and_the_first_visit_reads_it(
    client, users, extract, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ds, _note = attach("U00001", extract)
    assert len(callbacks) == 1
    stored = json.loads(_kept_files(extract)[0].read_text())
    assert stored["entries"] and "999000" not in json.dumps(stored)
    assert not cohorts._PATIENTS and not cohorts._RESULTS
    assert not AuditEvent.objects.filter(action=VIEWED).exists()  # nobody viewed anything

    new_worker(monkeypatch)
    pages = {
        "pcn_lead": [
            "/network/U00001/population/",
            "/practice/A00001/population/",
            "/practice/A00002/population/",
            "/network/U00001/smr/",
        ],
        "icb_commissioner": [
            "/network/U00001/population/",
            "/network/U00001/smr/",
            "/api/population/cohorts/U00001",
            "/api/population/smr/U00001",
        ],
    }
    for role, urls in pages.items():
        client.force_login(users[role])
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    assert AuditEvent.objects.filter(action=VIEWED).count() == 4  # every overview visit


def test_a_refused_attach_works_nothing_out(orgs, extract, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(AttachError),
    ):
        attach("U00002", extract)  # none of its patients is at a member of U00002
    assert callbacks == [] and not _kept_files(extract)


def test_a_rolled_back_import_works_nothing_out(orgs, extract, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        register("U00001", extract)
        raise RuntimeError("the rest of the import failed")
    assert callbacks == [] and not _kept_files(extract)
    assert not PopulationDataset.objects.exists()


def test_a_failure_while_working_out_leaves_the_dataset_attached(
    orgs, extract, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(ds):
        raise ValueError("patient 9990000001 made it fail")

    monkeypatch.setattr(cohorts, "warm", broken)
    with django_capture_on_commit_callbacks(execute=True):
        ds, _note = attach("U00001", extract)
    assert PopulationDataset.objects.get().pk == ds.pk
    assert "ValueError" in caplog.text and "9990000001" not in caplog.text
