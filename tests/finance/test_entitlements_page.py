"""Entitlements in the product: from the imported NHS England population file, scoped."""

from __future__ import annotations

from pathlib import Path

import pytest

from openpcn.data.finance import entitlements as presenters
from openpcn.data.registry.loaders import import_file

pytestmark = pytest.mark.django_db
REGISTRY = Path(__file__).parent.parent / "registry" / "fixtures"


@pytest.fixture
def loaded(users):
    presenters.clear()
    for name in ("map-2026-07.csv", "all-2026-07.csv", "des-2025-26.csv"):
        import_file(REGISTRY / name)
    yield
    presenters.clear()


def test_page_shows_every_stream_with_its_basis(client, users, loaded):
    client.force_login(users["pcn_lead"])
    html = client.get("/network/U00001/finance/").content.decode()
    # Alpha North 2025-26: registered 19,800 + 14,900; adjusted 20,500 + 14,100
    assert "registered 34,700" in html and "adjusted 34,600" in html
    assert "Enhanced Access" in html and "How was this worked out?" in html
    assert "has no weighted population" in html  # ARRS needs it and is not guessed
    assert client.get("/network/U00001/finance/?year=1999-00").status_code == 404


def test_finance_is_not_for_practice_managers_or_other_pcns(client, users, loaded):
    client.force_login(users["practice_manager"])
    assert client.get("/network/U00001/finance/").status_code == 403
    client.force_login(users["pcn_lead"])
    assert client.get("/network/U00003/finance/").status_code == 403


def test_entitlements_api(client, users, loaded):
    client.force_login(users["icb_commissioner"])
    rows = client.get("/api/finance/entitlements/U00001?year=2025-26").json()
    core = next(r for r in rows if r["stream"] == "core_pcn_funding")
    assert core["annual_amount"] and core["figure"]["rules"]
    bad = client.get("/api/finance/entitlements/U00001?year=2030-31")
    assert bad.status_code == 404 and "no rule file for 2030-31" in bad.json()["detail"]
    assert "2030-31.yaml" in bad.json()["detail"]
    assert client.get("/api/finance/entitlements/U00001?year=2025").status_code == 422


def test_entitlements_default_to_the_year_today_falls_in(client, users, loaded):
    """No year asked: the financial year of today's date (2026-27 on 3 Dec 2026), its
    unpublished figures carried from 2025-26 and its populations from the newest file, and
    every figure saying so."""
    from openpcn.core.fyear import FinancialYear

    client.force_login(users["icb_commissioner"])
    rows = client.get("/api/finance/entitlements/U00001").json()
    assert {r["year"] for r in rows} == {str(FinancialYear.current())}
    core = next(r for r in rows if r["stream"] == "core_pcn_funding")
    if str(FinancialYear.current()) == "2026-27":
        assert "assumed unchanged from 2025-26" in core["notes"]
        assert "stand in" in core["notes"]
        caveats = [r["caveat"] for r in core["figure"]["rules"]]
        assert caveats and all("assumed unchanged from 2025-26" in c for c in caveats)
    page = client.get("/network/U00001/finance/")
    assert page.status_code == 200
    assert str(FinancialYear.current()) in page.content.decode()
