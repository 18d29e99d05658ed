"""Pages: NHS styling, navigation per role, error pages, forms with error summaries."""

from __future__ import annotations

import pytest

from openpcn.core.roles import Role
from openpcn.web.platform.navigation import NAVIGATION

pytestmark = pytest.mark.django_db


def test_home_is_nhs_styled(client):
    html = client.get("/").content.decode()
    assert 'class="nhsuk-header' in html and 'class="nhsuk-footer' in html
    assert "vendor/nhsuk/nhsuk-frontend.min.css" in html
    assert "Sign in" in html


@pytest.mark.parametrize("role", list(Role))
def test_navigation_per_role(client, users, role):
    client.force_login(users[role.value])
    html = client.get("/about/").content.decode()
    nav = html.split('class="nhsuk-header__navigation-list"')[1].split("</ul>")[0]
    for label, _name, _arg in NAVIGATION[role]:
        assert label in nav
    others = {lbl for r, items in NAVIGATION.items() for lbl, _n, _a in items if r != role}
    for label in others - {lbl for lbl, _n, _a in NAVIGATION[role]}:
        assert label not in nav


def test_unknown_url_is_an_nhs_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content and b"nhsuk-header" in response.content


def test_token_form_errors_are_summarised(client, users):
    client.force_login(users["pcn_lead"])
    response = client.post("/account/tokens/", {"name": "", "days": "lots"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a name for the token" in html
    assert "Enter the number of days as a whole number" in html


def test_token_is_shown_once_and_can_be_revoked(client, users):
    client.force_login(users["pcn_lead"])
    response = client.post("/account/tokens/", {"name": "reports", "days": "30"})
    assert b"new-token" in response.content
    token = users["pcn_lead"].api_tokens.get()
    response = client.post(f"/account/tokens/{token.key_id}/revoke/", follow=True)
    assert b"has been revoked" in response.content
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_server_error_page_has_no_stack_trace(client, users, monkeypatch):
    from openpcn.web.site import pages

    def boom(*a, **k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(pages.presenters, "pcn_overview", boom)
    client.raise_request_exception = False
    client.force_login(users["pcn_lead"])
    response = client.get("/network/U00001/")
    assert response.status_code == 500
    assert b"secret internals" not in response.content
    assert b"Sorry, there is a problem with the service" in response.content
