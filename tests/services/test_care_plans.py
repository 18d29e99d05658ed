"""Care home admissions and care plans within 7 working days, kept in the PCN's dataset."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from nhs_number import is_valid

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.population import cohorts
from openpcn.data.population.datasets import register
from openpcn.data.registry.loaders import import_file
from openpcn.data.registry.models import Organisation
from openpcn.data.services.models import CareHome, CareHomeAlignment
from tests.population.conftest import make_dataset

pytestmark = pytest.mark.django_db
FIX = Path(__file__).parent / "fixtures"
REGISTRY = Path(__file__).parent.parent / "registry" / "fixtures"
VALID = next(f"999{n:07d}" for n in range(10**7) if is_valid(f"999{n:07d}"))


@pytest.fixture
def setup(users, tmp_path):
    cohorts.clear()
    for path in (
        REGISTRY / "map-2026-07.csv",
        REGISTRY / "all-2026-07.csv",
        FIX / "care-homes.csv",
    ):
        import_file(path)
    CareHomeAlignment.objects.create(
        home=CareHome.objects.get(location_id="1-000000001"),
        pcn=Organisation.objects.get(code="U00001"),
        lead_practice=Organisation.objects.get(code="A00001"),
        start=date(2026, 1, 1),
        aligned_by="t",
    )
    path = make_dataset(tmp_path / "ds", [{"id": 1, "age": 84, "care_home": True}])
    patients = pq.read_table(path / "patients.parquet")
    patients = patients.set_column(
        patients.schema.get_field_index("nhs_number"), "nhs_number", pa.array([VALID])
    )
    pq.write_table(patients, path / "patients.parquet")
    meta = json.loads((path / "metadata.json").read_text())
    (path / "metadata.json").write_text(
        json.dumps({**meta, "synthetic": True, "patients": 1}, default=str)
    )
    register("U00001", path)
    yield path
    cohorts.clear()


def post(client, **data):
    return client.post("/network/U00001/care-homes/plans/", data)


def test_admission_overdue_then_plan_late(client, users, setup):
    client.force_login(users["pcn_lead"])
    admitted = date.today() - timedelta(days=30)
    assert (
        post(
            client, kind="admission", nhs_number=VALID, home="1-000000001", day=admitted.isoformat()
        ).status_code
        == 302
    )
    page = client.get("/network/U00001/care-homes/plans/").content.decode()
    assert "overdue" in page.split('data-testid="care-plans"')[1]
    assert f'<td data-testid="plan-patient">{VALID}</td>' in page  # whose plan it is
    post(client, kind="plan", nhs_number=VALID, day=date.today().isoformat())
    page = client.get("/network/U00001/care-homes/plans/").content.decode()
    assert ">late<" in page
    assert AuditEvent.objects.filter(action="care home admission recorded").exists()
    assert AuditEvent.objects.filter(action="care plans viewed", purpose__contains="Direct care")
    assert VALID not in json.dumps([e.detail for e in AuditEvent.objects.all()])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "kind": "admission",
                "nhs_number": "1234567890",
                "home": "1-000000001",
                "day": "2026-01-05",
            },
            "not a valid NHS number",
        ),
        (
            {"kind": "admission", "nhs_number": VALID, "home": "1-000000001", "day": "2999-01-01"},
            "in the future",
        ),
        (
            {"kind": "admission", "nhs_number": VALID, "home": "1-000000003", "day": "2026-01-05"},
            "aligned care homes",
        ),
        ({"kind": "plan", "nhs_number": VALID, "day": "2026-01-05"}, "admission before"),
    ],
)
def test_bad_input_saves_nothing(client, users, setup, data, message):
    client.force_login(users["pcn_lead"])
    response = post(client, **data)
    assert response.status_code == 400 and message in response.content.decode()
    assert (
        not (setup / "care_home_admissions.parquet").exists()
        or pq.read_table(setup / "care_home_admissions.parquet").num_rows == 0
    )


def test_commissioners_do_not_see_patients(client, users, setup):
    client.force_login(users["icb_commissioner"])
    assert client.get("/network/U00001/care-homes/plans/").status_code == 403
