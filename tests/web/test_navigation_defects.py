"""Issue 19, "Navigation": one test per defect users hit in their first hour. A link is shown
only where the user may follow it and there is something behind it; an empty page says in
words what is missing and who can load it; admins reach any PCN's workspace; the practice
manager's page has income, sessions and the rota; the clinician's caseload has their lists;
membership history has one row per practice per period; the PCN page honours ``?on=``."""

from __future__ import annotations

import re
from datetime import date

import pytest

from openpcn.data.registry.models import Organisation, Relation
from openpcn.data.registry.national import clear_views
from tests.rota.test_plan_pages import MONDAY, register  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#?]+)[^"]*"')


def hrefs(html: str) -> set[str]:
    return {h for h in HREF.findall(html) if h.startswith("/") and not h.startswith("/static")}


def workspace_hrefs(html: str) -> set[str]:
    block = html.split('data-testid="workspace"')[1].split('data-testid="members"')[0]
    return hrefs(block)


def test_can_is_the_middleware_decision(users):
    from openpcn.web.platform.access import can

    assert can(users["pcn_lead"], "web:network", code="U00001")
    assert not can(users["pcn_lead"], "web:network", code="U00002")
    assert not can(users["clinician"], "finance:claims", code="U00001")
    assert not can(users["practice_manager"], "population:network", code="U00001")
    assert can(users["admin"], "web:network", code="U00002")
    assert not can(users["icb_commissioner"], "web:network", code="NOPE")


def test_commissioner_sees_no_link_to_a_page_without_data(client, users):
    """SMR, population, workforce, coverage and claims of a PCN with no data: words, no link."""
    client.force_login(users["icb_commissioner"])
    html = client.get("/network/U00001/").content.decode()
    shown = workspace_hrefs(html)
    for dead in (
        "/network/U00001/smr/",
        "/network/U00001/population/",
        "/network/U00001/workforce/",
        "/network/U00001/workforce/coverage/",
        "/network/U00001/finance/claims/",
        "/network/U00001/finance/forecast/",
        "/network/U00001/iif/",
    ):
        assert dead not in shown, dead
    assert "No population dataset is loaded for this PCN yet; an administrator loads it" in html
    assert "No national workforce (NWRS) file is loaded yet" in html
    for href in shown:  # every link that is shown opens
        assert client.get(href).status_code == 200, href


def test_clinician_sees_no_finance_links(client, users):
    client.force_login(users["clinician"])
    html = client.get("/network/U00001/").content.decode()
    assert not any("/finance/" in h for h in workspace_hrefs(html))
    assert "/network/U00001/smr/" not in html


def test_not_found_pages_never_tell_a_web_user_to_run_a_command(client, users):
    client.force_login(users["pcn_lead"])
    for path in (
        "/network/U00001/population/",
        "/network/U00001/workforce/",
        "/network/U00001/iif/",
        "/about/",
        "/network/U00001/care-homes/",
    ):
        html = client.get(path).content.decode()
        assert "openpcn " not in html.replace("openpcn-", ""), path
        assert "import-all" not in html and "demo population" not in html, path
    html = client.get("/network/U00001/population/").content.decode()
    assert "an administrator loads it" in html


def test_admin_reaches_any_pcn_workspace(client, users):
    client.force_login(users["admin"])
    html = client.get("/dashboard/?q=beta").content.decode()
    assert 'href="/network/U00002/"' in html
    html = client.get("/dashboard/").content.decode()
    assert 'href="/icb/QAA/"' in html and 'href="/icb/QBB/"' in html
    html = client.get("/explore/search/?q=South").content.decode()
    assert 'href="/network/U00002/"' in html
    html = client.get("/explore/pcn/U00002/").content.decode()
    assert 'href="/network/U00002/"' in html


def test_visitors_see_no_workspace_links(client, users):
    html = client.get("/explore/pcn/U00002/").content.decode()
    assert 'href="/network/U00002/"' not in html


def test_practice_manager_page_has_income_sessions_and_rota(client, users, register):  # noqa: F811
    from openpcn.data.rota.models import RotaPlan
    from openpcn.data.rota.planning import publish

    client.force_login(users["pcn_lead"])
    client.post("/network/U00001/rota/", {"start": MONDAY.isoformat(), "weeks": "1"})
    plan = RotaPlan.objects.get()
    assert plan.status == "solved", plan.message
    publish(plan)
    at_a1 = [a for a in plan.solution["assignments"] if a["site"] == "S-A00001"]
    assert at_a1
    client.force_login(users["practice_manager"])
    html = client.get("/practice/A00001/").content.decode()
    assert "<h2>Income</h2>" in html
    assert 'data-testid="income"' in html or 'data-testid="income-missing"' in html
    rota = html.split('data-testid="practice-rota"')[1].split("</table>")[0]
    assert rota.count("<tr><td>") == len(at_a1)
    for href in hrefs(html.split("<main")[1]):
        assert client.get(href).status_code == 200, href


