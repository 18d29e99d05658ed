"""The governance store on a real database: good records are saved and audited; bad ones
are refused whole with every problem in words and nothing half-saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.governance import reads, store
from openpcn.governance.maturity import framework
from tests.governance.conftest import ON, counts

pytestmark = pytest.mark.django_db
GOOD_ACTION = {"text": "Draft the budget", "owner": "Dr Lee", "organisation": "A00001",
               "due": date(2024, 8, 1), "status": "open"}  # fmt: skip


def test_an_agreement_is_saved_with_its_parties_and_audited(pcn, users):
    a = store.save_agreement(pcn, start=date(2024, 4, 1), parties=["A00001", "a00002"],
                             user=users["pcn_lead"])  # fmt: skip
    assert sorted(a.parties.values_list("code", flat=True)) == ["A00001", "A00002"]
    assert reads.agreement_in_force(pcn, ON)["id"] == a.pk
    event = AuditEvent.objects.get(action="governance.agreement")
    assert event.username == "user-pcn_lead" and event.detail["pcn"] == "U00001"


def test_an_overlapping_agreement_saves_nothing(pcn):
    store.save_agreement(pcn, start=date(2024, 4, 1), end=date(2025, 3, 31), parties=["A00001"])
    before = counts()
    with pytest.raises(store.GovernanceError) as err:
        store.save_agreement(pcn, start=date(2025, 1, 1), parties=["A00001", "A00002"])
    assert err.value.problems == [
        "the agreement from 2025-01-01 (open) overlaps the one 2024-04-01 to 2025-03-31: end "
        "that one first or choose dates that do not overlap"
    ]
    assert counts() == before


def test_a_party_from_another_pcn_saves_nothing(pcn):
    with pytest.raises(store.GovernanceError) as err:
        store.save_agreement(pcn, start=date(2024, 4, 1), parties=["A00001", "B00001"])
    assert "B00001 is not a member practice of U00001 as at 2024-04-01" in str(err.value)
    assert counts()["agreements"] == counts()["parties"] == 0


def test_a_meeting_with_an_action_without_an_owner_saves_neither(pcn):
    no_owner = GOOD_ACTION | {"owner": ""}
    with pytest.raises(store.GovernanceError) as err:
        store.hold_meeting(pcn, day=ON, title="PCN board", actions=[GOOD_ACTION, no_owner])
    assert err.value.problems == ["action 2: name the person who owns the action (who will do it)"]
    assert counts()["meetings"] == counts()["actions"] == 0
    m = store.hold_meeting(pcn, day=ON, title="PCN board", actions=[GOOD_ACTION])
    assert m.actions.get().organisation.code == "A00001"


def test_a_decision_is_for_member_practices(pcn):
    with pytest.raises(store.GovernanceError) as err:
        store.record_decision(pcn, day=ON, what="Hire", made_by="Board", practices=["B00001"])
    assert err.value.problems == ["B00001 is not a member practice of U00001 on 2024-07-01"]
    d = store.record_decision(pcn, day=ON, what="Hire", made_by="Board", practices=["A00001"])
    assert reads.decisions(pcn)[0]["practices"] == [("A00001", "Alpha Surgery")]
    assert d.made_by == "Board"


def test_action_status_changes_and_a_bad_status_is_refused(pcn):
    action = store.add_action(pcn, GOOD_ACTION)
    with pytest.raises(store.GovernanceError):
        store.set_status(action, "maybe")
    store.set_status(action, "done")
    action.refresh_from_db()
    assert action.status == "done"


def test_cd_time_against_the_funded_time(pcn):
    store.record_cd_time(pcn, director="Dr Lee", start=date(2024, 4, 1), hours="7.5")
    with pytest.raises(store.GovernanceError) as err:
        store.record_cd_time(pcn, director="Dr Lee", start=date(2024, 9, 1), hours="8")
    assert "overlaps the one from 2024-04-01 (open)" in str(err.value)
    assert counts()["cd"] == 1
    cd = reads.cd_figures(pcn, ON)
    assert cd.year == "2024-25" and cd.missing == ""
    # 0.25 WTE (the 2024-25 rules file) x 29,000 adjusted patients / 50,000 x 37.5 hours
    assert cd.figures.funded_hours.value == Decimal("0.25") * 29000 / 50000 * Decimal("37.5")
    assert cd.figures.recorded_hours.value == Decimal("7.5")
    assert cd.figures.difference.value == Decimal("2.0625")
    assert "pcn_data_2024-25.csv" in cd.figures.funded_wte.inputs[0].data[0].source


def test_cd_time_without_a_population_file_says_so(orgs):
    cd = reads.cd_figures(orgs["U00001"], ON)
    assert cd.figures is None and "No NHS England PCN population file" in cd.missing


def test_maturity_self_assessment_over_time_and_one_per_date(pcn):
    keys = [d.key for d in framework().domains]
    store.record_assessment(pcn, day=date(2024, 4, 1), scores=dict.fromkeys(keys, "1"),
                            notes={"workforce": "No pharmacist yet"})  # fmt: skip
    with pytest.raises(store.GovernanceError) as err:
        store.record_assessment(pcn, day=date(2024, 4, 1), scores=dict.fromkeys(keys, "2"),
                                notes={})  # fmt: skip
    assert err.value.problems[0].startswith("there is already a self-assessment on 2024-04-01")
    partial = dict.fromkeys(keys, "3") | {"workforce": "9"}
    with pytest.raises(store.GovernanceError):
        store.record_assessment(pcn, day=date(2025, 4, 1), scores=partial, notes={})
    assert counts()["assessments"] == 1 and counts()["scores"] == 6
    store.record_assessment(pcn, day=date(2025, 4, 1), scores=dict.fromkeys(keys, "3"), notes={})
    mat = reads.maturity(pcn)
    assert mat.dates == [date(2024, 4, 1), date(2025, 4, 1)]
    assert {r.since_first for r in mat.rows} == {2}
    assert mat.notes[(date(2024, 4, 1), "workforce")] == "No pharmacist yet"


def test_summary_is_plain_json(pcn):
    import json

    store.save_agreement(pcn, start=date(2024, 4, 1), parties=["A00001"])
    store.record_cd_time(pcn, director="Dr Lee", start=date(2024, 4, 1), hours="7.5")
    data = json.loads(json.dumps(reads.summary(pcn, ON)))
    assert data["agreements"][0]["start"] == "2024-04-01"
    assert data["cd_time"]["figures"]["funded_wte"]["value"] == "0.145"
