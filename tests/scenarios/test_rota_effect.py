"""A scenario's sample-week rota on the small PCN (U00001: A00001, A00002; B00001 in U00002).

The scenario's rota instance must be the instance the rota page builds after making the change
for real (then undone), and solving the scenario must give what solving the rota page's plan
gives: the rota domain's own builder and solver on changed facts, not a second model."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from openpcn.data.registry.models import Organisation, Relation
from openpcn.data.registry.national import clear_views
from openpcn.data.registry.queries import clear_memberships
from openpcn.data.rota import planning
from openpcn.data.rota.models import RotaPlan
from openpcn.data.scenarios import adopt, store
from openpcn.rota.pcn.register import instance_from
from openpcn.scenarios.changes import from_list
from openpcn.scenarios.effects import sample_facts
from openpcn.scenarios.inputs import apply
from openpcn.scenarios.rota import sample_week
from tests.finance.ledger_fixtures import staff
from tests.scenarios.conftest import registered_counts

AS_AT = date(2024, 7, 1)
PCN = "U00001"


@pytest.fixture
def small(small):
    """The small PCN with registered counts: A00001 16,000 (3 rooms), A00002 12,000."""
    registered_counts(small["orgs"])
    return small


def scenario_instance(changes):
    """The instance the scenario solves for its sample week."""
    parsed = from_list(changes)
    inputs = store.with_rota(store.inputs_for(PCN, AS_AT), parsed)
    return instance_from(sample_facts(apply(inputs, parsed)))[0]


def page_instance(week):
    """The instance the rota page builds now for a one-week plan from ``week``."""
    clear_memberships()
    clear_views()
    plan = RotaPlan(pcn=Organisation.objects.get(code=PCN), start=week, weeks=1)
    return planning.build_instance(plan)


def same(a, b):
    """Equal but for the ids the register gives people (the scenario numbers its recruits)."""

    def people(inst):
        return sorted(repr(replace(s, id="")) for s in inst.staff)

    assert people(a) == people(b)
    assert replace(a, staff=[]) == replace(b, staff=[])


def test_the_sample_week_is_after_every_change():
    changes = from_list([
        {"kind": "recruit", "role": "clinical_pharmacist", "wte": "1", "start": "2024-09-04"},
        {"kind": "leave", "staff_id": "S00001", "on": "2024-10-06"},
    ])  # fmt: skip
    assert sample_week(AS_AT, ()) == AS_AT  # a Monday
    assert sample_week(AS_AT, changes) == date(2024, 10, 7)  # the Monday after the last day


def test_a_recruit_equals_adding_the_record_for_real(small):
    change = {"kind": "recruit", "role": "clinical_pharmacist", "wte": "0.5",
              "start": "2024-09-02", "base_site": "A00002", "employer": "A00002",
              "sessions": "A00001:2"}  # fmt: skip
    scen = scenario_instance([change])
    week = date(2024, 9, 2)
    before = page_instance(week)
    s = staff(wte="0.5", start=week, name="New clinical pharmacist (R001)")
    s.base_practice = "A00002"
    s.save()
    s.sessions.create(practice_code="A00001", sessions=2)
    same(scen, page_instance(week))
    assert scen.fairness is not None and scen.fairness.roles == ("clinical_pharmacist",)
    s.delete()
    same(before, page_instance(week))
    assert before.fairness is None  # one pharmacist: nothing to share


def test_leave_and_change_of_wte_equal_the_records_for_real(small):
    cp, splw = small["cp"], small["splw"]
    changes = [{"kind": "leave", "staff_id": splw.staff_id, "on": "2024-09-30"},
               {"kind": "change_wte", "staff_id": cp.staff_id, "wte": "0.5",
                "start": "2024-10-01"}]  # fmt: skip
    scen = scenario_instance(changes)
    week = date(2024, 10, 7)
    splw.end_date = date(2024, 9, 30)
    splw.save()
    cp.end_date = date(2024, 9, 30)
    cp.save()
    staff(wte="0.5", start=date(2024, 10, 1))  # the same person from the day after
    same(scen, page_instance(week))
    assert [(s.wte, s.contracted_sessions) for s in scen.staff] == [(0.5, 4)]  # round(4.5)


def _move(practice, pcn):
    rel = Relation.objects.get(child__code=practice, kind="pcn_member")
    rel.parent = Organisation.objects.get(code=pcn)
    rel.save()


def test_practices_joining_and_leaving_equal_the_membership_for_real(small):
    changes = [
        {"kind": "practice_joins", "practice": "B00001", "start": "2024-08-01"},
        {"kind": "practice_leaves", "practice": "A00002", "start": "2024-08-01"},
    ]
    scen = scenario_instance(changes)
    _move("B00001", PCN)
    _move("A00002", "U00002")
    real = page_instance(date(2024, 8, 5))
    same(scen, real)
    assert [p.id for p in real.practices] == ["A00001", "B00001"]


def test_rooms_change_the_sites_rooms_and_the_rota_says_what_cannot_be_met(small):
    change = {"kind": "rooms", "practice": "A00001", "rooms": "0", "start": "2024-07-15"}
    scen = scenario_instance([change])
    site = scen.site("S-A00001")
    assert (site.rooms["morning"], site.rooms["afternoon"]) == (0, 0)
    page = page_instance(date(2024, 7, 15))
    assert page.site("S-A00001").rooms["morning"] == 3
    assert replace(scen, sites=page.sites) == page  # nothing else changes
    sc = store.create(PCN, "No rooms at A00001", AS_AT, [change])
    result = store.run(sc, rota=5)
    base, week = result.baseline.rota, result.scenario.rota
    assert base.feasible and week.feasible
    assert base.unmet == () and week.unmet  # everyone is based at A00001, which has no room
    assert any("contract" in text or "session" in text for text in week.unmet)
    rows = {(r.effect, r.item): r for r in result.rows}
    assert rows[("Rota: sessions a week", "A00001")].scenario == 0
    assert rows[("Rota: sessions a week", "A00001")].baseline > 0
    share = rows[("Rota: share of the list %", "A00001")]
    assert (share.baseline, share.scenario) == (Decimal("57.1"), Decimal("57.1"))  # 16/28
    with pytest.raises(store.ScenarioError, match="does not record rooms"):
        adopt.adopt(sc)


def test_solving_the_scenario_equals_solving_the_rota_page_after_the_change(small):
    change = {"kind": "recruit", "role": "clinical_pharmacist", "wte": "1",
              "start": "2024-07-01", "base_site": "A00002", "employer": "A00002"}  # fmt: skip
    result = store.run(store.create(PCN, "A second pharmacist", AS_AT, [change]), rota=10)
    s = staff(start=AS_AT, name="New clinical pharmacist (R001)")
    s.base_practice = "A00002"
    s.save()
    clear_memberships()
    clear_views()
    plan = RotaPlan.objects.create(pcn=Organisation.objects.get(code=PCN), start=AS_AT,
                                   weeks=1, time_limit=10, created_by="test")  # fmt: skip
    plan = planning.run_plan(plan.pk)
    week = result.scenario.rota
    assert week.status == "OPTIMAL" and plan.solution["status"] == "OPTIMAL"
    assert week.objective == plan.solution["objective"]
    sessions = {p.practice: p.sessions for p in week.practices}
    assert sum(sessions.values()) == len(plan.solution["assignments"])
    assert sessions["A00001"] > 0 and sessions["A00002"] > 0


def test_run_json_carries_both_weeks(small):
    sc = store.create(PCN, "Nothing", AS_AT, [])
    payload = store.run(sc, rota=5).as_dict()["rota"]
    assert payload["baseline"] == payload["scenario"] | {"objective": payload["baseline"]
                                                         ["objective"]}  # fmt: skip
    assert payload["scenario"]["feasible"] is True
    assert [p["practice"] for p in payload["scenario"]["practices"]] == ["A00001", "A00002"]


def test_the_page_solves_the_sample_week_in_the_background_and_shows_both_weeks(
    client, users, small
):
    from openpcn.data.accounts.models import AuditEvent
    from openpcn.data.scenarios.models import RotaRun

    url = "/network/U00001/plans/"
    sc = store.create(PCN, "No rooms", AS_AT, [{"kind": "rooms", "practice": "A00001",
                                                "rooms": "0", "start": "2024-07-15"}])  # fmt: skip
    client.force_login(users["pcn_lead"])
    page = client.get(f"{url}?show={sc.pk}").content.decode()
    assert f'data-testid="solve-rota-{sc.pk}"' in page
    r = client.post(url, {"action": "rota", "scenario": sc.pk})
    assert r.status_code == 302 and r["Location"].endswith(f"?show={sc.pk}")
    run = RotaRun.objects.get(scenario=sc)
    assert run.state == "done" and run.progress  # solved inline under tests, with progress
    assert AuditEvent.objects.filter(action="scenario.rota", object_id=str(sc.pk)).exists()
    page = client.get(r["Location"]).content.decode()
    assert "Baseline: a rota can be made. Scenario: a rota can be made." in page
    assert f'data-testid="rota-unmet-scenario-{sc.pk}"' in page
    assert f'data-testid="rota-unmet-baseline-{sc.pk}"' not in page
    assert "57.1%" in page  # A00001's share of the list
    assert 'http-equiv="refresh"' not in page  # nothing left solving
    RotaRun.objects.create(
        scenario=sc,
        version=1,
        time_limit=5,
        state="solving",
        progress=[{"side": "baseline", "seconds": 1.5, "objective": 40}],
    )
    page = client.get(r["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page
    assert "baseline rota, penalty 40 after 1.5 s. This page refreshes itself." in page
    client.force_login(users["icb_commissioner"])
    assert client.post(url, {"action": "rota", "scenario": sc.pk}).status_code == 403
    assert RotaRun.objects.count() == 2  # the one solved and the one made by hand above


def test_plan_run_rota_json_and_bad_rooms_named(small):
    import json

    from typer.testing import CliRunner

    from openpcn.cli.main import app

    def cli(*args):
        return CliRunner().invoke(app, ["plan", *args])

    assert cli("create", PCN, "rooms", "--as-at", "2024-07-01").exit_code == 0
    bad = cli("add-change", "rooms", "--pcn", PCN, "rooms", "practice=B00001", "rooms=1",
              "start=2024-08-01")  # fmt: skip
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert ("change 1 (1 room at B00001 each morning and afternoon from 2024-08-01): B00001 is"
            " not a member practice of U00001") in " ".join(bad.output.split())  # fmt: skip
    added = cli("add-change", "rooms", "--pcn", PCN, "rooms", "practice=A00002", "rooms=1",
                "session=morning", "start=2024-08-01")  # fmt: skip
    assert added.exit_code == 0, added.output
    ran = cli("run", "rooms", "--pcn", PCN, "--format", "json", "--rota", "--time-limit", "5")
    assert ran.exit_code == 0, ran.output
    data = json.loads(ran.stdout)
    assert data["rota"]["scenario"]["start"] == "2024-08-05"
    assert data["rota"]["scenario"]["feasible"] is True
    rows = {(r["effect"], r["item"]) for r in data["rows"]}
    assert ("Rota: sessions a week", "A00002") in rows
    plain = cli("run", "rooms", "--pcn", PCN, "--format", "json")
    assert json.loads(plain.stdout)["rota"] is None  # the rota only when asked for


def test_two_recruited_gps_bring_enhanced_access_into_the_sample_week(small):
    gp = {"kind": "recruit", "role": "gp", "wte": "1", "start": "2024-10-01",
          "base_site": "A00001"}  # fmt: skip
    sc = store.create(PCN, "Two GPs", AS_AT, [gp, gp | {"base_site": "A00002"}])
    result = store.run(sc, rota=10)
    base, week = result.baseline.rota, result.scenario.rota
    assert "Enhanced Access was not planned" in base.message and base.ea_required is None
    adjusted = result.scenario.inputs.populations().pcns[PCN].adjusted
    assert week.ea_required == -(-60 * adjusted // 1000)  # 60 minutes per 1,000 a week
    assert week.feasible  # the recruits' evening and Saturday sessions count
    assert week.ea_planned >= week.ea_required


def test_no_list_sizes_means_no_shares_to_keep_to_not_a_crash(small):
    """Without a registered-patients file every list is 0: two pharmacists share a role, but
    there is no list share to keep their sessions to (the solver used to divide by zero)."""
    from openpcn.data.registry.models import RegisteredPopulation

    RegisteredPopulation.objects.all().delete()
    cp = {"kind": "recruit", "role": "clinical_pharmacist", "wte": "1", "start": "2024-07-01",
          "base_site": "A00002"}  # fmt: skip
    clear_views()
    week = store.run(store.create(PCN, "Two pharmacists", AS_AT, [cp]), rota=5).scenario.rota
    assert week.feasible
    assert {p.list_share for p in week.practices} == {Decimal(0)}


def test_a_run_that_cannot_be_made_says_why_on_the_page(client, users, small):
    from openpcn.data.scenarios import rota_runs

    gone = small["splw"].staff_id
    sc = store.create(PCN, "Stale", AS_AT, [{"kind": "leave", "staff_id": gone,
                                             "on": "2024-11-30"}])  # fmt: skip
    small["splw"].delete()  # the register changed after the scenario was saved
    run = rota_runs.start(sc)
    assert run.state == "failed"
    assert f"{gone} is not on the PCN's staff register" in run.message
    client.force_login(users["pcn_lead"])
    page = html.unescape(client.get(f"/network/U00001/plans/?show={sc.pk}").content.decode())
    assert f'data-testid="problem-{sc.pk}"' in page  # the scenario says why, not a 500
    assert f"{gone} is not on the PCN's staff register" in page
