"""Issue 18 part 4, in a real browser: a PCN lead opens governance from the PCN workspace,
records the network agreement, a decision, a meeting with an action (first forgetting its
owner, and being told), the clinical director's hours and two maturity self-assessments,
and sees each of them, the funded time explained and the change over time."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assess(page, day: str, workforce: str) -> None:
    from openpcn.governance.maturity import framework

    page.fill("#id_date", day)
    for d in framework().domains:
        page.select_option(f"#id_score-{d.key}", workforce if d.key == "workforce" else "2")
    page.fill("#id_note-workforce", "Pharmacist starts in May")
    page.click("[data-testid=save-assessment]")
    expect(page.get_by_text(f"Self-assessment of {day} saved.")).to_be_visible()


def test_a_lead_records_the_networks_governance_and_sees_it(page, live_server, users, pcn):
    sign_in(page, live_server.url, users["pcn_lead"].username, PASSWORD)
    page.goto(f"{live_server.url}/network/U00001/")
    page.get_by_role("link", name="Agreement, decisions, meetings").click()
    expect(page.get_by_role("heading", name="Governance", exact=True)).to_be_visible()

    page.get_by_role("link", name="Network agreement").click()
    page.fill("#id_start", "2024-04-01")
    page.fill("#id_signed", "2024-03-28")
    page.check("#party-A00001")
    page.check("#party-A00002")
    page.click("[data-testid=save-agreement]")
    expect(page.get_by_text("Agreement from 2024-04-01 saved.")).to_be_visible()
    expect(page.get_by_test_id("agreements")).to_contain_text("Alder Medical Centre (A00002)")

    page.get_by_role("link", name="Decisions").click()
    page.fill("#id_date", "2024-05-02")
    page.fill("#id_what", "Employ a shared clinical pharmacist")
    page.fill("#id_made_by", "PCN board")
    page.check("#practice-A00001")
    page.click("[data-testid=save-decision]")
    expect(page.get_by_test_id("decisions")).to_contain_text("Employ a shared clinical pharmacist")

    page.get_by_role("link", name="Meetings and actions").click()
    page.fill("#id_date", "2024-06-05")
    page.fill("#id_title", "PCN board")
    page.fill("#id_attendees", "Dr Lee, Sam Patel")
    page.fill("#id_action-1-text", "Advertise the pharmacist post")
    page.select_option("#id_action-1-organisation", "A00001")
    page.fill("#id_action-1-due", "2024-07-01")
    page.click("[data-testid=save-meeting]")
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    expect(page.get_by_text("Action 1: name the person who owns the action")).to_be_visible()
    expect(page.get_by_test_id("meetings")).to_contain_text("No meetings recorded yet.")
    page.fill("#id_action-1-owner", "Sam Patel")
    page.click("[data-testid=save-meeting]")
    expect(
        page.get_by_text("Meeting 'PCN board' of 2024-06-05 saved with 1 actions.")
    ).to_be_visible()
    expect(page.get_by_test_id("actions")).to_contain_text("Advertise the pharmacist post")
    expect(page.get_by_test_id("actions")).to_contain_text("Sam Patel")

    page.get_by_role("link", name="Clinical director's time").click()
    page.fill("#id_director", "Dr Lee")
    page.fill("#id_start", "2024-04-01")
    page.fill("#id_hours", "7.5")
    page.click("[data-testid=save-cd-time]")
    expect(page.get_by_test_id("spells")).to_contain_text("Dr Lee")
    page.goto(f"{live_server.url}/network/U00001/governance/cd-time/?on=2024-07-01")
    expect(page.get_by_test_id("funded-hours")).to_contain_text("5.44 hours a week")
    expect(page.get_by_test_id("difference")).to_contain_text("2.06 hours a week")
    page.get_by_test_id("funded-wte").get_by_text("How was this worked out?").click()
    expect(page.get_by_test_id("funded-wte")).to_contain_text("0.25 WTE x 29,000 patients")

    page.get_by_role("link", name="Maturity self-assessment").click()
    _assess(page, "2024-04-01", "1")
    _assess(page, "2025-04-01", "3")
    expect(page.get_by_test_id("chart-maturity")).to_be_visible()
    expect(page.get_by_test_id("maturity").locator("tr", has_text="Workforce")).to_contain_text(
        "+2"
    )

    page.get_by_role("link", name="Governance", exact=True).first.click()
    expect(page.get_by_test_id("overview")).to_contain_text("from 2024-04-01; 2 parties")
