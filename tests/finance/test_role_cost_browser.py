"""Real browser: cost a post on the role cost page and open a line's explanation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cost_a_post_and_see_how_a_line_was_worked_out(page, live_server):
    page.goto(f"{live_server.url}/finance/role-cost/")
    page.select_option("#year", "2024-25")
    page.click("text=Cost this post")  # the year's roles appear in the list
    page.select_option("#role", "pharmacy_technician")
    page.fill("#point", "2")
    page.select_option("#region", "london_outer")
    page.click("text=Cost this post")
    breakdown = page.locator("[data-testid=breakdown]")
    expect(breakdown).to_contain_text("£32,324.00")
    expect(breakdown).to_contain_text("£4,848.60")  # 15% of 32,324, between 4,550 and 5,735
    page.locator("[data-testid=explain] summary").first.click()
    expect(page.locator("[data-testid=explain]").first).to_contain_text("pay/2024-25.yaml line")
    expect(page.locator("[data-testid=download]")).to_be_visible()
