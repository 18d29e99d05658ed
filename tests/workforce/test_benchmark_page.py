"""The NWRS file through the import pipeline, and the scoped benchmark page."""

from __future__ import annotations

from pathlib import Path

import pytest

from openpcn.data.registry.loaders import ImportFailed, import_file
from openpcn.data.workforce import benchmark as presenters
from openpcn.data.workforce.models import NationalFte

pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
REGISTRY = HERE.parent / "registry" / "fixtures"


@pytest.fixture
def loaded(users):
    presenters.clear()
    for path in (
        REGISTRY / "map-2026-07.csv",
        REGISTRY / "all-2026-07.csv",
        HERE / "fixtures" / "nwrs-2026-06.csv",
    ):
        import_file(path)
    yield
    presenters.clear()


def test_nwrs_loads_aggregated_without_identifiers(loaded):
    rows = NationalFte.objects.all()
    assert rows.count() == 3
    alpha = rows.get(pcn_code="U00001")
    assert (float(alpha.fte), alpha.records) == (1.5, 2)
    assert "1001" not in str(list(rows.values()))


def test_second_file_for_the_same_census_is_refused(loaded, tmp_path):
    text = (HERE / "fixtures" / "nwrs-2026-06.csv").read_text().replace(",1,1001", ",2,1001")
    other = tmp_path / "nwrs-copy.csv"
    other.write_text(text)
    with pytest.raises(ImportFailed, match="already loaded"):
        import_file(other)
    assert NationalFte.objects.count() == 3


def test_benchmark_page_in_and_out_of_scope(client, users, loaded):
    # Alpha North: 1.5 FTE for 35,000 patients = 0.43 per 10,000
    client.force_login(users["pcn_lead"])
    html = client.get("/network/U00001/workforce/").content.decode()
    assert "Clinical pharmacist" in html and "0.43" in html
    assert "nwrs-2026-06.csv" in html and "How was this worked out?" in html
    assert client.get("/network/U00003/workforce/").status_code == 403


def test_benchmark_api(client, users, loaded):
    client.force_login(users["icb_commissioner"])
    body = client.get("/api/workforce/benchmark/U00001").json()
    pharmacist = next(r for r in body["roles"] if r["role"] == "clinical_pharmacist")
    assert round(pharmacist["fte_per_10k"], 2) == 0.43
    assert client.get("/api/workforce/benchmark/U00003").status_code == 403


def test_coverage_page(client, users, loaded):
    from datetime import date
    from decimal import Decimal

    from openpcn.data.finance.models import StaffMember, StaffSession
    from openpcn.data.registry.models import Organisation

    pcn = Organisation.objects.get(code="U00001")
    s = StaffMember.objects.create(
        pcn=pcn,
        name="P",
        role="clinical_pharmacist",
        wte=Decimal(1),
        start_date=date(2025, 1, 1),
        employment_model="lead_practice",
        employer_ods="A00001",
        base_practice="A00001",
    )
    StaffSession.objects.create(staff=s, practice_code="A00001", sessions=Decimal(9))
    client.force_login(users["pcn_lead"])
    html = client.get("/network/U00001/workforce/coverage/").content.decode()
    assert 'data-testid="flags"' in html and "reaches 1 of 2 practices" in html
    assert 'data-vega-spec="spec-coverage"' in html
