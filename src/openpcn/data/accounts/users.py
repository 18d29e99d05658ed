"""Creating accounts, used by the CLI and `make demo`."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from openpcn.core.roles import Role
from openpcn.data.accounts.models import User
from openpcn.data.registry.models import Organisation


class AccountError(Exception):
    pass


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(
    username: str, role: str, scope: str = "", password: str | None = None, email: str = ""
) -> tuple[User, str]:
    try:
        role_enum = Role(role)
    except ValueError:
        raise AccountError(
            f"Unknown role '{role}'. Choose one of: {', '.join(r.value for r in Role)}."
        ) from None
    scope = scope.strip().upper()
    if role_enum.scope_kind:
        if not scope:
            raise AccountError(
                f"A {role_enum.label} needs --scope with the ODS code of their "
                f"{role_enum.scope_kind}."
            )
        org = Organisation.objects.filter(code=scope).first()
        if org is None:
            raise AccountError(
                f"No organisation with ODS code '{scope}' is loaded; import "
                "registry data first (openpcn data import-all)."
            )
        if org.kind != role_enum.scope_kind:
            raise AccountError(
                f"{scope} is a {org.get_kind_display()}, but a "
                f"{role_enum.label} is scoped to a {role_enum.scope_kind}."
            )
    elif scope:
        raise AccountError("Administrators are not scoped; leave --scope out.")
    if User.objects.filter(username=username).exists():
        raise AccountError(f"A user called '{username}' already exists.")
    password = password or generate_password()
    user = User(username=username, role=role_enum.value, scope_code=scope, email=email)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as e:
        raise AccountError("; ".join(m for msgs in e.message_dict.values() for m in msgs)) from e
    user.set_password(password)
    user.save()
    return user, password


def demo_scopes() -> dict[str, str]:
    """Real organisations for the demo users: a mid-sized PCN (about six practices) that the
    national workforce census covers, its largest practice and its ICB."""
    from datetime import date

    from openpcn.data.registry.national import national_view
    from openpcn.data.workforce.models import NationalFte

    view = national_view(date.today())
    if not view.rows:
        raise AccountError("No PCN membership is loaded; import registry data first.")
    in_census = set(NationalFte.objects.values_list("pcn_code", flat=True).distinct())
    ranked = sorted(
        view.rows, key=lambda r: (r.code not in in_census, abs(r.practices - 6), r.code)
    )
    pcn = ranked[0]
    practice = max(view.members(pcn.code), key=lambda p: (view.totals.get(p, 0), p))
    icb = (
        pcn.icb_code if Organisation.objects.filter(code=pcn.icb_code, kind="icb").exists() else ""
    )
    return {"pcn": pcn.code, "practice": practice, "icb": icb}


@transaction.atomic
def create_demo_users() -> list[tuple[str, str, str, str]]:
    scopes = demo_scopes()
    plan = [
        ("demo-admin", Role.ADMIN, ""),
        ("demo-commissioner", Role.ICB_COMMISSIONER, scopes["icb"]),
        ("demo-pcn-lead", Role.PCN_LEAD, scopes["pcn"]),
        ("demo-practice-manager", Role.PRACTICE_MANAGER, scopes["practice"]),
        ("demo-clinician", Role.CLINICIAN, scopes["pcn"]),
    ]
    rows = []
    for username, role, scope in plan:
        User.objects.filter(username=username).delete()
        _user, pw = create_user(username, role.value, scope)
        rows.append((username, role.value, scope, pw))
    return rows
