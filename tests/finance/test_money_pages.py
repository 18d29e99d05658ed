"""Forecast (with the underspend alert and its chart), income split, the ICB overview and the
same figures through the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.data.finance import entitlements
from openpcn.data.finance.models import Claim, Vacancy
from openpcn.data.registry.models import Organisation
from tests.finance.ledger_fixtures import YEAR, staff, weighted_file

pytestmark = pytest.mark.django_db
FORECAST = "/network/U00001/finance/forecast/"


def arrs_sum() -> Decimal:
    streams, _ = entitlements.pcn_entitlements("U00001", YEAR)
    return next(s.annual_amount for s in streams if s.stream == "arrs")


def test_small_register_alerts_projected_underspend(client, users):
    weighted_file()  # 35,000 weighted patients
    staff()  # one clinical pharmacist, 5,025.00 a month
    client.force_login(users["pcn_lead"])
    html = client.get(FORECAST + f"?year={YEAR}&as_of=2024-04-01").content.decode()
    assert 'data-testid="underspend-alert"' in html
    assert 'data-testid="chart-arrs"' in html and "Show as a table" in html
    api = client.get(f"/api/finance/forecast/U00001?year={YEAR}&as_of=2024-04-01").json()
    pot = api["pots"]["arrs"]
    assert pot["alert"] is True and Decimal(pot["sum"]) == arrs_sum()
    # April-September at 62,340/12 = 5,195 cap (pay 5,025 below it), October-March 5,025
    assert Decimal(pot["committed"]) == Decimal("5025.00") * 12
    assert Decimal(pot["underspend"]) == arrs_sum() - Decimal("60300.00")
    assert len(pot["by_month"]) == 12 and api["headroom"]
    csv = client.get(FORECAST + f"?year={YEAR}&as_of=2024-04-01&csv=1")
    assert csv["Content-Type"] == "text/csv" and csv.content.decode().count("\n") == 13


def test_no_alert_when_committed_is_within_5_percent(client, users):
    weighted_file(weighted=(1000, 1000))  # a tiny ARRS sum
    staff()
    client.force_login(users["pcn_lead"])
    api = client.get(f"/api/finance/forecast/U00001?year={YEAR}&as_of=2024-04-01").json()
    pot = api["pots"]["arrs"]
    assert pot["alert"] is False and Decimal(pot["overspend"]) > 0
    html = client.get(FORECAST + f"?year={YEAR}&as_of=2024-04-01").content.decode()
    assert "underspend-alert" not in html and "overspend (not reimbursed)" in html


def test_claims_and_vacancies_count_in_the_forecast(client, users):
    weighted_file()
    member = staff()
    Claim.objects.create(
        staff=member, month=date(2024, 4, 1), gross_pay=1, employer_ni=0, employer_pension=0,
        claimed_amount=Decimal("1234.56"), cap=Decimal("5195"), status="approved",
    )  # fmt: skip
    Vacancy.objects.create(
        pcn=Organisation.objects.get(code="U00001"),
        role="clinical_pharmacist",
        wte=Decimal("1"),
        planned_start=date(2025, 1, 1),
    )
    client.force_login(users["icb_commissioner"])
    pot = client.get(f"/api/finance/forecast/U00001?year={YEAR}&as_of=2024-05-15").json()
    pot = pot["pots"]["arrs"]
    assert Decimal(pot["actual"]) == Decimal("1234.56")
    # May-March for the post (11 x 5,025) + the vacancy at its cap Jan-Mar (65,838 / 12 x 3)
    assert Decimal(pot["projected"]) == Decimal("5025.00") * 11 + Decimal("16459.50")
    page = client.get(f"/network/U00001/finance/forecast/?year={YEAR}&as_of=2024-05-15")
    body = page.content.decode()
    assert page.status_code == 200
    # every figure says how it was worked out: the sum from its rule and population, the
    # claims from the ledger, the projection from the register and the maxima, the gap from them
    assert body.count('data-testid="explain"') >= 4
    assert "arrs_rate_per_weighted_patient" in body and "claims ledger" in body
    assert "arrs_max_reimbursement.clinical_pharmacist" in body
    assert "not carried forward" in body


def test_forecast_without_an_arrs_sum_says_why_and_which_years_can_be_forecast(client, users):
    staff()
    client.force_login(users["pcn_lead"])
    response = client.get(FORECAST + f"?year={YEAR}")
    page = response.content.decode()
    assert response.status_code == 200 and "ARRS sum is not known" in page
    assert 'data-testid="forecast-unavailable"' in page and f"The {YEAR} forecast" in page
    assert "No year&#39;s forecast can be made" in page or "No year's forecast" in page
    api = client.get(f"/api/finance/forecast/U00001?year={YEAR}")
    assert api.status_code == 422, api.content  # the PCN is known; its year cannot be forecast
    assert "ARRS sum is not known" in api.json()["detail"]
    assert "Years that can be forecast: none" in api.json()["detail"]
    weighted_file()  # the year's population file, with weighted populations
    assert client.get(FORECAST + f"?year={YEAR}").status_code == 200
    other = client.get(FORECAST + "?year=2023-24").content.decode()
    assert "The 2023-24 forecast cannot be made" in other
    assert f'<a href="{FORECAST}?year={YEAR}">{YEAR}</a>' in other
    api = client.get("/api/finance/forecast/U00001?year=2023-24").json()
    assert "Years that can be forecast: " in api["detail"]
    assert YEAR in api["detail"].split("Years that can be forecast: ")[1]


def test_forecast_of_a_year_that_is_not_one_names_the_mistake(client, users):
    client.force_login(users["pcn_lead"])
    response = client.get(FORECAST + "?year=1999-00")
    assert response.status_code == 400 and "the end must be the year after" in (
        response.content.decode()
    )
    assert 'data-testid="forecast-years"' in response.content.decode()


SPLIT = "/network/U00001/finance/split/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("method=equal&total=1000.01", {"A00001": "500.01", "A00002": "500.00"}),
        ("method=points&total=100&w_A00001=1&w_A00002=2", {"A00001": "33.33", "A00002": "66.67"}),
        (
            "method=percentages&total=99.99&w_A00001=60&w_A00002=40",
            {"A00001": "59.99", "A00002": "40.00"},
        ),
        ("method=weighted&total=350&year=2024-25", {"A00001": "200.00", "A00002": "150.00"}),
    ],
)
def test_split_adds_up_to_the_total(client, users, query, expected):
    weighted_file()
    client.force_login(users["pcn_lead"])
    html = client.get(f"{SPLIT}?{query}").content.decode()
    for code, amount in expected.items():
        assert f'data-testid="share-{code}">£{amount}<' in html
    total = sum(Decimal(v) for v in expected.values())
    assert f'data-testid="shares-total"><strong>£{total:,.2f}<' in html
    assert html.count('data-testid="explain"') == len(expected)  # each share says how
    assert "largest remainders" in html
    if "weighted" in query:
        assert "weighted list sizes" in html and "population file" in html


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (
            "method=percentages&total=100&w_A00001=60&w_A00002=30",
            "Percentages add up to 90, not 100",
        ),
        ("method=percentages&total=100&w_A00001=sixty", "as a number"),
        ("method=equal&total=ten pounds", "as an amount of money"),
        ("method=equal&total=10.001", "not a whole number of pennies"),
        ("method=weighted&total=100&year=2025-26", "population file holds U00001"),
    ],
)
def test_bad_split_input_gets_a_clear_message(client, users, query, words):
    client.force_login(users["pcn_lead"])
    html = client.get(f"{SPLIT}?{query}").content.decode()
    assert "There is a problem" in html and words in html and "shares-total" not in html


def test_icb_overview_lists_its_pcns(client, users):
    weighted_file()
    staff()
    client.force_login(users["icb_commissioner"])
    html = client.get(f"/icb/QAA/finance/?year={YEAR}").content.decode()
    assert 'data-testid="pcn-U00001"' in html and "U00002" not in html
    assert f"£{arrs_sum():,.2f}" in html and "over 5%" in html
    row = html.split('data-testid="pcn-U00001"')[1].split("</tr>")[0]
    assert 'data-testid="explain"' in row and "arrs_rate_per_weighted_patient" in row
    assert 'data-testid="icb-method"' in html and "rejected claims are not counted" in html
    assert client.get("/icb/QBB/finance/").status_code == 403
    client.force_login(users["pcn_lead"])
    assert client.get("/icb/QAA/finance/").status_code == 403


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("pcn_lead", "/api/finance/claims/U00001?month=2024-10", 200),
        ("pcn_lead", "/api/finance/claims/U00002?month=2024-10", 403),
        ("clinician", "/api/finance/claims/U00001?month=2024-10", 403),
        ("practice_manager", "/api/finance/forecast/U00001?year=2024-25", 403),
        ("icb_commissioner", "/api/finance/register/U00001", 200),
        ("icb_commissioner", "/api/finance/register/U00002", 403),
        ("pcn_lead", "/api/finance/claims/U00001?month=Oct", 422),
        ("pcn_lead", "/api/finance/forecast/U00001?year=2024-25&as_of=soon", 422),
    ],
)
def test_finance_api_is_scoped(client, users, role, path, status):
    client.force_login(users[role])
    response = client.get(path)
    assert response.status_code == status and response["Content-Type"].startswith(
        "application/json"
    )


def test_icb_claimed_equals_the_pcns_own_claims_page(client, users):
    weighted_file()
    for status, amount, role in [("draft", "100.00", "clinical_pharmacist"),
                                 ("submitted", "200.00", "clinical_pharmacist"),
                                 ("approved", "300.00", "pharmacy_technician"),
                                 ("rejected", "400.00", "clinical_pharmacist"),
                                 ("approved", "500.00", "gp")]:  # fmt: skip
        Claim.objects.create(
            staff=staff(role=role, name=status), month=date(2024, 10, 1), gross_pay=1,
            employer_ni=0, employer_pension=0, claimed_amount=Decimal(amount),
            cap=Decimal("5195"), status=status,
        )  # fmt: skip
    client.force_login(users["icb_commissioner"])
    icb = client.get(f"/icb/QAA/finance/?year={YEAR}").content.decode()
    row = icb.split('data-testid="pcn-U00001"')[1].split("</tr>")[0]
    page = client.get("/network/U00001/finance/claims/?month=2024-10").content.decode()
    total = page.split('data-testid="total"')[1].split("</td>")[0]
    # claimed = submitted + approved (ARRS and GP), on both pages: drafts and rejected are not
    assert "£1,000.00" in row and "£1,000.00" in total
