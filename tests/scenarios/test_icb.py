"""ICB scenarios on an ICB of two PCNs (QAA: U00001 and U00003). Per ICB change kind, each
PCN's effects must equal the same engine run on that PCN's inputs changed by hand, and the
ICB's totals the sum of its PCNs' figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.registry.models import Organisation, Relation
from openpcn.data.registry.queries import clear_memberships
from openpcn.data.scenarios import icb_store, store
from openpcn.data.scenarios.models import Scenario, ScenarioVersion
from openpcn.scenarios.changes import ChangeError
from openpcn.scenarios.effects import effects
from tests.scenarios.icb_fixtures import AS_AT, ICB, care_homes, second_pcn


@pytest.fixture
def icb(small):
    return small | second_pcn(small["orgs"])


def _by_hand(pcn_inputs, **changed):
    return effects(replace(pcn_inputs, **changed)).values()


def _rows(result):
    return {(r.effect, r.item): r for r in result.rows}


def test_practice_moves_equals_each_pcn_run_on_the_membership_changed_by_hand(icb, users):
    change = {"kind": "practice_moves", "practice": "A00002", "to_pcn": "U00003",
              "start": "2024-10-01"}  # fmt: skip
    sc = icb_store.create(ICB, "A00002 to Alpha South", AS_AT, [change],
                          user=users["icb_commissioner"])  # fmt: skip
    result = icb_store.run(sc)
    assert set(result.pcns) == {"U00001", "U00003"} and result.unaffected == ()
    inputs = icb_store.inputs_for(ICB, AS_AT)
    moved = dict(inputs.membership()) | {"A00002": "U00003"}
    for code in ("U00001", "U00003"):
        assert result.pcns[code].scenario.values() == _by_hand(inputs.pcns[code], membership=moved)
        assert result.pcns[code].baseline.values() == effects(inputs.pcns[code]).values()
    size = _rows(result)[("Size", "registered patients")]
    assert (size.baseline, size.scenario, size.difference) == (39000, 39000, 0)
    a = _rows(result.pcns["U00001"])[("Size", "registered patients")]
    b = _rows(result.pcns["U00003"])[("Size", "registered patients")]
    assert (a.difference, b.difference) == (-12000, 12000)
    # the ICB's totals are the sum of its PCNs' figures, each side
    for key in (("ARRS", "sum"), ("ARRS", "underspend")):
        row = _rows(result)[key]
        assert row.scenario == sum(_rows(r)[key].scenario for r in result.pcns.values())
        assert row.baseline == sum(_rows(r)[key].baseline for r in result.pcns.values())
    assert all(result.explanations.get(r.effect) for r in result.rows)
    # and the same as the membership changing for real
    rel = Relation.objects.get(child__code="A00002", kind="pcn_member")
    rel.parent = Organisation.objects.get(code="U00003")
    rel.save()
    clear_memberships()
    real = icb_store.inputs_for(ICB, AS_AT)
    for code in ("U00001", "U00003"):
        assert result.pcns[code].scenario.values() == effects(real.pcns[code]).values()
    event = AuditEvent.objects.filter(action="scenario.create").latest("id")
    assert event.detail["icb"] == ICB and "pcn" not in event.detail


def test_care_home_realigned_equals_the_periods_changed_by_hand_and_adopts(icb, users):
    from openpcn.data.services.models import CareHomeAlignment

    care_homes(icb["orgs"])
    change = {"kind": "care_home_realigned", "location_id": "1-001", "to_pcn": "U00003",
              "start": "2024-10-01", "lead_practice": "A00003"}  # fmt: skip
    sc = icb_store.create(ICB, "Oak to Alpha South", AS_AT, [change])
    result = icb_store.run(sc)
    inputs = icb_store.inputs_for(ICB, AS_AT, store.changes_of(sc))
    old, new = inputs.pcns["U00001"], inputs.pcns["U00003"]
    assert result.pcns["U00001"].scenario.values() == _by_hand(
        old, care_home_periods={"1-001": (date(2023, 1, 1), date(2024, 9, 30))}
    )
    assert result.pcns["U00003"].scenario.values() == _by_hand(
        new, care_home_periods={"1-001": (date(2024, 10, 1), None)})  # fmt: skip
    beds = _rows(result)[("Care homes", "aligned bed-years")]
    assert beds.difference == 0  # the beds move; the ICB keeps them
    premium = [r for r in result.changed_rows if r.effect == "Entitlements"]
    assert premium == []  # so the ICB's care home premium is the same
    moved = [r for r in result.pcns["U00003"].changed_rows if r.effect == "Entitlements"]
    assert moved and moved[0].difference > 0
    done = icb_store.adopt(sc, user=users["icb_commissioner"])
    assert len(done) == 2
    ended = CareHomeAlignment.objects.get(home__location_id="1-001", pcn__code="U00001")
    assert ended.end == date(2024, 9, 30)
    started = CareHomeAlignment.objects.get(home__location_id="1-001", pcn__code="U00003")
    assert (started.start, started.lead_practice.code, started.end) == (
        date(2024, 10, 1), "A00003", None)  # fmt: skip
    assert AuditEvent.objects.filter(action="scenario.adopted").latest("id").detail["icb"] == ICB


def _rules_by_hand(pcn_inputs, kind):
    """The rules a PCN's engines are handed, changed by hand as each rules kind says."""
    if kind["kind"] == "rules_year":
        return replace(pcn_inputs, entitlement_rules=pcn_inputs.year_rules[kind["year"]],
                       other_year=True)  # fmt: skip
    chosen = pcn_inputs.rule_variants[kind["icb"]]
    return replace(pcn_inputs, rules=chosen, entitlement_rules=chosen)


