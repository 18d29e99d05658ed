"""In Chromium: with the registry's map and totals of July 2026 and an LSOA registration file
in the published layout loaded, a PCN lead follows the workspace link to where the PCN's
patients live, sees the total, the misfit, the chart and how each was worked out, and goes
on to the neighbourhood it serves to see which PCNs its residents are registered with."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from openpcn.data.accounts.users import create_user
from openpcn.data.neighbourhoods import queries, residence, store
from openpcn.data.registry.loaders import import_file
from tests.browser import sign_in
from tests.conftest import PASSWORD
from tests.neighbourhoods.residence_data import ALL, MAP, practice_totals, spread, write
from tests.neighbourhoods.test_teams_browser import _lsoas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NORTH = ["E01011954", "E01011955", "E01011956"]
SOUTH = ["E01011957", "E01011958"]


def test_a_pcn_lead_sees_where_the_pcns_patients_live(page, live_server, tmp_path):
    import_file(MAP)
    import_file(ALL)
    _lsoas(NORTH + SOUTH)
    queries._AREAS.clear()
    areas = {p: NORTH + SOUTH for p in practice_totals()}
    areas["A00001"] = NORTH
    import_file(write(tmp_path / "gp-reg-pat-prac-lsoa-all.csv", spread(areas)))
    store.create(
        "North", "QAA", [(None, c) for c in NORTH], date(2026, 7, 1), pcns=["U00001"], by="t"
    )
    create_user("lead", "pcn_lead", "U00001", PASSWORD)
    expected = residence.for_pcn("U00001", date.today())
    sign_in(page, live_server.url, "lead", PASSWORD)
    page.goto(live_server.url + "/network/U00001/")
    page.get_by_role("link", name="Where the PCN's patients live (neighbourhoods)").click()
    expect(page.locator("h1")).to_have_text("Where the PCN's patients live")
    expect(page.get_by_test_id("total")).to_have_text(f"{expected['total']['value']:,}")
    expect(page.get_by_test_id("misfit")).to_have_text(f"{expected['misfit']['value']}%")
    expect(page.locator("#chart-residence svg")).to_be_visible()
    page.get_by_text("How was this worked out?").nth(2).click()
    expect(page.get_by_text("of none of North (patients with no LSOA recorded")).to_be_visible()
    expect(page.get_by_test_id("by-neighbourhood-North")).to_contain_text("North")
    page.goto(live_server.url + "/neighbourhoods/U00001/north/")
    r = residence.for_neighbourhood(queries.find("North")[0], date.today())
    expect(page.get_by_test_id("residents")).to_have_text(f"{r['residents']['value']:,}")
    expect(page.locator("#chart-residence svg")).to_be_visible()
    expect(page.get_by_test_id("by-pcn-U00001")).to_be_visible()
