"""The role cost page, its Excel download and the API: the same breakdown, bad input as a
message a person can act on (never a 500)."""

from __future__ import annotations

import io
import shutil
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from openpcn.core.fyear import FinancialYear
from openpcn.rules.loader import DATA_DIR

pytestmark = pytest.mark.django_db
PAGE = "/finance/role-cost/"


def test_page_opens_on_the_current_year_with_its_roles(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    current = str(FinancialYear.containing(date.today()))
    assert f'<option value="{current}" selected>' in html
    assert 'value="pharmacy_technician"' in html
    assert 'data-testid="breakdown"' not in html


def test_page_shows_each_line_with_its_source_and_the_maximum(client):
    html = client.get(PAGE + "?year=2025-26&role=gp&salary=82418&region=national").content.decode()
    assert 'data-testid="breakdown"' in html
    assert "£105,882.41" in html  # the cost, to the penny
    assert "£105,882.00" in html  # arrs_max_reimbursement.gp
    assert "pay/2025-26.yaml line" in html
    assert "How was this worked out?" in html
    assert "[P11]" in html  # the NI rate's source


@pytest.mark.parametrize(
    "query,message",
    [
        ("?year=2023-24&role=gp&salary=70000", "is not an ARRS role in 2023-24"),
        ("?year=2025-26&role=pharmacy_technician&point=9", "band 5 has points 1, 2, 3"),
        ("?year=2025-26&role=pharmacy_technician&point=1&wte=lots", "WTE must be a number"),
        ("?year=2025-26&role=pharmacy_technician&point=1&on=2026-07-01", "is outside 2025-26"),
        ("?year=2025-26&role=pharmacy_technician&point=1&on=1st May", "is not a date"),
        ("?year=2030-31&role=gp", "rules/data/pay/2030-31.yaml not found"),
        ("?year=soon&role=gp", "is not a financial year"),
        ("?year=2025-26&role=pharmacy_technician&point=1&salary=-5", "salary must be 0 or more"),
    ],
)
def test_bad_input_is_a_message_not_a_500(client, query, message):
    response = client.get(PAGE + query)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert 'data-testid="problem"' in html
    assert message.lower() in html.lower()
    api = client.get("/api/finance/role-cost" + (query if "role=" in query else query))
    assert api.status_code == 422
    assert message.lower() in api.json()["detail"].lower()


def test_excel_download_has_cost_and_sources_sheets(client):
    response = client.get(
        "/finance/role-cost/cost.xlsx?year=2024-25&role=pharmacy_technician&point=2"
        "&region=london_outer&wte=0.5"
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Cost", "Sources"]
    sources = list(wb["Sources"].iter_rows(values_only=True))
    assert sources[0][:2] == ("Year", "Key")
    keys = {row[1] for row in sources[1:]}
    assert {
        "pay.afc.band_5.point_2",
        "pay.hcas.london_outer.percent",
        "pay.employer_ni.rate",
    } <= keys
    assert all(row[6] in ("yes", "no") for row in sources[1:])
    assert any(str(row[4]).startswith("pay/2024-25.yaml line") for row in sources[1:])
    cost = [row for row in wb["Cost"].iter_rows(values_only=True) if row and row[0] == "Salary"]
    assert cost[0][1] == Decimal("32324.00") or cost[0][1] == 32324


def test_api_returns_the_same_breakdown(client):
    data = client.get(
        "/api/finance/role-cost?role=gp&year=2024-25&on=2024-10-01&salary=73114"
    ).json()
    assert data["annual_per_wte"]["total"]["value"] == "92461.72"
    assert data["months"] == 6 and data["end"] == "2025-03-31"
    assert data["maximum_per_wte_per_year"]["value"] == "92462"
    assert any(s["key"] == "pay.employer_pension.rate" for s in data["sources"])


def test_a_bad_pay_file_is_a_message_naming_file_line_and_field(client, tmp_path, monkeypatch):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    pay_file = tmp_path / "data" / "pay" / "2025-26.yaml"
    pay_file.write_text(pay_file.read_text().replace('rate: "14.38"', 'rate: "-1"'))
    monkeypatch.setenv("OPENPCN_RULES_DIR", str(tmp_path / "data"))
    response = client.get(PAGE + "?year=2025-26&role=pharmacy_technician&point=1")
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "pay/2025-26.yaml line" in html and "employer_pension #0" in html
    assert "must not be negative" in html
    api = client.get("/api/finance/role-cost?year=2025-26&role=pharmacy_technician&point=1")
    assert api.status_code == 422 and "pay/2025-26.yaml line" in api.json()["detail"]
