"""NHS-styled error pages (and JSON errors for the API). Never a stack trace."""

from __future__ import annotations

import functools

from django.http import JsonResponse
from django.shortcuts import render

from openpcn.web.platform.access import PUBLIC, access

HEADINGS = {
    400: "There is a problem with your request",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "This action is not allowed here",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}

ADVICE = {
    403: ["If you think you should have access, ask your PCN's OpenPCN administrator."],
    404: [
        "If you typed the web address, check it is correct.",
        'You can <a href="/explore/">explore every PCN</a> or search for one by name or code.',
    ],
    429: ["For your security, sign-in is paused for 15 minutes after repeated failed attempts."],
    500: ["Try again later. The problem has been recorded."],
}


def render_error(request, status: int, reason: str = ""):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": reason or HEADINGS.get(status, "Error")}, status=status)
    context = {
        "page_title": HEADINGS.get(status, "Error"),
        "heading": HEADINGS.get(status, "Error"),
        "reason": reason,
        "advice": ADVICE.get(status, []),
        "status": status,
    }
    return render(request, "web/error.jinja", context, status=status)


@access(PUBLIC)
def not_found(request, exception=None):
    return render_error(request, 404, "We could not find the page you asked for.")


@access(PUBLIC)
def forbidden(request, exception=None):
    return render_error(request, 403, "You do not have permission to see this.")


@access(PUBLIC)
def bad_request(request, exception=None):
    return render_error(request, 400, "The request could not be understood.")


@access(PUBLIC)
def server_error(request):
    return render_error(request, 500, "")


@access(PUBLIC)
def csrf_failure(request, reason=""):
    return render_error(
        request,
        403,
        "The form has expired or was sent from another site. Go back, reload the page and "
        "try again.",
    )


class PageError(Exception):
    """Raised by a page's presenter: the view shows an error page with this status and a
    message a person can act on."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def shows_page_errors(view):
    """A view whose presenter may raise :class:`PageError` renders it as an error page."""

    @functools.wraps(view)
    def inner(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PageError as e:
            return render_error(request, e.status, e.message)

    return inner
