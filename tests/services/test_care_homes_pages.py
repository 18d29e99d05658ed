"""Care homes: CQC import, suggestions, alignment with conflicts, premium into entitlements."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.finance import entitlements as finance
from openpcn.data.registry.loaders import import_file
from openpcn.data.services import care_homes
from openpcn.data.services.models import CareHome, CareHomeAlignment

pytestmark = pytest.mark.django_db
FIX = Path(__file__).parent / "fixtures"
REGISTRY = Path(__file__).parent.parent / "registry" / "fixtures"


@pytest.fixture
def loaded(users):
    care_homes.clear()
    finance.clear()
    for path in (
        REGISTRY / "map-2026-07.csv",
        REGISTRY / "all-2026-07.csv",
        REGISTRY / "des-2025-26.csv",
        FIX / "care-homes.csv",
    ):
        import_file(path)
    yield
    care_homes.clear()
    finance.clear()


def test_cqc_file_loads_without_personal_names(loaded):
    assert CareHome.objects.count() == 3
    assert CareHome.objects.get(location_id="1-000000002").beds == 50
    assert not hasattr(CareHome, "nominated_individual")


def test_suggestions_follow_member_practice_postcodes(client, users, loaded):
    client.force_login(users["pcn_lead"])
    html = client.get("/network/U00001/care-homes/").content.decode()
    assert "Oak Lodge" in html and "Elm House" in html and "Birch Court" not in html


def test_align_then_conflict_then_premium(client, users, loaded):
    client.force_login(users["pcn_lead"])
    response = client.post(
        "/network/U00001/care-homes/", {"home": "1-000000001", "lead": "A00001"}, follow=True
    )
    assert "Oak Lodge is now aligned" in response.content.decode()
    assert AuditEvent.objects.filter(action="care home aligned", object_id="1-000000001")
    page = client.get("/network/U00001/care-homes/").content.decode()
    assert 'data-testid="premium"' in page and "How was this worked out?" in page
    # a practice outside the PCN cannot lead
    bad = client.post("/network/U00001/care-homes/", {"home": "1-000000002", "lead": "B00001"})
    assert bad.status_code == 400 and "is not a member practice of U00001" in bad.content.decode()
    # another PCN cannot take an aligned home
    from openpcn.data.registry.models import Organisation
    from openpcn.services.errors import AlignmentConflict

    with pytest.raises(AlignmentConflict, match="U00001 and U00002"):
        care_homes.align(
            CareHome.objects.get(location_id="1-000000001"),
            Organisation.objects.get(code="U00002"),
            Organisation.objects.get(code="A00003"),
            None,
            "x",
        )
    assert CareHomeAlignment.objects.filter(end__isnull=True).count() == 1
    # aligned today: nothing is due for 2025-26, before the home was aligned
    streams, _ = finance.pcn_entitlements("U00001", "2025-26")
    premium = next(s for s in streams if s.stream == "care_home_premium")
    assert premium.available and premium.annual_amount == Decimal("0.00")


def test_premium_is_not_back_dated_before_the_alignment(loaded):
    from datetime import date

    from openpcn.data.registry.models import Organisation

    CareHomeAlignment.objects.create(
        home=CareHome.objects.get(location_id="1-000000001"),
        pcn=Organisation.objects.get(code="U00001"),
        lead_practice=Organisation.objects.get(code="A00001"),
        start=date(2025, 10, 1),
        aligned_by="t",
    )

    def premium(year):
        streams, _ = finance.pcn_entitlements("U00001", year)
        return next(s for s in streams if s.stream == "care_home_premium").annual_amount

    # 30 beds x £130.253 x 182/365 days aligned in 2025-26
    assert premium("2025-26") == Decimal("1948.44")
    assert care_homes.premium("U00001", date(2026, 2, 1)).value == Decimal("1948.44")


def test_clinicians_cannot_align(client, users, loaded):
    client.force_login(users["clinician"])
    assert (
        client.post(
            "/network/U00001/care-homes/", {"home": "1-000000001", "lead": "A00001"}
        ).status_code
        == 403
    )


def test_weekly_rounds_overdue_and_recorded(client, users, loaded):
    from datetime import date, timedelta

    from openpcn.data.registry.models import Organisation

    home = CareHome.objects.get(location_id="1-000000001")
    CareHomeAlignment.objects.create(
        home=home,
        pcn=Organisation.objects.get(code="U00001"),
        lead_practice=Organisation.objects.get(code="A00001"),
        start=date.today() - timedelta(days=21),
        aligned_by="t",
    )
    client.force_login(users["clinician"])
    html = client.get("/network/U00001/care-homes/").content.decode()
    cell = html.split('data-testid="round-1-000000001"')[1].split("</td>")[0]
    assert "without a round" in cell
    client.post(
        "/network/U00001/care-homes/",
        {"round": "1-000000001", "day": (date.today() - timedelta(days=14)).isoformat()},
    )
    assert AuditEvent.objects.filter(action="care home round recorded").exists()
    future = client.post(
        "/network/U00001/care-homes/", {"round": "1-000000001", "day": "2999-01-01"}
    )
    assert future.status_code == 400


def test_care_homes_api(client, users, loaded):
    client.force_login(users["pcn_lead"])
    client.post("/network/U00001/care-homes/", {"home": "1-000000001", "lead": "A00001"})
    body = client.get("/api/services/care-homes/U00001").json()
    assert body["homes"][0]["beds"] == 30 and body["premium"]["value"]
    assert client.get("/api/services/care-homes/U00003").status_code == 403


def test_a_home_aligned_this_week_is_not_up_to_date_before_any_round(client, users, loaded):
    from datetime import date

    from openpcn.data.registry.models import Organisation

    home = CareHome.objects.get(location_id="1-000000001")
    CareHomeAlignment.objects.create(
        home=home,
        pcn=Organisation.objects.get(code="U00001"),
        lead_practice=Organisation.objects.get(code="A00001"),
        start=date.today(),
        aligned_by="t",
    )
    client.force_login(users["pcn_lead"])

    def cell():
        html = client.get("/network/U00001/care-homes/").content.decode()
        return html.split('data-testid="round-1-000000001"')[1].split("</td>")[0]

    assert "up to date" not in cell() and "no round recorded yet" in cell()
    client.post("/network/U00001/care-homes/", {"round": "1-000000001", "day": str(date.today())})
    assert "up to date: this week's round is done" in cell()
