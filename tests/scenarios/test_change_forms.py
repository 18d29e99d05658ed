"""The scenarios page's own form for every change kind: each is shown with the PCN's own
staff, vacancies and members to choose from, saves the change it says, and a bad value is
shown naming the change with nothing saved."""

from __future__ import annotations

import html
from datetime import date

import pytest

from openpcn.data.scenarios import store
from openpcn.web.scenarios.forms import KIND_FORMS

pytestmark = pytest.mark.django_db
URL = "/network/U00001/plans/"


def forms(small):
    """kind -> the form's values, and the change it must save."""
    cp, vac = small["cp"], small["vacancy"]
    return {
        "leave": ({"staff_id": cp.staff_id, "on": "2024-11-30"},
                  f"{cp.staff_id} leaves (last day 2024-11-30)"),
        "change_wte": ({"staff_id": cp.staff_id, "wte": "0.5", "start": "2024-10-01"},
                       f"{cp.staff_id} works 0.5 WTE from 2024-10-01"),
        "vacancy_unfilled": ({"vacancy_id": vac.vacancy_id},
                             f"vacancy {vac.vacancy_id} is not filled"),
        "practice_joins": ({"practice": "b00001", "start": "2024-08-01"},
                           "practice B00001 joins from 2024-08-01"),
        "rules_variant": ({"icb": ""}, "the national rules apply"),
        "rules_year": ({"year": "2025-26"}, "the 2025-26 rules apply"),
        "rooms": ({"practice": "A00002", "rooms": "1", "session": "morning",
                   "start": "2024-08-01"}, "1 room at A00002 each morning from 2024-08-01"),
    }  # fmt: skip


def test_every_kind_has_a_form_that_saves_its_change(client, users, small):
    client.force_login(users["pcn_lead"])
    sc = store.create("U00001", "Forms", date(2024, 7, 1), [])
    page = client.get(URL).content.decode()
    for kind in KIND_FORMS:
        assert f'data-testid="{kind}-form"' in page
    assert f'<option value="{small["cp"].staff_id}">' in page  # the register to choose from
    assert f'<option value="{small["vacancy"].vacancy_id}">' in page
    for kind, (values, said) in forms(small).items():
        post = {"action": "add", "kind": kind, "form": kind, "scenario": sc.pk}
        post |= {f"{kind}-{k}": v for k, v in values.items()}
        other = store.create("U00001", kind, date(2024, 7, 1), [])
        r = client.post(URL, post | {"scenario": other.pk})
        assert r.status_code == 302, (kind, r.content.decode()[:2000])
        assert [c.describe() for c in store.changes_of(other)] == [said], kind


def test_a_bad_value_in_a_form_names_the_change_and_saves_nothing(client, users, small):
    client.force_login(users["pcn_lead"])
    sc = store.create("U00001", "Bad rooms", date(2024, 7, 1), [])
    r = client.post(URL, {"action": "add", "kind": "rooms", "form": "rooms", "scenario": sc.pk,
                          "rooms-practice": "A00002", "rooms-rooms": "1",
                          "rooms-start": "2024-05-01"})  # fmt: skip
    assert r.status_code == 200
    assert (
        "Change 1 (1 room at A00002 each morning and afternoon from 2024-05-01): the start"
        " 2024-05-01 is before the scenario's date 2024-07-01"
    ) in html.unescape(r.content.decode())
    assert sc.versions.count() == 1
