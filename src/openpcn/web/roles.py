"""Roles, the kind of organisation each role is scoped to, and each role's navigation.

Pure data: no Django. The authorisation module (``access.py``) and the templates read it.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ICB_COMMISSIONER = "icb_commissioner"
    PCN_LEAD = "pcn_lead"
    PRACTICE_MANAGER = "practice_manager"
    CLINICIAN = "clinician"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def scope_kind(self) -> str | None:
        """The organisation kind a user of this role is scoped to (None: all of England)."""
        return SCOPE_KIND[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.ICB_COMMISSIONER: "ICB commissioner",
    Role.PCN_LEAD: "PCN clinical director or manager",
    Role.PRACTICE_MANAGER: "Practice manager",
    Role.CLINICIAN: "Clinician",
}

SCOPE_KIND: dict[Role, str | None] = {
    Role.ADMIN: None,
    Role.ICB_COMMISSIONER: "icb",
    Role.PCN_LEAD: "pcn",
    Role.PRACTICE_MANAGER: "practice",
    Role.CLINICIAN: "pcn",
}

ALL_ROLES = frozenset(Role)

# (label, url name, url kwarg from the user's scope or None). Order is display order.
NAVIGATION: dict[Role | None, list[tuple[str, str, str | None]]] = {
    None: [
        ("Explore PCNs", "registry:explorer", None),
        ("About", "web:about", None),
    ],
    Role.ADMIN: [
        ("Dashboard", "web:dashboard", None),
        ("Explore PCNs", "registry:explorer", None),
        ("Audit log", "web:audit", None),
        ("Users", "admin:index", None),
        ("API tokens", "web:tokens", None),
    ],
    Role.ICB_COMMISSIONER: [
        ("My ICB", "web:icb", "scope"),
        ("Explore PCNs", "registry:explorer", None),
        ("API tokens", "web:tokens", None),
    ],
    Role.PCN_LEAD: [
        ("My network", "web:network", "scope"),
        ("Explore PCNs", "registry:explorer", None),
        ("API tokens", "web:tokens", None),
    ],
    Role.PRACTICE_MANAGER: [
        ("My practice", "web:practice", "scope"),
        ("Explore PCNs", "registry:explorer", None),
        ("API tokens", "web:tokens", None),
    ],
    Role.CLINICIAN: [
        ("My caseload", "web:caseload", None),
        ("My network", "web:network", "scope"),
        ("Explore PCNs", "registry:explorer", None),
    ],
}
