"""The Jinja2 environment: our templates first, then the NHS.UK frontend macros."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from openpcn.core.figures import shown
from openpcn.core.roles import Role
from openpcn.web.platform.access import can
from openpcn.web.platform.navigation import NAVIGATION


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def navigation(request) -> list[dict]:
    """The header navigation for the signed-in user's role (or for visitors)."""
    user = getattr(request, "user", None)
    role = None
    if user is not None and user.is_authenticated and user.role:
        role = Role(user.role)
    items = []
    for label, name, arg in NAVIGATION.get(role, NAVIGATION[None]):
        kwargs = {"code": user.scope_code} if arg == "scope" else {}
        try:
            href = reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
        if role is not None and not can(user, name, **kwargs):
            continue  # a link is shown only where the user may follow it
        current = request.path == href or (href != "/" and request.path.startswith(href))
        items.append({"text": label, "href": href, "current": current})
    return items


def environment(**options) -> Environment:
    loader = options.pop("loader", None)
    options["undefined"] = ChainableUndefined  # the NHS.UK macros rely on it
    env = Environment(**options)  # noqa: S701 - autoescape is set by Django's backend options
    base_loader = env.loader if loader is None else loader
    env.loader = ChoiceLoader(
        [ld for ld in [base_loader, PackageLoader("nhsuk_frontend_jinja", "templates")] if ld]
    )
    env.globals.update(
        {
            "static": static,
            "static_url": settings.STATIC_URL,
            "url": url,
            "can": can,
            "navigation": navigation,
            "get_messages": messages.get_messages,
            "Role": Role,
            "shown": shown,
        }
    )
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int | float) else n
    return env
