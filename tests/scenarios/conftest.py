"""A small PCN for the scenario tests: U00001 (A00001, A00002) with two staff and a vacancy;
B00001 is in U00002. 2024-25 population file with weighted lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

YEAR = "2024-25"
PCN = "U00001"
LISTS = {"A00001": (16000, 17000), "A00002": (12000, 13000), "B00001": (9000, 9500)}


@pytest.fixture
def small(orgs):
    from openpcn.data.finance import entitlements  # Django only here: the engine tests run
    from openpcn.data.finance.models import Vacancy  # without it (-p no:django)
    from openpcn.data.registry.models import DesPopulation, IngestedFile
    from tests.finance.ledger_fixtures import staff

    src = IngestedFile.objects.create(
        name="test_pcn_data_2024-25.csv", path="test", sha256="s" * 64,
        kind="des_population", as_of=date(2024, 1, 1),
    )  # fmt: skip
    for code, (raw, weighted) in LISTS.items():
        DesPopulation.objects.create(
            practice=orgs[code], financial_year=YEAR,
            pcn_code="U00002" if code == "B00001" else PCN, pcn_name="",
            raw_list_size=raw, adjusted_population=Decimal(raw + 500),
            weighted_population=Decimal(weighted), source=src,
        )  # fmt: skip
    entitlements.clear()
    cp = staff()  # clinical pharmacist, 1 WTE, £5,025 a month with on-costs
    splw = staff(role="social_prescribing_link_worker", wte="0.6", gross="1500.00",
                 ni="120.00", pension="215.00", name="Sam Example")  # fmt: skip
    vac = Vacancy.objects.create(
        pcn=orgs[PCN], role="pharmacy_technician", wte=Decimal(1), planned_start=date(2024, 10, 1)
    )
    return {"cp": cp, "splw": splw, "vacancy": vac, "orgs": orgs}


def registered_counts(orgs):
    """Every practice's registered patients in a June 2024 extract (the rota's list sizes)."""
    from openpcn.data.registry.models import IngestedFile, RegisteredPopulation

    src = IngestedFile.objects.create(name="gp-reg-pat-prac-all.csv", path="/d/x/a.csv",
                                      sha256="g" * 64, kind="gp_reg_all",
                                      as_of=date(2024, 6, 1))  # fmt: skip
    for code, (raw, _) in LISTS.items():
        RegisteredPopulation.objects.create(org=orgs[code], extract_date=date(2024, 6, 1),
                                            sex="ALL", age_kind="all", age="ALL", count=raw,
                                            source=src)  # fmt: skip
