"""Request middleware: the access decision for every view, and security headers."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse

from openpcn.data.accounts import audit
from openpcn.web.platform.access import NAMESPACE_RULES, decide, rule_for

__all__ = ["NAMESPACE_RULES", "AccessMiddleware", "SecurityHeadersMiddleware", "rule_for"]


class AccessMiddleware:
    """Asks ``access.decide`` about every view before it runs. Deny by default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from openpcn.web.platform.auth import SEEN_COOKIE
        from openpcn.web.platform.errors import render_error

        rule = rule_for(request.resolver_match)
        if rule is not None and rule.delegated:
            return None
        decision = decide(request.user, rule, view_kwargs)
        request.access_decision = decision
        if decision.audited and request.user.is_authenticated:
            audit.record(
                request,
                "view" if decision.allowed else "refused",
                object_type="organisation" if decision.org_code else "page",
                object_id=decision.org_code or request.path[:64],
                outcome="allowed" if decision.allowed else "refused",
                reason=decision.reason,
            )
        if decision.allowed:
            return None
        if decision.status == 401:
            if request.COOKIES.get(SEEN_COOKIE):
                from django.contrib import messages

                messages.info(request, "Your session has ended. Sign in again to continue.")
            return redirect_to_login(request.get_full_path())
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": decision.reason}, status=decision.status)
        return render_error(request, decision.status, decision.reason)


class SecurityHeadersMiddleware:
    """A content security policy and permissions policy on every response."""

    CSP = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "font-src 'self' https://assets.nhs.uk; "
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
