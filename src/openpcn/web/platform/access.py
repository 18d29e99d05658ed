"""The one authorisation module. Every page and every API operation declares a rule; this
module decides every request against it. Deny by default: a view without a rule is refused.

A rule says which roles may use a view and, for organisation pages, which URL argument
names the organisation that must lie inside the user's scope (as at today).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from openpcn.core.roles import ALL_ROLES, Role


@dataclass(frozen=True)
class Rule:
    name: str
    roles: frozenset[Role] | None  # None: anyone, signed in or not
    org_param: str | None = None  # URL argument holding the ODS code to check
    org_kinds: tuple[str, ...] = ()  # kinds of organisation the argument may name
    delegated: bool = False  # decided per operation (the API)

    @property
    def public(self) -> bool:
        return self.roles is None


PUBLIC = Rule("public", None)
SIGNED_IN = Rule("signed in", ALL_ROLES)
ADMIN_ONLY = Rule("administrators", frozenset({Role.ADMIN}))
API_OPERATIONS = Rule("decided per API operation", None, delegated=True)


def in_scope(param: str, *kinds: str, roles=ALL_ROLES, name: str | None = None) -> Rule:
    """The organisation named by URL argument ``param`` must be inside the user's scope."""
    return Rule(
        name or f"{'/'.join(kinds) or 'organisation'} in scope",
        frozenset(roles),
        param,
        tuple(kinds),
    )


@dataclass(frozen=True)
class Decision:
    allowed: bool
    status: int  # 200 allowed, 401 sign in, 403 refused, 404 no such organisation
    reason: str
    org_code: str | None = None

    @property
    def audited(self) -> bool:
        return self.org_code is not None or self.status == 403


def access(rule: Rule) -> Callable:
    """Declare the access rule of a view or API operation."""

    def mark(func):
        func.access_rule = rule
        return func

    return mark


def rule_of(func) -> Rule | None:
    rule = getattr(func, "access_rule", None)
    if rule is None and hasattr(func, "view_class"):
        rule = getattr(func.view_class, "access_rule", None)
    return rule


# URL namespaces whose views are not ours to decorate.
NAMESPACE_RULES: dict[str, Rule] = {"admin": ADMIN_ONLY, "api": API_OPERATIONS}


def rule_for(resolver_match) -> Rule | None:
    for ns in resolver_match.namespaces:
        if ns in NAMESPACE_RULES:
            return NAMESPACE_RULES[ns]
    return rule_of(resolver_match.func)


def decide(user, rule: Rule | None, kwargs: dict, on: date | None = None) -> Decision:
    """Decide whether ``user`` may use a view with ``rule`` and URL arguments ``kwargs``."""
    from openpcn.data.registry.queries import contains, get_org

    if rule is None:
        return Decision(False, 403, "This page has no access rule, so it is refused.")
    if rule.public:
        return Decision(True, 200, "public page")
    if not getattr(user, "is_authenticated", False):
        return Decision(False, 401, "Sign in to see this page.")
    try:
        role = Role(user.role)
    except ValueError:
        return Decision(False, 403, "Your account has no role; ask an administrator.")
    if role not in rule.roles:
        return Decision(False, 403, f"A {role.label} cannot use this page.")
    if rule.org_param is None:
        return Decision(True, 200, f"allowed for {role.label}")
    code = str(kwargs.get(rule.org_param, "")).strip().upper()
    org = get_org(code) if code else None
    if org is None or (rule.org_kinds and org.kind not in rule.org_kinds):
        return Decision(
            False,
            404,
            f"There is no {'/'.join(rule.org_kinds) or 'organisation'} with the code '{code}'.",
            org_code=code or None,
        )
    if role is Role.ADMIN:
        return Decision(True, 200, "administrators see every organisation", org_code=org.code)
    today = on or date.today()
    if user.scope_code and contains(user.scope_code, org.code, today):
        return Decision(
            True, 200, f"{org.code} is inside your scope {user.scope_code}", org_code=org.code
        )
    return Decision(
        False,
        403,
        f"{org.name} ({org.code}) is outside your scope ({user.scope_code or 'none'}).",
        org_code=org.code,
    )


def can(user, url_name: str, **kwargs) -> bool:
    """Would the access middleware let ``user`` open the page ``url_name`` with ``kwargs``?

    The same decision as :class:`~openpcn.web.platform.middleware.AccessMiddleware`: the URL
    is reversed and resolved to its view's rule, then :func:`decide` answers. A page that
    cannot be reversed (no such URL) is never shown as a link."""
    from django.urls import NoReverseMatch, resolve, reverse

    try:
        match = resolve(reverse(url_name, kwargs=kwargs or None))
    except NoReverseMatch:
        return False
    rule = rule_for(match)
    if rule is not None and rule.delegated:
        return True
    return decide(user, rule, match.kwargs).allowed
