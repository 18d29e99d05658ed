"""The ICB commissioner's comparison of its PCNs: workforce and IIF beside size."""

from __future__ import annotations

from pathlib import Path

import pytest

from openpcn.data.registry.loaders import import_file
from openpcn.data.services import iif as iif
from openpcn.data.workforce import benchmark as workforce

pytestmark = pytest.mark.django_db
TESTS = Path(__file__).parent.parent


def test_icb_page_compares_pcns(client, users):
    workforce.clear()
    iif.clear()
    for path in (
        "registry/fixtures/map-2026-07.csv",
        "registry/fixtures/all-2026-07.csv",
        "services/fixtures/map-2024-01.csv",
        "services/fixtures/all-2024-01.csv",
        "services/fixtures/iif-2023-24.csv",
        "workforce/fixtures/nwrs-2026-06.csv",
    ):
        import_file(TESTS / path)
    client.force_login(users["icb_commissioner"])
    html = client.get("/icb/QAA/").content.decode()
    row = html.split("ALPHA NORTH PCN</a>")[1].split("</tr>")[0]
    assert ">35,000<" in row  # registered patients
    assert "0.43 (" in row  # 1.5 ARRS FTE per 35,000 patients, per 10,000
    assert "87.00%" in row  # ACC-08, rolled up from its practices
    assert "BETA PCN" not in html  # another ICB's PCN
    assert "nwrs-2026-06.csv" in html and "iif-2023-24.csv" in html
    workforce.clear()
    iif.clear()
