"""Who may see and change the finance pages: one set each, used by the views' access rules and
by the presenters that show or refuse an action."""

from __future__ import annotations

from openpcn.core.roles import Role

FINANCE_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD}
EDIT_ROLES = {Role.ADMIN, Role.PCN_LEAD}
DECIDE_ROLES = {Role.ICB_COMMISSIONER}
ICB_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER}
