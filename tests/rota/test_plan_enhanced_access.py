"""Enhanced Access in a planned rota: one GP, two GPs, and the minutes the EA page shows."""

from __future__ import annotations

import pytest

from openpcn.data.registry.loaders import import_file
from openpcn.data.rota.models import RotaPlan
from tests.rota.test_plan_pages import MONDAY, REGISTRY, register  # noqa: F401

pytestmark = pytest.mark.django_db


def _plan(client, users, weeks="1", ea=True):
    client.force_login(users["pcn_lead"])
    form = {"start": MONDAY.isoformat(), "weeks": weeks, "time_limit": "10"}
    client.post("/network/U00001/rota/", form | ({"enhanced_access": "on"} if ea else {}))
    return RotaPlan.objects.order_by("-pk").first()


def test_one_gp_says_in_words_why_ea_is_not_planned(client, users, register):  # noqa: F811
    register[1].delete()  # the second GP
    plan = _plan(client, users)
    assert plan.status == "solved", plan.message
    assert "Enhanced Access was not planned" in plan.message
    page = client.get(f"/network/U00001/rota/{plan.pk}/").content.decode()
    assert 'data-testid="plan-message"' in page and "Enhanced Access was not planned" in page


@pytest.mark.parametrize("weeks", ["1", "2"])
def test_two_gps_plan_enhanced_access(client, users, register, weeks):  # noqa: F811
    plan = _plan(client, users, weeks)
    assert plan.status == "solved", plan.message
    assert plan.instance["enhanced_access"] is not None
    evenings = [a for a in plan.solution["assignments"] if a["session"] in ("evening", "saturday")]
    assert evenings


@pytest.mark.parametrize("then_without_ea", [False, True])
def test_ea_page_shows_the_planned_minutes(client, users, register, then_without_ea):  # noqa: F811
    import_file(REGISTRY / "des-2025-26.csv")
    plan = _plan(client, users)
    assert plan.status == "solved", plan.message
    if then_without_ea:  # a newer rota built without Enhanced Access does not hide it
        assert _plan(client, users, ea=False).status == "solved"
    page = client.get("/network/U00001/enhanced-access/").content.decode()
    weeks = page.split('data-testid="ea-weeks"')[1].split("</table>")[0]
    row = weeks.split("<tbody")[1].split("</tr>")[0]
    minutes = int(row.split('nhsuk-table__cell--numeric">')[1].split("<")[0].replace(",", ""))
    assert minutes > 0
