"""Scenarios stored as data on a small PCN (U00001: A00001, A00002; B00001 is in U00002).

Each change kind's effects must equal making the change for real (a register record, a
membership relation), running the same read the pages use, then undoing it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.finance import entitlements
from openpcn.data.finance.forecast import pcn_forecast
from openpcn.data.finance.models import StaffMember, Vacancy
from openpcn.data.registry.models import IngestedFile, Organisation, Relation
from openpcn.data.registry.queries import clear_memberships
from openpcn.data.scenarios import adopt, store
from openpcn.data.scenarios.models import ScenarioVersion
from openpcn.scenarios.changes import ChangeError
from tests.finance.ledger_fixtures import staff
from tests.scenarios.conftest import registered_counts

YEAR = "2024-25"
AS_AT = date(2024, 7, 1)
PCN = "U00001"


def real():
    """What the finance pages show now: the forecast and the entitlements as at AS_AT."""
    clear_memberships()
    entitlements.clear()
    fc = pcn_forecast(PCN, YEAR, AS_AT).forecast
    streams, _ = entitlements.pcn_entitlements(PCN, YEAR, on=AS_AT)
    return fc, [s.annual_amount for s in streams]


def assert_equal(effects, fc, amounts):
    for pot, b in fc.pots.items():
        a = effects.forecast.pots[pot]
        assert (a.sum, a.actual, a.committed, a.projected, a.underspend) == (
            b.sum, b.actual, b.committed, b.projected, b.underspend
        ), pot  # fmt: skip
    assert effects.forecast.wte_by_role == fc.wte_by_role
    assert [s.annual_amount for s in effects.streams] == amounts


def make(changes, name="plan"):
    return store.create(PCN, name, AS_AT, changes)


def test_the_baseline_is_what_the_pages_show(small):
    result = store.run(make([]))
    assert_equal(result.baseline, *real())
    assert result.changed_rows == []


def test_recruit_equals_adding_the_staff_member_for_real(small):
    change = {"kind": "recruit", "role": "first_contact_physiotherapist", "wte": "0.8",
              "start": "2024-09-01", "band": "7", "employer": "A00001", "base_site": "A00002",
              "monthly_gross": "3200.00", "monthly_employer_ni": "360.00",
              "monthly_employer_pension": "460.00"}  # fmt: skip
    result = store.run(make([change]))
    before = real()
    s = staff(role="first_contact_physiotherapist", wte="0.8", start=date(2024, 9, 1),
              gross="3200.00", ni="360.00", pension="460.00")  # fmt: skip
    assert result.changed_rows  # the change shows
    assert_equal(result.scenario, *real())
    s.delete()
    assert real()[0].pots["arrs"].committed == before[0].pots["arrs"].committed
    assert_equal(result.baseline, *before)


def test_recruit_without_pay_equals_a_staff_member_without_pay(small):
    result = store.run(make([{"kind": "recruit", "role": "care_coordinator", "wte": "1",
                              "start": "2024-08-01"}]))  # fmt: skip
    s = staff(role="care_coordinator", start=date(2024, 8, 1), gross=None)
    assert result.changed_rows  # the change shows
    assert_equal(result.scenario, *real())
    s.delete()


def test_leave_equals_setting_the_end_date_for_real(small):
    cp = small["cp"]
    result = store.run(make([{"kind": "leave", "staff_id": cp.staff_id, "on": "2024-11-30"}]))
    cp.end_date = date(2024, 11, 30)
    cp.save()
    assert result.changed_rows  # the change shows
    assert_equal(result.scenario, *real())
    cp.end_date = None
    cp.save()
    assert_equal(result.baseline, *real())


def test_change_wte_equals_ending_and_restarting_for_real(small):
    cp = small["cp"]
    result = store.run(make([{"kind": "change_wte", "staff_id": cp.staff_id, "wte": "0.5",
                              "start": "2024-10-01"}]))  # fmt: skip
    cp.end_date = date(2024, 9, 30)
    cp.save()
    new = staff(wte="0.5", start=date(2024, 10, 1), gross="2000.00", ni="225.00",
                pension="287.50")  # fmt: skip
    assert result.changed_rows  # the change shows
    assert_equal(result.scenario, *real())
    new.delete()
    cp.end_date = None
    cp.save()


def test_vacancy_unfilled_equals_deleting_it_for_real(small):
    vac = small["vacancy"]
    result = store.run(make([{"kind": "vacancy_unfilled", "vacancy_id": vac.vacancy_id}]))
    kept = {f: getattr(vac, f) for f in ("pcn", "role", "wte", "planned_start")}
    vac.delete()
    assert result.changed_rows  # the change shows
    assert_equal(result.scenario, *real())
    Vacancy.objects.create(**kept)
    assert_equal(result.baseline, *real())


def _move(practice, pcn):
    rel = Relation.objects.get(child__code=practice, kind="pcn_member")
    rel.parent = Organisation.objects.get(code=pcn)
    rel.save()


def test_practice_joins_equals_the_membership_changing_for_real(small):
    result = store.run(make([{"kind": "practice_joins", "practice": "B00001",
                              "start": AS_AT.isoformat()}]))  # fmt: skip
    _move("B00001", PCN)
    assert result.changed_rows  # the change shows
    assert_equal(result.scenario, *real())
    _move("B00001", "U00002")
    assert_equal(result.baseline, *real())
    rows = {(r.effect, r.item): r for r in result.rows}
    assert rows[("Size", "registered patients")].as_dict() == {
        "effect": "Size", "item": "registered patients", "baseline": 28000,
        "scenario": 37000, "difference": 9000,
    }  # fmt: skip
    assert (rows[("Size", "30,000-50,000 band")].baseline,
            rows[("Size", "30,000-50,000 band")].scenario) == ("below", "within")  # fmt: skip


def test_practice_leaves_equals_the_membership_changing_for_real(small):
    result = store.run(make([{"kind": "practice_leaves", "practice": "A00002",
                              "start": "2024-10-01"}]))  # fmt: skip
    rel = Relation.objects.get(child__code="A00002", kind="pcn_member")
    rel.delete()
    assert result.changed_rows  # the change shows
    assert_equal(result.scenario, *real())


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"kind": "recruit", "role": "clinical_pharmacist", "wte": "1", "start": "2024-05-01"},
         "change 1 (recruit 1 WTE clinical_pharmacist from 2024-05-01): the start 2024-05-01 is"
         " before the scenario's date 2024-07-01"),
        ({"kind": "practice_leaves", "practice": "B00001", "start": "2024-08-01"},
         "change 1 (practice B00001 leaves from 2024-08-01): B00001 is not a member practice of"
         " U00001 (members: A00001, A00002)"),
        ({"kind": "recruit", "role": "astronaut", "wte": "1", "start": "2024-08-01"},
         "the 2024-25 rules do not fund the role 'astronaut'"),
    ],
)  # fmt: skip
def test_bad_changes_are_refused_with_the_change_named_and_nothing_saved(small, change, words):
    with pytest.raises(ChangeError) as exc:
        make([change])
    assert words in str(exc.value)
    assert not ScenarioVersion.objects.exists()


def test_versions_are_append_only_and_every_save_is_audited(small, users):
    user = users["pcn_lead"]
    sc = store.create(PCN, "more staff", AS_AT, [], user=user)
    store.add_change(sc, {"kind": "vacancy_unfilled", "vacancy_id": small["vacancy"].vacancy_id},
                     user=user)  # fmt: skip
    assert [v.version for v in sc.versions.order_by("version")] == [1, 2]
    vid = small["vacancy"].vacancy_id
    assert store.latest(sc).changes == [{"kind": "vacancy_unfilled", "vacancy_id": vid}]
    with pytest.raises(PermissionError):
        v = store.latest(sc)
        v.changes = []
        v.save()
    with pytest.raises(PermissionError):
        ScenarioVersion.objects.all().delete()
    events = AuditEvent.objects.filter(object_type="scenario", object_id=str(sc.pk))
    assert [e.action for e in events.order_by("at", "id")] == ["scenario.create", "scenario.save"]
    assert events.last().username == user.get_username()
    with pytest.raises(ChangeError, match="change 2"):
        store.add_change(sc, {"kind": "leave", "staff_id": "S99999", "on": "2024-08-01"})
    assert sc.versions.count() == 2


def test_adopting_makes_the_changes_real_in_one_transaction(small, users):
    cp, vac = small["cp"], small["vacancy"]
    sc = make([
        {"kind": "recruit", "role": "care_coordinator", "wte": "1", "start": "2024-08-01",
         "employer": "A00001", "base_site": "A00002"},
        {"kind": "leave", "staff_id": cp.staff_id, "on": "2024-11-30"},
        {"kind": "vacancy_unfilled", "vacancy_id": vac.vacancy_id},
    ])  # fmt: skip
    planned = store.run(sc).scenario
    done = adopt.adopt(sc, user=users["pcn_lead"])
    assert len(done.created) == 1 and done.changed == (cp.staff_id,)
    assert done.deleted == (vac.vacancy_id,)
    assert_equal(planned, *real())
    sc.refresh_from_db()
    assert sc.status == "adopted"
    assert AuditEvent.objects.filter(action="scenario.adopted", object_id=str(sc.pk)).exists()
    with pytest.raises(store.ScenarioError, match="is adopted"):
        store.add_change(sc, {"kind": "vacancy_unfilled", "vacancy_id": "V00001"})


def test_adopting_refuses_a_membership_change_and_changes_nothing(small):
    sc = make([
        {"kind": "recruit", "role": "care_coordinator", "wte": "1", "start": "2024-08-01",
         "employer": "A00001", "base_site": "A00002"},
        {"kind": "practice_joins", "practice": "B00001", "start": "2024-07-01"},
    ])  # fmt: skip
    n = StaffMember.objects.count()
    with pytest.raises(store.ScenarioError, match="change 2 .*cannot be adopted"):
        adopt.adopt(sc)
    assert StaffMember.objects.count() == n
    sc.refresh_from_db()
    assert sc.status == "open"


def test_discard(small):
    sc = make([])
    store.discard(sc)
    sc.refresh_from_db()
    assert sc.status == "discarded"
    assert AuditEvent.objects.filter(action="scenario.discarded").exists()


def _homes(orgs):
    from openpcn.data.services.models import CareHome, CareHomeAlignment

    src = IngestedFile.objects.create(name="cqc.csv", path="test", sha256="c" * 64,
                                      kind="cqc_care_homes", as_of=date(2024, 1, 1))  # fmt: skip
    one = CareHome.objects.create(location_id="1-001", name="Oak", beds=40, postcode="AA1 1AA",
                                  source=src, older_people=True)  # fmt: skip
    CareHome.objects.create(location_id="1-002", name="Elm", beds=25, postcode="AA1 1AB",
                            source=src, older_people=True)  # fmt: skip
    CareHomeAlignment.objects.create(home=one, pcn=orgs[PCN], lead_practice=orgs["A00001"],
                                     start=date(2023, 1, 1), aligned_by="test")  # fmt: skip


def test_care_home_aligned_equals_aligning_it_for_real_and_adopts(small, users):
    from openpcn.data.services.models import CareHome, CareHomeAlignment

    _homes(small["orgs"])
    change = {"kind": "care_home_aligned", "location_id": "1-002", "start": "2024-10-01",
              "lead_practice": "A00002"}  # fmt: skip
    sc = make([change])
    result = store.run(sc)
    assert result.changed_rows
    assert_equal(result.baseline, *real())
    a = CareHomeAlignment.objects.create(
        home=CareHome.objects.get(location_id="1-002"), pcn=small["orgs"][PCN],
        lead_practice=small["orgs"]["A00002"], start=date(2024, 10, 1), aligned_by="test",
    )  # fmt: skip
    assert_equal(result.scenario, *real())
    a.delete()
    assert_equal(result.baseline, *real())
    done = adopt.adopt(sc, user=users["pcn_lead"])
    assert done.created and CareHomeAlignment.objects.filter(home__location_id="1-002").exists()
    assert_equal(result.scenario, *real())


def test_care_home_unaligned_equals_ending_it_for_real(small):
    from openpcn.data.services.models import CareHomeAlignment

    _homes(small["orgs"])
    result = store.run(make([{"kind": "care_home_unaligned", "location_id": "1-001",
                              "end": "2024-12-31"}]))  # fmt: skip
    assert result.changed_rows
    a = CareHomeAlignment.objects.get(home__location_id="1-001")
    a.end = date(2024, 12, 31)
    a.save()
    assert_equal(result.scenario, *real())


def test_rules_variant_from_the_database(small):
    same = store.run(make([{"kind": "rules_variant", "icb": "QBB"}]))  # no QBB overlay saved
    assert same.changed_rows == []
    assert_equal(same.scenario, *real())
    with pytest.raises(ChangeError, match="no 2024-25 rules are available for ICB QZZ"):
        make([{"kind": "rules_variant", "icb": "QZZ"}], name="unknown")
    sc = store.find(PCN, "plan")
    with pytest.raises(store.ScenarioError, match="cannot be adopted: a PCN's rules"):
        adopt.adopt(sc)


def coverage_now():
    from openpcn.data.registry.national import clear_views
    from openpcn.web.workforce.coverage import pcn_coverage

    clear_views()
    clear_memberships()
    report, _, _ = pcn_coverage(PCN, AS_AT)
    return {r: (c.reached, c.total_sessions) for r, c in report.roles.items()}


def coverage_of(effects):
    return {r: (c.reached, c.total_sessions) for r, c in effects.coverage.roles.items()}


def test_coverage_equals_the_coverage_page_after_the_change_for_real(small):
    registered_counts(small["orgs"])
    change = {"kind": "recruit", "role": "first_contact_physiotherapist", "wte": "0.8",
              "start": "2024-06-01", "employer": "A00001", "base_site": "A00002"}  # fmt: skip
    sc = store.create(PCN, "physio", date(2024, 6, 1), [change])
    result = store.run(sc)
    assert coverage_of(result.baseline) == coverage_now()
    s = staff(role="first_contact_physiotherapist", wte="0.8", start=date(2024, 6, 1),
              gross=None)  # fmt: skip
    s.base_practice = "A00002"
    s.save()
    assert coverage_of(result.scenario) == coverage_now()
    rows = {(r.effect, r.item): r for r in result.rows}
    assert rows[("Coverage: practices reached", "first_contact_physiotherapist")].difference == 1
    assert rows[("Coverage: sessions a week", "first_contact_physiotherapist")].scenario == (
        Decimal("7.2")
    )


def test_a_recruits_sessions_count_where_they_are_and_are_adopted(small, users):
    from openpcn.data.finance.models import StaffSession

    registered_counts(small["orgs"])
    change = {"kind": "recruit", "role": "first_contact_physiotherapist", "wte": "0.8",
              "start": "2024-06-01", "employer": "A00001", "base_site": "A00001",
              "sessions": "A00001:2; A00002:5"}  # fmt: skip
    sc = store.create(PCN, "physio sessions", date(2024, 6, 1), [change])
    assert store.latest(sc).changes[0]["sessions"] == {"A00001": "2", "A00002": "5"}
    result = store.run(sc)
    s = staff(role="first_contact_physiotherapist", wte="0.8", start=date(2024, 6, 1),
              gross=None)  # fmt: skip
    StaffSession.objects.create(staff=s, practice_code="A00001", sessions=Decimal(2))
    StaffSession.objects.create(staff=s, practice_code="A00002", sessions=Decimal(5))
    assert coverage_of(result.scenario) == coverage_now()
    assert coverage_of(result.scenario)["first_contact_physiotherapist"] == (2, Decimal(7))
    s.delete()
    done = adopt.adopt(sc, user=users["pcn_lead"])
    made = StaffMember.objects.get(pk=int(done.created[0][1:]))
    assert sorted(made.sessions.values_list("practice_code", "sessions")) == [
        ("A00001", Decimal(2)), ("A00002", Decimal(5)),
    ]  # fmt: skip
    assert coverage_of(result.scenario) == coverage_now()
