"""End to end in Chromium: the explorer, a PCN page and a practice page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from openpcn.data.registry.loaders import import_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def loaded():
    for name in ("map-2026-07.csv", "all-2026-07.csv"):
        import_file(FIXTURES / name)


def test_explorer_pcn_and_practice(page, live_server, loaded):
    page.goto(live_server.url + "/explore/")
    expect(page.get_by_test_id("in-band-summary")).to_have_text("1 (33.3%)")
    expect(page.locator("#chart-histogram svg")).to_be_visible()
    page.fill("#band", "25000-40000")
    page.get_by_test_id("update-band").click()
    expect(page.get_by_test_id("in-band-summary")).to_have_text("2 (66.7%)")
    page.get_by_text("Show as a table").first.click()
    expect(page.get_by_test_id("table-histogram")).to_contain_text("35,000–39,999")
    with page.expect_download() as download:
        page.get_by_test_id("csv-histogram").click()
    assert download.value.suggested_filename.startswith("pcn-sizes-")

    page.fill("#search-field", "alpha north")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="ALPHA NORTH PCN").click()
    expect(page.get_by_test_id("pcn-population")).to_have_text("35,000")
    expect(page.get_by_test_id("members")).to_contain_text("all-2026-07.csv, 2026-07-01")
    expect(page.locator("#chart-pyramid, #chart-trend").first).to_be_visible()

    page.get_by_test_id("members").get_by_role("link", name="ALPHA SURGERY").click()
    expect(page.get_by_test_id("practice-population")).to_contain_text("20,000")
    expect(page.get_by_test_id("practice-pcn")).to_contain_text("ALPHA NORTH PCN")
    expect(page.get_by_test_id("history")).to_contain_text("map-2026-07.csv")
