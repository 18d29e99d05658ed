"""Issue 19: a walk per role, in a real browser, on a demo-like installation (the registry
files, a staff register, a published rota, a population dataset for the demo PCN; nothing
for the other PCN). Every link the role's navigation shows, and every link on its landing
page and the home page, opens without a 403 or 404 and without an error summary."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from openpcn.core.roles import Role
from tests.browser import sign_in
from tests.conftest import PASSWORD
from tests.rota.register_data import staff_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTRY = Path(__file__).parent.parent / "registry" / "fixtures"
LANDING = {
    Role.ADMIN: "/dashboard/",
    Role.ICB_COMMISSIONER: "/icb/QAA/",
    Role.PCN_LEAD: "/network/U00001/",
    Role.PRACTICE_MANAGER: "/practice/A00001/",
    Role.CLINICIAN: "/caseload/",
}
SKIP = ("/sign-out/", "/api/")  # signing out ends the walk; the API is JSON, not a page
DOWNLOADS = (".csv", ".ics", ".xlsx", ".json")
WORKSPACE = re.compile(r"^/(icb|network|practice)/[A-Z0-9]+/$")


@pytest.fixture
def demo(users, tmp_path):
    """What `make demo` seeds, small: registry, register, a published rota, a population."""
    from openpcn.data.population import cohorts
    from openpcn.data.population.datasets import register
    from openpcn.data.registry.loaders import import_file
    from openpcn.data.registry.models import Organisation
    from openpcn.data.rota.models import StaffAccount
    from openpcn.data.rota.planning import demo_plan
    from tests.population.conftest import make_dataset

    for name in ("map-2026-07.csv", "all-2026-07.csv"):
        import_file(REGISTRY / name)
    pcn = Organisation.objects.get(code="U00001")
    staff = staff_register(pcn, "Demo person")
    StaffAccount.objects.create(user=users["clinician"], staff=staff[2])
    plan = demo_plan("U00001", 1, 10)
    assert plan.status == "published", plan.message
    patients = [{"id": i, "age": 80, "care_home": True, "practice": "A00001"} for i in range(9)]
    patients += [{"id": 200 + i, "age": 40, "practice": "A00002"} for i in range(5)]
    path = make_dataset(tmp_path / "ds", patients)
    meta = json.loads((path / "metadata.json").read_text())
    meta.update(synthetic=True, label="SYNTHETIC test", patients=len(patients))
    (path / "metadata.json").write_text(json.dumps(meta, default=str))
    cohorts.clear()
    register("U00001", path)
    yield
    cohorts.clear()


def _links(page, base: str, selector: str) -> list[str]:
    found = []
    for href in page.eval_on_selector_all(selector, "els => els.map(e => e.href)"):
        url = urlparse(href)
        if url.netloc != urlparse(base).netloc or url.path.startswith(SKIP):
            continue
        if url.path.endswith(DOWNLOADS) or url.path.startswith("/static/"):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if path not in found:
            found.append(path)
    return found


@pytest.mark.parametrize("role", list(Role))
def test_every_link_a_role_is_shown_opens(page, live_server, demo, role):
    base = live_server.url
    sign_in(page, base, f"user-{role.value}", PASSWORD)
    expect(page.get_by_test_id("sign-out")).to_be_visible()
    links = _links(page, base, ".nhsuk-header__navigation-list a[href]")
    assert links, "the navigation shows no links"
    # the landing page, the home page, and the workspaces (ICB, PCN, practice) they lead to
    landings, seen = [LANDING[role], "/"], set()
    while landings:
        landing = landings.pop(0)
        if landing in seen:
            continue
        seen.add(landing)
        page.goto(base + landing, wait_until="domcontentloaded")
        for x in _links(page, base, "main a[href]"):
            if x not in links:
                links.append(x)
            if WORKSPACE.match(x) and x not in seen:
                landings.append(x)
    assert LANDING[role] in links or role is Role.ADMIN
    problems = []
    for path in links:
        response = page.goto(base + path, wait_until="domcontentloaded")
        status = response.status if response else 0
        if status >= 400:
            problems.append(f"{path}: {status}")
            continue
        if page.locator(".nhsuk-error-summary").count():
            problems.append(f"{path}: an error summary on a page without errors")
        if page.get_by_test_id("error-heading").count():
            problems.append(f"{path}: an error page")
    assert not problems, "\n".join(problems)
