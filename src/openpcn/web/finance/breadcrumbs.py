"""The finance pages' breadcrumbs: home, then the PCN (or ICB) the page belongs to."""

from __future__ import annotations

from django.urls import reverse


def crumbs(org, *extra) -> list[dict]:
    """Home, the PCN's network page, then any further steps."""
    return [
        {"text": "Home", "href": "/"},
        {"text": org.name, "href": reverse("web:network", kwargs={"code": org.code})},
        *extra,
    ]


def icb_crumbs(org) -> list[dict]:
    """Home, then the ICB's page."""
    return [
        {"text": "Home", "href": "/"},
        {"text": org.name, "href": reverse("web:icb", kwargs={"code": org.code})},
    ]
