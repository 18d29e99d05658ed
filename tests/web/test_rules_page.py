"""The rules page lists a year's rules and its gaps; the claims page shows the month's gaps
beside the form before anything is typed."""

from __future__ import annotations

import pytest

from openpcn.data.finance.models import Claim
from tests.finance.ledger_fixtures import staff

pytestmark = pytest.mark.django_db


def test_rules_page_lists_the_gaps_of_the_year(client):
    html = client.get("/rules/?year=2024-25").content.decode()
    assert "Rules for 2024-25" in html and "Gaps: figures not published" in html
    assert 'data-testid="gap-care_coordinator"' in html  # none published from 1 Oct 2024
    assert "1 Oct 2024 to 31 Mar 2025" in html
    assert "capped by actual salary plus employer on-costs" in html
    assert "arrs_max_reimbursement.clinical_pharmacist" in html
    assert "Role maxima not verified" in html


def test_rules_page_defaults_to_the_current_year_and_refuses_unknown_years(client):
    assert client.get("/rules/").status_code == 200
    response = client.get("/rules/?year=2030-31")
    assert response.status_code == 404 and "2030-31.yaml is missing" in response.content.decode()


def test_claims_page_shows_the_month_gaps_before_the_user_types(client, users):
    staff(role="care_coordinator", name="B")
    staff(name="A")
    client.force_login(users["pcn_lead"])
    html = client.get("/network/U00001/finance/claims/?month=2024-10").content.decode()
    gaps = html.index('data-testid="maxima-gaps"')
    assert gaps < html.index('id="claims"')  # above the form
    assert 'data-testid="maxima-gap-care_coordinator"' in html
    assert "no maximum published" in html and "/rules/?year=2024-25#gaps" in html
    assert "maximum-gap-clinical_pharmacist" not in html  # 65,838 from 1 Oct 2024 is verified
    assert not Claim.objects.exists()
