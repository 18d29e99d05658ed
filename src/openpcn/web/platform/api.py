"""What every API router needs: token or session authentication, the access rule on each
operation (decided by the one authorisation module), and JSON errors. The site assembles the
routers into one NinjaAPI (``web/site/api.py``)."""

from __future__ import annotations

import functools
import logging
import re
import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from openpcn.data.accounts import audit
from openpcn.data.accounts.models import TOKEN_PREFIX, ApiToken
from openpcn.web.platform.access import decide

log = logging.getLogger("openpcn.api")
TOKEN_RE = re.compile(rf"^{TOKEN_PREFIX}_([0-9a-f]{{12}})_([A-Za-z0-9_\-]{{20,}})$")


class ApiAuthError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ApiAuth(AuthBase):
    """Bearer token if one is sent; otherwise the browser session; otherwise anonymous.

    Returns the user (AnonymousUser for visitors) so that public operations work; each
    operation's rule then decides. A malformed, unknown, expired or revoked token is a 401.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if header is not None:
            scheme, _, value = header.partition(" ")
            if scheme.lower() != "bearer" or not value.strip():
                raise ApiAuthError(
                    "Malformed Authorization header: send 'Authorization: Bearer "
                    "<token>' with a token from your API tokens page."
                )
            m = TOKEN_RE.match(value.strip())
            if not m:
                raise ApiAuthError(
                    "Malformed API token: tokens look like "
                    f"'{TOKEN_PREFIX}_<12 hex digits>_<secret>'."
                )
            token = ApiToken.objects.select_related("user").filter(key_id=m.group(1)).first()
            if token is None or token.secret_hash != ApiToken.hash_secret(m.group(2)):
                raise ApiAuthError("Unknown API token. Create a new one on your API tokens page.")
            if not token.is_active:
                raise ApiAuthError("This API token has expired or been revoked.")
            if not token.user.is_active:
                raise ApiAuthError("The account that owns this token is disabled.")
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
            request.user = token.user
            return token.user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                error = check_csrf(request)
                if error:
                    raise ApiAuthError(
                        "CSRF check failed: send the X-CSRFToken header with "
                        "session requests, or use an API token."
                    )
            return user
        return AnonymousUser()


def api_access(rule):
    """Declare and enforce an operation's access rule through ``access.decide``."""

    def wrap(func):
        @functools.wraps(func)
        def inner(request, *args, **kwargs):
            decision = decide(request.auth, rule, kwargs)
            if decision.audited and getattr(request.auth, "is_authenticated", False):
                audit.record(
                    request,
                    "api " + ("read" if decision.allowed else "refused"),
                    user=request.auth,
                    object_type="organisation" if decision.org_code else "api",
                    object_id=decision.org_code or request.path[:64],
                    outcome="allowed" if decision.allowed else "refused",
                    reason=decision.reason,
                )
            if not decision.allowed:
                raise HttpError(decision.status, decision.reason)
            return func(request, *args, **kwargs)

        inner.access_rule = rule
        return inner

    return wrap


def install_error_handlers(api: NinjaAPI) -> None:
    """Every API error is JSON with a message a person can act on, never a stack trace."""

    @api.exception_handler(ApiAuthError)
    def _auth_error(request, exc: ApiAuthError):
        return api.create_response(request, {"detail": exc.message}, status=401)

    @api.exception_handler(AuthenticationError)
    def _authentication_error(request, exc):
        return api.create_response(request, {"detail": "Sign in or send an API token."}, status=401)

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    @api.exception_handler(ValidationError)
    def _validation_error(request, exc: ValidationError):
        problems = []
        for e in exc.errors:
            where = ".".join(str(p) for p in e.get("loc", []) if p not in ("body", "query", "path"))
            problems.append({"field": where, "message": e.get("msg", "invalid")})
        text = "; ".join(f"{p['field']}: {p['message']}" for p in problems) or "invalid input"
        return api.create_response(
            request, {"detail": f"Invalid input: {text}", "errors": problems}, status=422
        )

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        ref = uuid.uuid4().hex[:12]
        log.error("API error %s on %s: %s", ref, request.path, type(exc).__name__)
        return api.create_response(
            request, {"detail": f"Something went wrong on our side (reference {ref})."}, status=500
        )
