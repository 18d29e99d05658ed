"""The IIF file through the import pipeline, the scoped PCN page and the API."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from openpcn.data.registry.loaders import ImportFailed, import_file
from openpcn.data.services import iif as presenters
from openpcn.data.services.models import IifMeasure

pytestmark = pytest.mark.django_db
FIX = Path(__file__).parent / "fixtures"


@pytest.fixture
def loaded(users):
    presenters.clear()
    for name in ("map-2024-01.csv", "all-2024-01.csv", "iif-2023-24.csv"):
        import_file(FIX / name)
    yield
    presenters.clear()


def test_rolls_up_practices_to_pcns(loaded):
    year = presenters.iif_year("2023-24")
    alpha = next(r for r in year.results if r.pcn_code == "U00001")
    # 900 + 840 of 1000 + 1000 = 87.0%: between 85 and 90, so 71 x (87 - 85) / 5 = 28.4 points
    assert (alpha.numerator, alpha.denominator) == (1740, 2000)
    assert alpha.achievement_pct == Decimal("87")
    assert alpha.points.quantize(Decimal("0.01")) == Decimal("28.40")
    assert alpha.next_threshold == ("upper", 60)  # 1800 of 2000 reaches 90%
    assert alpha.amount > 0 and not alpha.figure.verified  # £ per point is unverified


def test_missing_measure_refuses_the_file(users):
    import_file(FIX / "map-2024-01.csv")
    with pytest.raises(ImportFailed, match="iif-missing-measure.csv.*A00003.*Numerator"):
        import_file(FIX / "iif-missing-measure.csv")
    assert IifMeasure.objects.count() == 0


def test_iif_page_scoped(client, users, loaded):
    client.force_login(users["pcn_lead"])
    html = client.get("/network/U00001/iif/").content.decode()
    # ACC-08 counts appointments, not patients: the unit is the indicator definition's
    assert "ACC-08" in html and "87.00%" in html and "60 more appointments" in html
    assert "more patients" not in html
    assert "unverified" in html and "How was this worked out?" in html
    assert client.get("/network/U00002/iif/").status_code == 403
    body = client.get("/api/services/iif/U00001").json()
    assert body[0]["points"] == "28.40" and body[0]["figure"]["verified"] is False
