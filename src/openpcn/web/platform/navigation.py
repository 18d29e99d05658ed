"""Each role's header navigation: (label, URL name, URL argument from the user's scope)."""

from __future__ import annotations

from openpcn.core.roles import Role

# (label, url name, url kwarg from the user's scope or None). Order is display order.
NAVIGATION: dict[Role | None, list[tuple[str, str, str | None]]] = {
    None: [
        ("Explore PCNs", "registry:explorer", None),
        ("Rules", "rules:current", None),
        ("About", "web:about", None),
    ],
    Role.ADMIN: [
        ("Dashboard", "web:dashboard", None),
        ("Explore PCNs", "registry:explorer", None),
        ("Neighbourhoods", "neighbourhoods:list", None),
        ("Rules", "rules:current", None),
        ("Audit log", "web:audit", None),
        ("Users", "admin:index", None),
        ("API tokens", "web:tokens", None),
    ],
    Role.ICB_COMMISSIONER: [
        ("My ICB", "web:icb", "scope"),
        ("Neighbourhoods", "neighbourhoods:list", None),
        ("Explore PCNs", "registry:explorer", None),
        ("Rules", "rules:current", None),
        ("API tokens", "web:tokens", None),
    ],
    Role.PCN_LEAD: [
        ("My network", "web:network", "scope"),
        ("Neighbourhoods", "neighbourhoods:list", None),
        ("Explore PCNs", "registry:explorer", None),
        ("Rules", "rules:current", None),
        ("API tokens", "web:tokens", None),
    ],
    Role.PRACTICE_MANAGER: [
        ("My practice", "web:practice", "scope"),
        ("Explore PCNs", "registry:explorer", None),
        ("API tokens", "web:tokens", None),
    ],
    Role.CLINICIAN: [
        ("My caseload", "web:caseload", None),
        ("My teams", "neighbourhoods:my-teams", None),
        ("My network", "web:network", "scope"),
        ("Explore PCNs", "registry:explorer", None),
    ],
}
