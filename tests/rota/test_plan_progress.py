"""A rota solving in the background shows a progress bar: time gone of the limit, the best
penalty so far, the lower bound and the gap between them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from openpcn.data.registry.models import Organisation
from openpcn.data.rota.models import PlanStatus, RotaPlan
from openpcn.web.rota.plan_page import solve_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def pcn(db):
    return Organisation.objects.get_or_create(
        code="U00001", defaults={"name": "Test PCN", "kind": "pcn"}
    )[0]


def _plan(pcn, **kw) -> RotaPlan:
    return RotaPlan.objects.create(
        pcn=pcn, start=date(2026, 7, 6), weeks=1, time_limit=30, created_by="lead", **kw
    )


@pytest.mark.parametrize(
    ("status", "since", "progress", "expected"),
    [
        (PlanStatus.QUEUED, None, [], {"queued": True, "elapsed": 0.0, "objective": None}),
        (PlanStatus.SOLVING, 12, [], {"elapsed": 12.0, "objective": None, "bound": None}),
        (
            PlanStatus.SOLVING,
            12,
            [{"seconds": 3.0, "objective": 900, "bound": None}],
            {"elapsed": 12.0, "objective": 900, "bound": None, "gap": None, "found_at": 3.0},
        ),
        (
            PlanStatus.SOLVING,
            12,
            [
                {"seconds": 3.0, "objective": 900, "bound": None},
                {"seconds": 8.0, "objective": 500, "bound": 449.2},
            ],
            {"objective": 500, "bound": 450, "gap": 10.2, "found_at": 8.0},
        ),
        # the clock never shows more than the limit, nor less than the last report
        (PlanStatus.SOLVING, 95, [], {"elapsed": 30.0}),
        (PlanStatus.SOLVING, 1, [{"seconds": 4.0, "objective": 7, "bound": 7}], {"elapsed": 4.0}),
        (PlanStatus.SOLVED, 12, [{"seconds": 4.0, "objective": 7, "bound": 7}], None),
    ],
)
def test_solve_progress(pcn, status, since, progress, expected):
    now = timezone.now()
    solving_since = now - timedelta(seconds=since) if since is not None else None
    plan = _plan(pcn, status=status, progress=progress, solving_since=solving_since)
    got = solve_progress(plan, now=now)
    if expected is None:
        assert got is None
        return
    assert got["limit"] == 30
    for key, value in expected.items():
        assert got[key] == value, key


def test_page_shows_the_bar(client, users):
    pcn = Organisation.objects.get(code="U00001")
    plan = _plan(
        pcn,
        status=PlanStatus.SOLVING,
        solving_since=timezone.now() - timedelta(seconds=10),
        progress=[{"seconds": 6.5, "objective": 1234, "bound": 1000}],
    )
    client.force_login(users["admin"])
    html = client.get(f"/network/U00001/rota/{plan.pk}/").content.decode()
    bar = re.search(r'<progress id="solve-progress" max="30" value="([\d.]+)"', html)
    assert bar and 10.0 <= float(bar.group(1)) <= 30.0
    assert 'data-testid="progress-objective">1,234<' in html
    assert 'data-testid="progress-bound">1,000<' in html
    assert "19.0% above the best possible" in html
    assert 'http-equiv="refresh"' in html
