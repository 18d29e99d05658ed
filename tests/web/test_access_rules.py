"""Every URL and API operation declares an access rule, and every role x scope gets what the
rule says: inside scope allowed, outside scope refused, anonymous sent to sign in."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from openpcn.web.platform.access import rule_of
from openpcn.web.platform.middleware import NAMESPACE_RULES
from openpcn.web.site.api import api
from tests.conftest import ROLE_SCOPES

INSIDE = {  # role -> kind -> an organisation inside that role's scope
    "admin": {"icb": "QAA", "pcn": "U00001", "practice": "A00001"},
    "icb_commissioner": {"icb": "QAA", "pcn": "U00001", "practice": "A00001"},
    "pcn_lead": {"pcn": "U00001", "practice": "A00001"},
    "clinician": {"pcn": "U00001", "practice": "A00001"},
    "practice_manager": {"practice": "A00001"},
}
OUTSIDE = {"icb": "QBB", "pcn": "U00002", "practice": "B00001"}


def walk(patterns=None, prefix="", namespaces=()):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespaces + ((p.namespace,) if p.namespace else ())
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p, namespaces


def declared_rule(pattern, namespaces):
    for ns in namespaces:
        if ns in NAMESPACE_RULES:
            return NAMESPACE_RULES[ns]
    return rule_of(pattern.callback)


def api_operations():
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                yield prefix + path, op


def test_every_url_pattern_declares_an_access_rule():
    missing = [route for route, p, ns in walk() if declared_rule(p, ns) is None]
    assert not missing, f"URL patterns without an access rule: {missing}"


def test_every_api_operation_declares_an_access_rule():
    ops = list(api_operations())
    assert len(ops) >= 3
    missing = [f"{op.methods} {path}" for path, op in ops if rule_of(op.view_func) is None]
    assert not missing, f"API operations without an access rule: {missing}"


def our_patterns():
    """Our own named views (admin and API are covered by their namespace rules)."""
    for route, p, ns in walk():
        rule = declared_rule(p, ns)
        if rule is None or rule.delegated or "admin" in ns:
            continue
        yield route, p, ns, rule


def _fill_rest(path: str) -> str:
    """Arguments other than the organisation: an id that exists nowhere, a format."""
    path = re.sub(r"<int:\w+>", "999999", path)
    return re.sub(r"<str:\w+>", "x", path)


def build_path(route, rule, role):
    """Fill the route's arguments; returns (path, inside?) pairs to try."""
    return [(_fill_rest(p), inside) for p, inside in _build_path(route, rule, role)]


def _build_path(route, rule, role):
    if "<" not in route:
        return [("/" + route, None)]
    if rule.org_param:
        kinds = rule.org_kinds or ("pcn",)
        out = [("/" + route.replace(f"<str:{rule.org_param}>", OUTSIDE[kinds[0]]), False)]
        inside = INSIDE.get(role, {}).get(kinds[0]) if role else "U00001"
        if inside:
            out.append(("/" + route.replace(f"<str:{rule.org_param}>", inside), True))
        return out
    return [("/" + route.replace("<str:key_id>", "000000000000"), None)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *ROLE_SCOPES])
def test_each_role_and_scope_gets_what_the_rule_says(client, users, role):
    if role:
        client.force_login(users[role])
    checked = 0
    for route, _p, _ns, rule in our_patterns():
        for path, inside in build_path(route, rule, role):
            response = client.get(path)
            decision = getattr(response.wsgi_request, "access_decision", None)
            assert decision is not None, path
            if rule.public:
                assert decision.allowed, path
            elif role is None:
                assert response.status_code == 302 and "/sign-in/" in response["Location"], path
            elif role not in rule.roles:
                assert response.status_code == 403, (role, path)
            elif inside is False and role != "admin":
                assert response.status_code in (403, 404), (role, path)
                assert not decision.allowed
            else:
                assert decision.allowed, (role, path, decision.reason)
                # allowed: the page may still say it has no data (404) or want a POST (405)
                assert response.status_code in (200, 302, 404, 405), (role, path)
            checked += 1
    assert checked >= 10


SPEC = [  # (role, path, expected status)
    ("pcn_lead", "/network/U00001/", 200),
    ("pcn_lead", "/network/U00002/", 403),
    ("pcn_lead", "/practice/A00002/", 200),
    ("pcn_lead", "/practice/B00001/", 403),
    ("pcn_lead", "/icb/QAA/", 403),
    ("practice_manager", "/practice/A00001/", 200),
    ("practice_manager", "/practice/A00002/", 403),
    ("practice_manager", "/network/U00001/", 403),
    ("icb_commissioner", "/icb/QAA/", 200),
    ("icb_commissioner", "/icb/QBB/", 403),
    ("icb_commissioner", "/network/U00001/", 200),
    ("icb_commissioner", "/practice/B00001/", 403),
    ("clinician", "/network/U00001/", 200),
    ("clinician", "/audit/", 403),
    ("admin", "/network/U00002/", 200),
    ("admin", "/audit/", 200),
    ("admin", "/network/NOPE1/", 404),
    ("pcn_lead", "/network/A00001/", 404),  # a practice is not a PCN
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "path", "status"), SPEC)
def test_scope_spec(client, users, role, path, status):
    client.force_login(users[role])
    response = client.get(path)
    assert response.status_code == status
    if status in (403, 404):
        assert b"nhsuk-header" in response.content  # NHS-styled refusal, not a bare error


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("pcn_lead", "/api/registry/networks/U00001", 200),
        ("pcn_lead", "/api/registry/networks/U00002", 403),
        ("practice_manager", "/api/registry/networks/U00001", 403),
        ("icb_commissioner", "/api/registry/networks/U00001", 200),
        ("admin", "/api/audit", 200),
        ("pcn_lead", "/api/audit", 403),
        (None, "/api/audit", 401),
        (None, "/api/registry/pcns/U00001", 200),
    ],
)
def test_api_scope_spec(client, users, role, path, status):
    if role:
        client.force_login(users[role])
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    if status >= 400:
        assert response.json()["detail"]
