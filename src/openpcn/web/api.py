"""The JSON API (Django Ninja) under /api/. Every operation declares an access rule that the
one authorisation module decides; errors are JSON with a message, never a stack trace."""

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

from openpcn.web import audit
from openpcn.web.access import decide
from openpcn.web.models import TOKEN_PREFIX, ApiToken

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


api = NinjaAPI(
    title="OpenPCN API",
    version="1",
    description="Every figure OpenPCN shows, as JSON, with the rule and data behind it. "
    "Authenticate with `Authorization: Bearer <token>` (create tokens when signed in).",
    auth=ApiAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


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


def register_routers():
    """Each domain adds its router here (imports kept local to avoid cycles)."""
    from openpcn.finance.api import router as finance_router
    from openpcn.population.api import router as population_router
    from openpcn.registry.api import router as registry_router
    from openpcn.services.api import router as services_router
    from openpcn.web.api_core import router as core_router
    from openpcn.workforce.api import router as workforce_router

    api.add_router("/", core_router)
    api.add_router("/registry", registry_router)
    api.add_router("/workforce", workforce_router)
    api.add_router("/services", services_router)
    api.add_router("/finance", finance_router)
    api.add_router("/population", population_router)


register_routers()
