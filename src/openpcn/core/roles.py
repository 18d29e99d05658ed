"""Roles and the kind of organisation each role is scoped to.

Pure data: no Django. The authorisation module (``web/platform/access.py``) reads it; each
role's navigation is in ``web/platform/navigation.py``.
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
