"""Real browser: sign in as each role, see that role's navigation, be refused another
scope's page, and find the audit entry the access wrote."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from openpcn.core.roles import Role
from openpcn.data.accounts.models import AuditEvent
from openpcn.web.platform.navigation import NAVIGATION
from tests.browser import sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OTHER_SCOPE = {
    Role.ADMIN: None,
    Role.ICB_COMMISSIONER: "/icb/QBB/",
    Role.PCN_LEAD: "/network/U00002/",
    Role.PRACTICE_MANAGER: "/practice/B00001/",
    Role.CLINICIAN: "/network/U00002/",
}


@pytest.mark.parametrize("role", list(Role))
def test_role_navigation_and_refusal(page, live_server, users, role):
    sign_in(page, live_server.url, f"user-{role.value}", PASSWORD)
    nav = page.locator(".nhsuk-header__navigation-list")
    for label, _n, _a in NAVIGATION[role]:
        expect(nav).to_contain_text(label)
    other = OTHER_SCOPE[role]
    if other:
        page.goto(live_server.url + other)
        expect(page.get_by_test_id("error-heading")).to_have_text(
            "You do not have access to this page"
        )
        expect(page.get_by_test_id("error-reason")).to_contain_text("outside your scope")
        code = other.strip("/").split("/")[-1]
        assert AuditEvent.objects.filter(
            username=f"user-{role.value}", action="refused", object_id=code
        ).exists()


def test_admin_sees_the_audit_entry_of_a_refusal(page, live_server, users):
    sign_in(page, live_server.url, "user-pcn_lead", PASSWORD)
    page.goto(live_server.url + "/network/U00002/")
    page.get_by_test_id("sign-out").click()
    sign_in(page, live_server.url, "user-admin", PASSWORD)
    page.goto(live_server.url + "/audit/?username=user-pcn_lead&outcome=refused")
    table = page.get_by_test_id("audit-table")
    expect(table).to_contain_text("U00002")
    expect(table).to_contain_text("refused")


def test_wrong_password_shows_error_summary(page, live_server, users):
    sign_in(page, live_server.url, "user-admin", "not the password")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        re.compile("Enter a correct username and password")
    )