@pytest.mark.parametrize("kind", [{"kind": "rules_year", "year": "2025-26"},
                                  {"kind": "rules_variant", "icb": ""}])  # fmt: skip
def test_rules_apply_to_every_pcn_of_the_icb(icb, kind):
    sc = icb_store.create(ICB, "rules", AS_AT, [kind])
    result = icb_store.run(sc)
    assert set(result.pcns) == {"U00001", "U00003"}
    inputs = icb_store.inputs_for(ICB, AS_AT, store.changes_of(sc))
    for code, r in result.pcns.items():
        assert r.scenario.values() == effects(_rules_by_hand(inputs.pcns[code], kind)).values()
        assert r.baseline.values() == effects(inputs.pcns[code]).values()
    if kind["kind"] == "rules_year":
        assert result.changed_rows  # 2025-26's ARRS sum is not 2024-25's
    with pytest.raises(store.ScenarioError, match="change 1 .* cannot be adopted"):
        icb_store.adopt(sc)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"kind": "practice_moves", "practice": "B00001", "to_pcn": "U00001",
          "start": "2024-10-01"},
         "change 1 (practice B00001 moves to U00001 from 2024-10-01): B00001 is not a member"
         " practice of any PCN of ICB QAA as at 2024-07-01 (it is in U00002)"),
        ({"kind": "practice_moves", "practice": "A00002", "to_pcn": "U00002",
          "start": "2024-10-01"},
         "the PCN it joins, U00002 is not a PCN of ICB QAA as at 2024-07-01 (its PCNs: U00001,"
         " U00003)"),
        ({"kind": "practice_moves", "practice": "A00002", "to_pcn": "U00003",
          "start": "2024-05-01"},
         "change 1 (practice A00002 moves to U00003 from 2024-05-01), for U00001: the start"
         " 2024-05-01 is before the scenario's date 2024-07-01"),
        ({"kind": "practice_moves", "practice": "A00002", "to_pcn": "U00001",
          "start": "2024-10-01"}, "A00002 is already in U00001"),
        ({"kind": "care_home_realigned", "location_id": "1-002", "to_pcn": "U00003",
          "start": "2024-10-01"}, "1-002 is not aligned to any PCN of ICB QAA on 2024-09-30"),
        ({"kind": "recruit", "role": "clinical_pharmacist", "wte": "1", "start": "2024-08-01"},
         "change 1: unknown kind 'recruit'; kinds are practice_moves, care_home_realigned,"
         " rules_year, rules_variant"),
        ({"kind": "practice_moves", "practice": "A00002", "start": "2024-10-01"},
         "change 1 (practice_moves): missing to_pcn"),
    ],
)  # fmt: skip
def test_bad_changes_are_refused_naming_the_change_and_nothing_saved(icb, change, words):
    care_homes(icb["orgs"])
    with pytest.raises(ChangeError) as exc:
        icb_store.create(ICB, "bad", AS_AT, [change])
    assert words in str(exc.value)
    assert not ScenarioVersion.objects.exists() and not Scenario.objects.exists()


def test_an_icb_scenario_is_not_a_pcns(icb):
    with pytest.raises(store.ScenarioError, match="is not an ICB"):
        icb_store.create("U00001", "x", AS_AT)
    sc = icb_store.create(ICB, "empty", AS_AT)
    with pytest.raises(store.ScenarioError, match="ICB QAA's"):
        store.add_change(sc, {"kind": "rules_variant", "icb": ""})
    with pytest.raises(store.ScenarioError, match="an ICB's"):
        store.run(sc)
    assert store.find(ICB, "empty") == sc
    result = icb_store.run(sc)
    assert result.changed_rows == [] and result.unaffected == ("U00001", "U00003")
    assert _rows(result)[("Size bands", "PCNs below the band")].baseline == 2
    assert isinstance(_rows(result)[("ARRS", "sum")].baseline, Decimal)
