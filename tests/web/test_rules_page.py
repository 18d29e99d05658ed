"""The rules page: public, today's year by default, every row with its source and caveat,
the gaps listed before anyone makes a claim."""

from __future__ import annotations

import pytest

from openpcn.core.fyear import FinancialYear
from openpcn.rules.loader import load_year
from openpcn.web.rules.year_page import roles

pytestmark = pytest.mark.django_db


def test_defaults_to_the_year_today_falls_in(client):
    page = client.get("/rules/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"The rules of {FinancialYear.current()}" in body


def test_2026_27_says_what_is_carried(client):
    body = client.get("/rules/2026-27/").content.decode()
    assert "assumed unchanged from 2025-26" in body
    assert "Capacity and Access" not in body  # left the PCN DES
    assert "1,754,000,000" in body  # the provisional pot is the year's own row


@pytest.mark.parametrize(
    ("url", "message"),
    [("/rules/2031-32/", "no rule file for 2031-32"), ("/rules/2024/", "not a financial year")],
)
def test_bad_year_is_a_message(client, url, message):
    page = client.get(url)
    assert page.status_code == 404
    assert message in page.content.decode()


@pytest.mark.parametrize("year", ["2019-20", "2022-23", "2024-25", "2026-27"])
def test_every_year_renders(client, year):
    assert client.get(f"/rules/{year}/").status_code == 200


def test_roles_without_a_maximum_are_gaps():
    views, gaps = roles(load_year("2025-26"))
    assert {v["id"] for v in views} >= {"clinical_pharmacist", "gp"}
    assert "other_direct_patient_care" in {g.role for g in gaps}  # none published, no band
    assert all(g.period and g.why for g in gaps)
    _views, carried = roles(load_year("2026-27"))
    assert any(g.row.carried_from == "2025-26" for g in carried)


def test_2024_25_page_lists_the_roles_with_no_published_maximum(client):
    body = client.get("/rules/2024-25/").content.decode()
    assert "Gaps: figures not published" in body
    assert "1 Oct 2024 to 31 Mar 2025" in body  # care co-ordinator, NA, GPA, band 7 ...
    assert "capped by actual salary plus employer on-costs" in body
    assert "the 2024-25 rule file holds no maximum" not in body  # every stretch is covered


def test_every_year_has_no_uncovered_role_stretch():
    from openpcn.rules.loader import load_all

    for rules in load_all().values():
        _, gaps = roles(rules)
        assert not [g for g in gaps if "holds no maximum" in g.why], rules.year


def test_claims_page_shows_the_month_gaps_before_the_user_types(client, users):
    from openpcn.data.finance.models import Claim
    from tests.finance.ledger_fixtures import staff

    staff(role="care_coordinator", name="B")
    staff(name="A")
    client.force_login(users["pcn_lead"])
    html = client.get("/network/U00001/finance/claims/?month=2024-10").content.decode()
    gaps = html.index('data-testid="maxima-gaps"')
    assert gaps < html.index('id="claims"')  # above the form
    assert 'data-testid="maxima-gap-care_coordinator"' in html
    assert "no maximum published" in html and "/rules/2024-25/#gaps" in html
    assert "maxima-gap-clinical_pharmacist" not in html  # 65,838 from 1 Oct 2024 is verified
    assert not Claim.objects.exists()
