"""Issue 16, in a real browser: a PCN lead proposes "recruit 1.0 WTE first contact
physiotherapist, band 7, from July" and "practice A00002 leaves from October", sees the
forecast, split and coverage effects of each, compares them side by side and adopts the first.
A second test solves a scenario's sample-week rota from the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def row(table, effect: str, item: str):
    return table.locator("tbody tr").filter(has_text=effect).filter(has_text=item)


def _create(page, name: str) -> None:
    page.fill("#name", name)
    page.fill("#as_at", "2024-07-01")
    page.click("[data-testid=create]")
    expect(page.get_by_text(f"Scenario '{name}' saved.")).to_be_visible()


def test_a_lead_proposes_two_scenarios_compares_them_and_adopts_the_first(
    page, live_server, users, small
):
    from openpcn.data.finance.models import StaffMember
    from openpcn.data.registry.national import clear_views
    from openpcn.data.scenarios.models import Scenario
    from tests.scenarios.conftest import registered_counts

    registered_counts(small["orgs"])  # registered lists, for coverage
    clear_views()

    sign_in(page, live_server.url, users["pcn_lead"].username, PASSWORD)
    page.goto(f"{live_server.url}/network/U00001/plans/")

    _create(page, "Physio from July")
    page.select_option("#recruit-scenario", label="Physio from July")
    page.select_option("#recruit-role", "first_contact_physiotherapist")
    page.fill("#recruit-wte", "1.0")
    page.fill("#recruit-band", "7")
    page.fill("#recruit-start", "2024-07-01")
    page.select_option("#recruit-employer", "A00001")
    page.select_option("#recruit-base_site", "A00001")
    page.click("[data-testid=add-recruit]")
    expect(page.get_by_text("'Physio from July' saved as version 2.")).to_be_visible()
    recruit = Scenario.objects.get(name="Physio from July")
    changes = page.locator(f"[data-testid=changes-{recruit.pk}]")
    expect(changes).to_contain_text("recruit 1.0 WTE first_contact_physiotherapist from 2024-07-01")
    table = page.locator("[data-testid=differences]")
    physio = "first_contact_physiotherapist"
    expect(row(table, "ARRS", "year-end forecast")).to_contain_text("+£")
    expect(row(table, "ARRS WTE by role", physio)).to_contain_text("+1.0")
    expect(row(table, "Coverage: practices reached", physio)).to_contain_text("+1")
    expect(row(table, "Coverage: sessions a week", physio)).to_contain_text("+9")

    _create(page, "A00002 leaves")
    page.select_option("#leaves-scenario", label="A00002 leaves")
    page.select_option("#practice_leaves-practice", "A00002")
    page.fill("#practice_leaves-start", "2024-10-01")
    page.click("[data-testid=add-leaves]")
    expect(page.get_by_text("'A00002 leaves' saved as version 2.")).to_be_visible()
    leaves = Scenario.objects.get(name="A00002 leaves")
    expect(page.locator(f"[data-testid=changes-{leaves.pk}]")).to_contain_text(
        "practice A00002 leaves from 2024-10-01"
    )
    expect(row(table, "Income split", "A00002")).to_contain_text("changed")  # not a member
    expect(row(table, "Income split", "A00001")).to_have_count(1)  # its share differs
    expect(row(table, "Size", "registered patients")).to_contain_text("-12,000")

    page.check(f"#show-{recruit.pk}")
    page.check(f"#show-{leaves.pk}")
    page.click("[data-testid=compare]")
    expect(table.locator("th", has_text="Difference")).to_have_count(2)
    # one table, both scenarios beside one baseline: the recruit's column shows the physio,
    # the leaver's column A00002's share gone
    heads = table.locator("thead th")
    expect(heads).to_have_count(7)
    expect(heads.filter(has_text="Physio from July")).to_have_count(1)
    expect(heads.filter(has_text="A00002 leaves")).to_have_count(1)
    expect(row(table, "Coverage: practices reached", physio)).to_contain_text("+1")
    expect(row(table, "Income split", "A00002")).to_contain_text("changed")
    expect(row(table, "Size", "registered patients")).to_contain_text("-12,000")

    page.select_option("#scenario-end", label="Physio from July")
    page.click("[data-testid=adopt]")
    expect(page.get_by_text("'Physio from July' adopted: created")).to_be_visible()
    assert StaffMember.objects.filter(role="first_contact_physiotherapist").count() == 1


def test_a_lead_closes_a_sites_rooms_and_solves_the_sample_week(page, live_server, users, small):
    from openpcn.data.registry.national import clear_views
    from openpcn.data.scenarios.models import Scenario
    from tests.scenarios.conftest import registered_counts

    registered_counts(small["orgs"])  # list sizes: rooms and list shares
    clear_views()
    sign_in(page, live_server.url, users["pcn_lead"].username, PASSWORD)
    page.goto(f"{live_server.url}/network/U00001/plans/")
    _create(page, "A00001 refit")
    page.select_option("#scenario", label="A00001 refit")
    page.select_option("#kind", "rooms")
    page.fill("#fields", "practice=A00001\nrooms=0\nstart=2024-07-15")
    page.click("[data-testid=add]")
    expect(page.get_by_text("'A00001 refit' saved as version 2.")).to_be_visible()
    sc = Scenario.objects.get(name="A00001 refit")
    expect(page.locator(f"[data-testid=changes-{sc.pk}]")).to_contain_text(
        "0 rooms at A00001 each morning and afternoon from 2024-07-15"
    )
    page.click(f"[data-testid=solve-rota-{sc.pk}]")
    expect(page.locator(f"[data-testid=rota-feasible-{sc.pk}]")).to_contain_text(
        "Baseline: a rota can be made. Scenario: a rota can be made."
    )
    sessions = page.locator(f"[data-testid=rota-practices-{sc.pk}] tbody tr")
    expect(sessions.filter(has_text="A00001")).to_contain_text("57.1%")
    expect(sessions.filter(has_text="A00001").locator("td").nth(2)).to_have_text("0")
    expect(page.locator(f"[data-testid=rota-unmet-scenario-{sc.pk}] li").first).to_be_visible()
    page.get_by_text("How was this worked out?").last.click()
    expect(page.get_by_text("The rota page's own model and solver")).to_be_visible()
