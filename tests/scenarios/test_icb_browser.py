"""Issue 16's ICB half, in a real browser: an ICB commissioner goes from the ICB's page to its
scenarios, proposes "practice A00002 moves from Alpha North PCN (U00001) to Alpha South PCN
(U00003) from October" and sees both PCNs' effects and the ICB's totals."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in
from tests.conftest import PASSWORD
from tests.scenarios.icb_fixtures import second_pcn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def row(table, effect: str, item: str):
    return table.locator("tbody tr").filter(has_text=effect).filter(has_text=item)


def test_a_commissioner_moves_a_practice_and_sees_both_pcns_effects(page, live_server, users,
                                                                   small):  # fmt: skip
    from openpcn.data.registry.national import clear_views
    from openpcn.data.scenarios.models import Scenario

    second_pcn(small["orgs"])
    clear_views()
    sign_in(page, live_server.url, users["icb_commissioner"].username, PASSWORD)
    page.goto(f"{live_server.url}/icb/QAA/")
    page.click("[data-testid=icb-plans-link]")
    page.fill("#name", "A00002 to Alpha South")
    page.fill("#as_at", "2024-07-01")
    page.click("[data-testid=create]")
    expect(page.get_by_text("Scenario 'A00002 to Alpha South' saved.")).to_be_visible()

    page.select_option("#practice_moves-scenario", label="A00002 to Alpha South")
    page.select_option("#practice_moves-practice", "A00002")
    page.select_option("#practice_moves-to_pcn", "U00003")
    page.fill("#practice_moves-start", "2024-10-01")
    page.click("[data-testid=add-practice_moves]")
    expect(page.get_by_text("'A00002 to Alpha South' saved as version 2.")).to_be_visible()
    sc = Scenario.objects.get(name="A00002 to Alpha South")
    expect(page.locator(f"[data-testid=changes-{sc.pk}]")).to_contain_text(
        "practice A00002 moves to U00003 from 2024-10-01"
    )
    north = page.locator(f"[data-testid=differences-{sc.pk}-U00001]")
    south = page.locator(f"[data-testid=differences-{sc.pk}-U00003]")
    expect(row(north, "Size", "registered patients")).to_contain_text("-12,000")
    expect(row(south, "Size", "registered patients")).to_contain_text("+12,000")
    expect(north.get_by_role("row", name=re.compile("^ARRS sum"))).to_contain_text("-£")
    expect(south.get_by_role("row", name=re.compile("^ARRS sum"))).to_contain_text("+£")
    expect(south.get_by_role("row", name=re.compile("^ARRS underspend"))).to_contain_text("+£")
    expect(page.get_by_role("heading", name="The ICB's totals")).to_be_visible()
    page.goto(f"{live_server.url}/icb/QAA/plans/?show={sc.pk}&all=1")  # every total, with how
    totals = page.locator(f"[data-testid=totals-{sc.pk}]")
    expect(totals.get_by_role("row", name=re.compile("^Size bands PCNs below"))).to_contain_text(
        "how many of the ICB's PCNs"
    )
    expect(totals.get_by_role("row", name=re.compile("^Size registered"))).to_contain_text("39,000")
    expect(page.locator(f"[data-testid=pcn-{sc.pk}-U00001]")).to_have_text(
        "Alpha North PCN (U00001)"
    )
    expect(page.locator(f"[data-testid=pcn-{sc.pk}-U00003]")).to_have_text(
        "Alpha South PCN (U00003)"
    )
    expect(page.locator(f"[data-testid=xlsx-{sc.pk}]")).to_be_visible()
