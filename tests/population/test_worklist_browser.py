"""In Chromium: a PCN lead opens a worklist, gives a purpose, sees the list; the view is audited."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.population import cohorts as presenters
from openpcn.data.population.datasets import register
from tests.browser import sign_in
from tests.conftest import PASSWORD
from tests.population.conftest import make_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worklist_with_purpose(page, live_server, users, tmp_path):
    presenters.clear()
    path = make_dataset(
        tmp_path / "ds", [{"id": i, "age": 82, "care_home": True} for i in range(3)]
    )
    meta = json.loads((path / "metadata.json").read_text())
    (path / "metadata.json").write_text(
        json.dumps({**meta, "synthetic": True, "patients": 3}, default=str)
    )
    register("U00001", path)
    sign_in(page, live_server.url, "user-pcn_lead", PASSWORD)
    page.goto(live_server.url + "/network/U00001/population/")
    expect(page.get_by_test_id("synthetic")).to_be_visible()
    page.get_by_test_id("cohorts").get_by_role("row").filter(
        has_text="Care home resident"
    ).first.get_by_role("link", name="List patients").click()
    page.get_by_label("Care home round preparation").check()
    page.get_by_test_id("show-list").click()
    expect(page.get_by_test_id("patient-count")).to_have_text("3")
    event = AuditEvent.objects.get(action="worklist viewed", username="user-pcn_lead")
    assert event.purpose == "Care home round preparation" and event.detail["patients"] == 3
    presenters.clear()
