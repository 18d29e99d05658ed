"""PCN U00001 (A00001, A00002; B00001 is in U00002) with the 2024-25 NHS England PCN
population file imported: adjusted populations 16,500 and 12,500, so U00001's is 29,000."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

YEAR = "2024-25"
ON = date(2024, 7, 1)
ADJUSTED = {"A00001": 16500, "A00002": 12500, "B00001": 9500}


@pytest.fixture
def pcn(orgs):
    from openpcn.data.finance import entitlements
    from openpcn.data.registry.models import DesPopulation, IngestedFile

    src = IngestedFile.objects.create(
        name="pcn_data_2024-25.csv", path="test", sha256="g" * 64, kind="des_population",
        as_of=date(2024, 1, 1),
    )  # fmt: skip
    for code, adjusted in ADJUSTED.items():
        DesPopulation.objects.create(
            practice=orgs[code], financial_year=YEAR, pcn_name="",
            pcn_code="U00002" if code == "B00001" else "U00001",
            raw_list_size=adjusted - 500, adjusted_population=Decimal(adjusted),
            weighted_population=Decimal(adjusted), source=src,
        )  # fmt: skip
    entitlements.clear()
    return orgs["U00001"]


def counts() -> dict[str, int]:
    from openpcn.data.governance import models as m

    return {
        name: model.objects.count()
        for name, model in (
            ("agreements", m.Agreement), ("parties", m.AgreementParty),
            ("decisions", m.Decision), ("meetings", m.GovernanceMeeting),
            ("actions", m.GovernanceAction), ("cd", m.CdTime),
            ("assessments", m.Assessment), ("scores", m.Score),
        )
    }  # fmt: skip
