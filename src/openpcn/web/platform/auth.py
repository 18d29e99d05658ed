"""Sign in and sign out. Failed attempts are counted by django-axes, which locks out."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from openpcn.data.accounts import audit
from openpcn.web.platform.access import PUBLIC, access

SEEN_COOKIE = "openpcn_seen"


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been disabled. Ask your administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            login(request, user)
            audit.record(request, "sign-in", object_type="user", object_id=user.username)
            response = redirect(next_url or settings.LOGIN_REDIRECT_URL)
            response.set_cookie(
                SEEN_COOKIE,
                "1",
                max_age=30 * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
        username = (request.POST.get("username") or "")[:150]
        audit.record(
            request,
            "sign-in failed",
            object_type="user",
            object_id=username,
            outcome="refused",
            username=username,
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/login.jinja",
        {"form": form, "next": next_url, "page_title": "Sign in"},
        status=status,
    )


@access(PUBLIC)
@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        audit.record(request, "sign-out", object_type="user", object_id=request.user.username)
    logout(request)
    messages.success(request, "You have signed out.")
    response = redirect(settings.LOGOUT_REDIRECT_URL)
    response.delete_cookie(SEEN_COOKIE)
    return response


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when an account or address is locked out."""
    from openpcn.web.platform.errors import render_error

    username = ""
    if credentials:
        username = str(credentials.get("username", ""))[:150]
    audit.record(
        request,
        "sign-in locked out",
        object_type="user",
        object_id=username,
        outcome="refused",
        username=username,
    )
    return render_error(
        request,
        429,
        "Too many failed sign-in attempts. Wait 15 minutes and "
        "try again, or ask your administrator to unlock your account.",
    )
