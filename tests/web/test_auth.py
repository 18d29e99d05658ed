"""Sign-in: wrong passwords, lockout, expired sessions, CSRF, Argon2."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from openpcn.data.accounts.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_outside_tests(users):
    assert "Argon2PasswordHasher" in settings.PASSWORD_HASHERS[1]
    from django.contrib.auth.hashers import make_password

    assert make_password("x", hasher="argon2").startswith("argon2$")


def test_sign_in_and_out(client, users):
    response = client.post("/sign-in/", {"username": "user-pcn_lead", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/")["Location"] == "/network/U00001/"
    assert AuditEvent.objects.filter(action="sign-in", username="user-pcn_lead").exists()
    response = client.post("/sign-out/", follow=True)
    assert b"You have signed out" in response.content


def test_wrong_password_gets_a_clear_message_not_an_error(client, users):
    response = client.post("/sign-in/", {"username": "user-pcn_lead", "password": "nope"})
    assert response.status_code == 400
    assert b"Enter a correct username and password" in response.content
    assert b"nhsuk-error-summary" in response.content
    event = AuditEvent.objects.get(action="sign-in failed")
    assert event.outcome == "refused" and "nope" not in str(event.detail)


def test_missing_fields_are_named(client, users):
    response = client.post("/sign-in/", {"username": "", "password": ""})
    assert response.status_code == 400
    assert b"Enter your username" in response.content
    assert b"Enter your password" in response.content
    assert b'href="#id_username"' in response.content


def test_lockout_after_repeated_failures(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": "user-admin", "password": "wrong"})
    response = client.post("/sign-in/", {"username": "user-admin", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert AuditEvent.objects.filter(action="sign-in locked out").exists()


def test_expired_session_is_sent_to_sign_in_with_a_message(client, users):
    client.force_login(users["pcn_lead"])
    client.cookies["openpcn_seen"] = "1"
    client.session.flush()
    client.cookies.pop(settings.SESSION_COOKIE_NAME)
    response = client.get("/network/U00001/", follow=True)
    assert response.redirect_chain[0][0].startswith("/sign-in/?next=/network/U00001/")
    assert b"Your session has ended" in response.content


def test_forms_need_csrf(users):
    c = Client(enforce_csrf_checks=True)
    response = c.post("/sign-in/", {"username": "user-admin", "password": PASSWORD})
    assert response.status_code == 403
    assert b"The form has expired" in response.content


def test_open_redirects_are_refused(client, users):
    response = client.post(
        "/sign-in/?next=https://evil.example/", {"username": "user-admin", "password": PASSWORD}
    )
    assert response["Location"] == "/dashboard/"


def test_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