def test_practice_manager_income_names_what_is_missing(client, users):
    client.force_login(users["practice_manager"])
    html = client.get("/practice/A00001/").content.decode()
    income = html.split('data-testid="income-missing"')[1].split("</p>")[0]
    assert "an administrator loads it" in income or "not known" in income
    assert 'data-testid="practice-rota-empty"' in html


def test_clinician_caseload_lists_what_they_may_see(client, users):
    client.force_login(users["clinician"])
    html = client.get("/caseload/").content.decode()
    links = html.split('data-testid="caseload-links"')[1].split("</ul>")[0]
    assert "Care plans for care home residents" in links
    assert "Care homes and rounds" in links
    assert "Rotas" in links
    assert "Structured medication reviews" not in links  # not the clinician's to see
    for href in hrefs(links):
        assert client.get(href).status_code == 200, href


def _dated_file(observed: date, rows):
    orgs = {o.code: o for o in Organisation.objects.all()}
    for child, parent, start, end in rows:
        if parent not in orgs:
            orgs[parent] = Organisation.objects.create(code=parent, kind="pcn", name=parent)
        Relation.objects.create(
            child=orgs[child],
            parent=orgs[parent],
            kind="pcn_member",
            start=start,
            end=end,
            observed=observed,
        )
    clear_views()


def test_membership_history_one_row_per_practice_per_period(client, users):
    """A snapshot (2020) and a dated file (2022) both list A00001 in U00001: one row, from
    its start; A00002 left U00001 for U00003, which then dissolved: each period ends."""
    _dated_file(
        date(2022, 1, 1),
        [
            ("A00001", "U00001", date(2019, 4, 1), None),
            ("A00002", "U00001", date(2019, 4, 1), date(2021, 3, 31)),
            ("A00002", "U00003", date(2021, 4, 1), date(2021, 9, 30)),
        ],
    )
    from openpcn.web.registry.pages import membership_history

    rows = membership_history("U00001", as_child=False)
    by = {}
    for r in rows:
        by.setdefault(r["code"], []).append((r["start"], r["end"]))
    assert by == {
        "A00001": [(date(2019, 4, 1), None)],
        "A00002": [(date(2019, 4, 1), date(2021, 3, 31))],
    }
    dissolved = membership_history("U00003", as_child=False)
    assert [(r["code"], r["start"], r["end"]) for r in dissolved] == [
        ("A00002", date(2021, 4, 1), date(2021, 9, 30))
    ]
    html = client.get("/explore/pcn/U00001/").content.decode()
    history = html.split('data-testid="history"')[1].split("</table>")[0]
    assert history.count("<tr><td>") == 2
    assert "2021-03-31" in history and "(snapshot)" not in history


def test_pcn_page_honours_the_as_at_date(client, users):
    _dated_file(
        date(2022, 1, 1),
        [
            ("A00001", "U00001", date(2019, 4, 1), None),
            ("A00002", "U00001", date(2019, 4, 1), date(2021, 3, 31)),
        ],
    )
    client.force_login(users["pcn_lead"])
    then = client.get("/network/U00001/?on=2021-01-01").content.decode()
    now = client.get("/network/U00001/").content.decode()
    members_then = then.split('data-testid="members"')[1].split("</table>")[0]
    members_now = now.split('data-testid="members"')[1].split("</table>")[0]
    assert "A00002" in members_then and "as at 2021-01-01" in members_then
    assert "A00002" not in members_now
    assert client.get("/network/U00001/?on=yesterday").status_code == 400


def test_practice_manager_sees_the_practices_share_of_the_pcn_income(client, users):
    from decimal import Decimal
    from pathlib import Path

    from openpcn.data.finance import entitlements
    from openpcn.data.registry.loaders import import_file

    fixtures = Path(__file__).parent.parent / "registry" / "fixtures"
    entitlements.clear()
    for name in ("map-2026-07.csv", "all-2026-07.csv", "des-2025-26.csv"):
        import_file(fixtures / name)
    client.force_login(users["practice_manager"])
    html = client.get("/practice/A00001/?on=2026-08-01").content.decode()
    entitlements.clear()
    table = html.split('data-testid="income"')[1].split("</table>")[0]
    assert "2026-27" in table and "20,000 of the PCN&#39;s 35,000 registered patients" in table
    rows = re.findall(r"<td>([^<]+)</td><td[^>]*>£([\d,.]+)</td><td[^>]*>£([\d,.]+)</td>", table)
    assert rows
    for _name, pcn, mine in rows:
        pcn, mine = (Decimal(x.replace(",", "")) for x in (pcn, mine))
        assert abs(mine - pcn * Decimal(20000) / Decimal(35000)) < Decimal("0.01")
