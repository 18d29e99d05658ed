"""Planned recruits and vacancies in the forecast: costed from their band and pay point with the
role cost calculator when both are known, else at the role maximum; the explanation says which."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.data.finance.models import Vacancy as VacancyRow
from openpcn.data.registry.models import Organisation
from openpcn.finance.forecast import Vacancy, forecast
from openpcn.rules import load_year
from openpcn.rules.pay import load_pay
from tests.finance.ledger_fixtures import YEAR, weighted_file

R, P = load_year("2024-25"), load_pay("2024-25")
SUMS = {"arrs": Decimal("1000000")}
# pharmacy technician, band 5 point 1 (29,970) in 2024/25, one full-time month:
# 29,970 / 12 + 13.8% x (29,970 - 9,100) / 12 + 14.38% x 29,970 / 12
MONTH = Decimal("2497.50") + Decimal("240.01") + Decimal("359.14")
CAP = Decimal("3536.42")  # 42,437 / 12, the 1 Oct 2024 maximum, to the penny each month
CASES = [
    # (band, point, pay file?, projected Jan-Mar 2025, words in the explanation)
    ("5", 1, True, MONTH * 3, "costed from Agenda for Change band 5 point 1 (pay/2024-25.yaml)"),
    (None, None, True, CAP * 3, "at the role maximum (no band or pay point"),
    ("5", 1, False, CAP * 3, "no pay file for 2024-25"),
    ("5", 9, True, CAP * 3, "at the role maximum (band 5 has points 1, 2, 3"),
]


@pytest.mark.parametrize("band,point,with_pay,projected,words", CASES)
def test_vacancy_costing(band, point, with_pay, projected, words):
    v = Vacancy("V1", "pharmacy_technician", Decimal(1), date(2025, 1, 1), band=band, point=point)
    fc = forecast(R, SUMS, [], [v], as_of=date(2024, 4, 1), pay_table=P if with_pay else None)
    assert fc.pots["arrs"].projected == projected.quantize(Decimal("0.01"))
    assert words in fc.costing[0], fc.costing


@pytest.mark.django_db
def test_vacancy_with_band_and_point_from_the_register_page_to_the_forecast(client, users):
    weighted_file()
    client.force_login(users["pcn_lead"])
    url = "/network/U00001/finance/staff/"
    post = {"role": "pharmacy_technician", "wte": "1", "planned_start": "2025-01-01"}
    bad = client.post(url, {**post, "afc_band": "5", "pay_point": "first"})
    assert bad.status_code == 400 and not VacancyRow.objects.exists()
    assert "Enter the pay point as a whole number" in bad.content.decode()
    assert client.post(url, {**post, "afc_band": "5", "pay_point": "1"}).status_code == 302
    row = VacancyRow.objects.get()
    assert (row.afc_band, row.pay_point) == ("5", 1)
    assert "band 5 point 1" in client.get(url).content.decode()
    data = client.get(f"/api/finance/forecast/U00001?year={YEAR}&as_of=2024-04-01").json()
    assert Decimal(data["pots"]["arrs"]["projected"]) == MONTH * 3
    assert any("costed from Agenda for Change band 5 point 1" in i for i in data["issues"])
    VacancyRow.objects.create(
        pcn=Organisation.objects.get(code="U00001"), role="pharmacy_technician",
        wte=Decimal(1), planned_start=date(2025, 1, 1),
    )  # fmt: skip
    html = client.get(f"/network/U00001/finance/forecast/?year={YEAR}&as_of=2024-04-01")
    assert "costed at the role maximum (no band or pay point given)" in html.content.decode()
