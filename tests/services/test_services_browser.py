"""In Chromium: align a care home and record its round; read the IIF page with its chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from openpcn.data.registry.loaders import import_file
from openpcn.data.services import care_homes
from openpcn.data.services import iif as presenters
from tests.browser import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIX = Path(__file__).parent / "fixtures"
REGISTRY = Path(__file__).parent.parent / "registry" / "fixtures"


def test_care_homes_and_iif(page, live_server, users):
    care_homes.clear()
    presenters.clear()
    for path in (
        REGISTRY / "map-2026-07.csv",
        REGISTRY / "all-2026-07.csv",
        FIX / "map-2024-01.csv",
        FIX / "all-2024-01.csv",
        FIX / "iif-2023-24.csv",
        FIX / "care-homes.csv",
    ):
        import_file(path)
    sign_in(page, live_server.url, "user-pcn_lead", PASSWORD)
    page.goto(live_server.url + "/network/U00001/care-homes/")
    page.get_by_test_id("align-1-000000001").click()
    expect(page.get_by_test_id("aligned")).to_contain_text("Oak Lodge")
    expect(page.get_by_test_id("aligned-beds")).to_have_text("30")
    page.get_by_test_id("round-done-1-000000001").click()
    expect(page.get_by_test_id("round-1-000000001")).to_contain_text("last")
    page.goto(live_server.url + "/network/U00001/iif/")
    expect(page.get_by_test_id("iif-table")).to_contain_text("ACC-08")
    expect(page.locator("#chart-iif-acc-08 svg")).to_be_visible()
    care_homes.clear()
    presenters.clear()
