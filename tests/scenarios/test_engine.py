"""The scenario engine on a small PCN, pure: each change kind's effects equal the engines run
on inputs changed by hand; bad changes get a message naming the change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from openpcn.finance.claims import MonthlyPay, StaffContract
from openpcn.finance.entitlements import entitlements
from openpcn.finance.forecast import Post, Vacancy, forecast, with_sums_from
from openpcn.finance.populations import from_records
from openpcn.finance.split import by_list, practice_lists
from openpcn.rules import load_year
from openpcn.scenarios.changes import (
    ChangeError,
    ChangeWte,
    Leave,
    PracticeJoins,
    PracticeLeaves,
    Recruit,
    VacancyUnfilled,
    as_list,
    from_list,
)
from openpcn.scenarios.effects import effects, run
from openpcn.scenarios.inputs import Inputs
from tests.finance.conftest import practice

RULES = load_year("2024-25")
AS_AT = date(2024, 7, 1)
PCN = "U00001"
PAY = MonthlyPay(Decimal("4000.00"), Decimal("450.00"), Decimal("575.00"))
ROWS = (
    practice("A00001", PCN, 16000, 16500, 17000),
    practice("A00002", PCN, 12000, 12500, 13000),
    practice("B00001", "U00002", 9000, 9000, 9500),
)
MEMBERS = {"A00001": PCN, "A00002": PCN, "B00001": "U00002"}


def post(sid, role="clinical_pharmacist", wte="1", start=date(2023, 4, 1), end=None, pay=PAY):
    return Post(StaffContract(sid, role, Decimal(wte), start, end), pay)


def base(**kw) -> Inputs:
    values = dict(
        pcn_code=PCN,
        as_at=AS_AT,
        rules=RULES,
        posts=(post("S00001"), post("S00002", "social_prescribing_link_worker", "0.6")),
        vacancies=(Vacancy("V00001", "pharmacy_technician", Decimal("1"), date(2024, 10, 1)),),
        practices=ROWS,
        membership=MEMBERS,
        population_source="tiny_2024-25.csv",
        population_as_of=date(2024, 1, 1),
        claimed={
            date(2024, 4, 1): Decimal("9000.00"),
            date(2024, 5, 1): Decimal("9000.00"),
            date(2024, 6, 1): Decimal("9000.00"),
        },  # fmt: skip
        beds=0,
    )
    values.update(kw)
    return Inputs(**values)


def by_hand(posts, vacancies, membership=MEMBERS):
    """The engines run directly on inputs changed by hand (what the scenario must equal)."""
    pops = from_records(ROWS, "tiny_2024-25.csv", date(2024, 1, 1), "2024-25", dict(membership))
    streams = entitlements(PCN, RULES, pops, 0)
    fc = forecast(
        RULES, with_sums_from(streams, RULES), posts, vacancies,
        claimed=base().claimed, as_of=AS_AT, list_size=pops.pcns[PCN].registered,
    )  # fmt: skip
    total = sum(s.annual_amount for s in streams if s.available and s.paid_to == "PCN"
                and s.stream not in ("arrs", "arrs_gp"))  # fmt: skip
    shares = by_list(total, practice_lists(pops, PCN, "registered"))
    return streams, fc, shares, pops.pcns[PCN].registered


def same(result, posts, vacancies, membership=MEMBERS):
    streams, fc, shares, size = by_hand(posts, vacancies, membership)
    s = result.scenario
    assert [x.annual_amount for x in s.streams] == [x.annual_amount for x in streams]
    for pot in fc.pots:
        a, b = s.forecast.pots[pot], fc.pots[pot]
        assert (a.sum, a.actual, a.committed, a.projected, a.underspend) == (
            b.sum, b.actual, b.committed, b.projected, b.underspend
        )  # fmt: skip
    assert s.forecast.wte_by_role == fc.wte_by_role
    assert [(x.practice_code, x.amount) for x in s.shares] == [
        (x.practice_code, x.amount) for x in shares
    ]
    assert s.size == size


def test_no_changes_is_the_baseline():
    result = run(base(), [])
    assert result.changed_rows == []
    same(result, base().posts, base().vacancies)


def test_recruit_equals_adding_the_post_by_hand():
    change = Recruit("first_contact_physiotherapist", Decimal("0.8"), date(2024, 9, 1),
                     band="7", base_site="A00002", monthly_gross=Decimal("3200.00"),
                     monthly_employer_ni=Decimal("360.00"),
                     monthly_employer_pension=Decimal("460.00"))  # fmt: skip
    result = run(base(), [change])
    pay = MonthlyPay(Decimal("3200.00"), Decimal("360.00"), Decimal("460.00"))
    hand = (*base().posts, post("X", "first_contact_physiotherapist", "0.8", date(2024, 9, 1),
                                pay=pay))  # fmt: skip
    same(result, hand, base().vacancies)
    rows = {(r.effect, r.item): r for r in result.rows}
    assert rows[("ARRS", "committed")].difference > 0
    assert rows[("ARRS", "underspend")].difference <= 0
    assert rows[("ARRS", "sum")].difference == 0


def test_recruit_without_pay_is_costed_at_the_role_maximum():
    from openpcn.finance.forecast import AT_ROLE_MAXIMUM

    result = run(base(), [Recruit("care_coordinator", Decimal(1), date(2024, 8, 1))])
    hand = (*base().posts, post("X", "care_coordinator", "1", date(2024, 8, 1),
                                pay=AT_ROLE_MAXIMUM))  # fmt: skip
    same(result, hand, base().vacancies)
    assert any("role maximum" in n for n in result.scenario.inputs.notes)


def test_leave_equals_ending_the_post_by_hand():
    result = run(base(), [Leave("S00001", date(2024, 11, 30))])
    hand = (post("S00001", end=date(2024, 11, 30)), base().posts[1])
    same(result, hand, base().vacancies)


def test_change_wte_equals_ending_and_starting_by_hand():
    result = run(base(), [ChangeWte("S00001", Decimal("0.5"), date(2024, 10, 1))])
    half = MonthlyPay(Decimal("2000.00"), Decimal("225.00"), Decimal("287.50"))
    hand = (post("S00001", end=date(2024, 9, 30)), base().posts[1],
            post("S2", wte="0.5", start=date(2024, 10, 1), pay=half))  # fmt: skip
    same(result, hand, base().vacancies)
    assert result.scenario.forecast.wte_by_role["clinical_pharmacist"] == Decimal("1.5")  # both
    # on the register from the as-of date, as the forecast counts two records


def test_vacancy_unfilled_equals_deleting_it_by_hand():
    result = run(base(), [VacancyUnfilled("V00001")])
    same(result, base().posts, ())
    rows = {(r.effect, r.item): r for r in result.rows}
    assert rows[("ARRS", "committed")].difference < 0


def test_practice_joins_equals_changing_membership_by_hand():
    result = run(base(), [PracticeJoins("B00001", AS_AT)])
    moved = dict(MEMBERS, B00001=PCN)
    same(result, base().posts, base().vacancies, moved)
    rows = {(r.effect, r.item): r for r in result.rows}
    assert rows[("ARRS", "sum")].difference > 0
    assert rows[("Size", "registered patients")].difference == 9000
    assert rows[("Size", "30,000-50,000 band")].baseline == "below"
    assert rows[("Size", "30,000-50,000 band")].scenario == "within"
    assert ("Income split (registered list)", "B00001") in {(r.effect, r.item) for r in result.rows}
    from openpcn.services.enhanced_access import weekly_requirement

    rate = RULES.value("enhanced_access_minutes_per_1000_per_week", AS_AT).as_rule_ref()
    ea = rows[("Enhanced Access", "minutes required a week")]
    assert ea.baseline == weekly_requirement(16500 + 12500, rate).value
    assert ea.scenario == weekly_requirement(16500 + 12500 + 9000, rate).value


def test_practice_leaves_equals_changing_membership_by_hand():
    result = run(base(), [PracticeLeaves("A00002", date(2024, 10, 1))])
    gone = dict(MEMBERS, A00002="U")
    same(result, base().posts, base().vacancies, gone)


def test_the_baseline_effects_are_the_engines_on_the_baseline():
    e = effects(base())
    streams, fc, shares, size = by_hand(base().posts, base().vacancies)
    assert e.forecast.pots["arrs"].committed == fc.pots["arrs"].committed
    assert e.size == size == 28000 and e.band == "below"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (Recruit("clinical_pharmacist", Decimal(1), date(2024, 6, 1)),
         "change 1 (recruit 1 WTE clinical_pharmacist from 2024-06-01): the start 2024-06-01 is"
         " before the scenario's date 2024-07-01"),
        (Recruit("astronaut", Decimal(1), date(2024, 8, 1)),
         "change 1 (recruit 1 WTE astronaut from 2024-08-01): the 2024-25 rules do not fund the"
         " role 'astronaut'"),
        (Recruit("clinical_pharmacist", Decimal(1), date(2024, 8, 1), base_site="B00001"),
         "B00001 (its base site or a practice it has sessions at) is not a member practice of"
         " U00001"),
        (Recruit("clinical_pharmacist", Decimal(1), date(2025, 8, 1)),
         "is after the end of 2024-25"),
        (PracticeLeaves("B00001", date(2024, 8, 1)),
         "change 1 (practice B00001 leaves from 2024-08-01): B00001 is not a member practice of"
         " U00001 (members: A00001, A00002)"),
        (PracticeJoins("A00001", date(2024, 8, 1)), "A00001 is already a member of U00001"),
        (PracticeJoins("Z99999", date(2024, 8, 1)), "Z99999 is not in the 2024-25 population"),
        (PracticeJoins("B00001", date(2024, 4, 1)), "before the scenario's date"),
        (Leave("S00009", date(2024, 8, 1)), "S00009 is not on the PCN's staff register"),
        (Leave("S00001", date(2024, 5, 1)), "the last day 2024-05-01 is before the scenario's"),
        (ChangeWte("S00001", Decimal(1), date(2024, 8, 1)), "already works 1 WTE"),
        (VacancyUnfilled("V00042"), "change 1 (vacancy V00042 is not filled): V00042 is not one"
         " of the PCN's vacancies (vacancies: V00001)"),
    ],
)  # fmt: skip
def test_bad_changes_name_the_change(change, words):
    with pytest.raises(ChangeError) as exc:
        run(base(), [change])
    assert words in str(exc.value)


def test_the_second_change_is_named_by_its_number():
    with pytest.raises(ChangeError, match=r"^change 2 \(vacancy V00009"):
        run(base(), [VacancyUnfilled("V00001"), VacancyUnfilled("V00009")])


def test_changes_round_trip_through_json():
    changes = (
        Recruit("care_coordinator", Decimal("0.5"), date(2024, 8, 1), employer="a00001"),
        Leave("S00001", date(2024, 11, 30)),
        ChangeWte("S00002", Decimal("1"), date(2024, 9, 1)),
        VacancyUnfilled("V00001"),
        PracticeJoins("B00001", AS_AT),
        PracticeLeaves("A00002", date(2024, 10, 1)),
    )
    data = as_list(changes)
    assert data[0] == {
        "kind": "recruit", "role": "care_coordinator", "wte": "0.5", "start": "2024-08-01",
        "employer": "A00001", "region": "national",
        "employment_model": "lead_practice",
    }  # fmt: skip
    assert from_list(data) == changes


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([{"kind": "hire"}], "change 1: unknown kind 'hire'"),
        ([{"kind": "recruit", "role": "x"}], "change 1 (recruit): missing start, wte"),
        ([{"kind": "leave", "staff_id": "S1", "on": "2024-01-01", "why": "x"}],
         "unknown field(s) why"),
        ([{"kind": "recruit", "role": "x", "wte": "2", "start": "2024-08-01"}],
         "change 1: recruit x: the WTE must be more than 0 and at most 1, not 2"),
        ([{"kind": "leave", "staff_id": "S1", "on": "soon"}], "must be a date"),
        ({"kind": "leave"}, "changes must be a list"),
    ],
)  # fmt: skip
def test_bad_json_names_the_change(data, words):
    with pytest.raises(ChangeError) as exc:
        from_list(data)
    assert words in str(exc.value)


def test_inputs_are_not_changed_in_place():
    inputs = base()
    before = replace(inputs)
    run(inputs, [Leave("S00001", date(2024, 11, 30)), PracticeJoins("B00001", AS_AT)])
    assert inputs == before and inputs.membership == MEMBERS


# --- care homes ---------------------------------------------------------------------------


def home(location_id, beds):
    from openpcn.services.cqc import CareHome

    return CareHome(location_id, f"Home {location_id}", beds, "AA1 1AA", "", "", None, None,
                    True, False, ("Older People",))  # fmt: skip


HOMES = {"1-001": home("1-001", 40), "1-002": home("1-002", 25)}
PERIODS = {"1-001": (date(2023, 1, 1), None)}


def premium(inputs_periods):
    from openpcn.services.carehome_money import aligned_bed_years

    homes = [HOMES[i] for i in inputs_periods]
    beds = aligned_bed_years(homes, inputs_periods, RULES.year.start, RULES.year.end)
    pops = from_records(ROWS, "tiny_2024-25.csv", date(2024, 1, 1), "2024-25", dict(MEMBERS))
    streams = entitlements(PCN, RULES, pops, beds)
    return beds, next(s.annual_amount for s in streams if s.stream == "care_home_premium")


def test_care_home_aligned_equals_the_premium_on_periods_changed_by_hand():
    from openpcn.scenarios.changes import CareHomeAligned

    inputs = base(care_homes=HOMES, care_home_periods=PERIODS)
    result = run(inputs, [CareHomeAligned("1-002", date(2024, 10, 1))])
    beds, amount = premium({**PERIODS, "1-002": (date(2024, 10, 1), None)})
    got = next(s for s in result.scenario.streams if s.stream == "care_home_premium")
    assert got.annual_amount == amount and result.scenario.inputs.bed_years() == beds
    assert premium(PERIODS)[1] == next(
        s.annual_amount for s in result.baseline.streams if s.stream == "care_home_premium"
    )
    rows = {(r.effect, r.item): r for r in result.rows}
    assert rows[("Care homes", "aligned bed-years")].difference == Decimal(beds) - 40
    assert rows[("Entitlements", "Care Home Premium")].difference > 0


def test_care_home_unaligned_equals_ending_the_period_by_hand():
    from openpcn.scenarios.changes import CareHomeUnaligned

    inputs = base(care_homes=HOMES, care_home_periods=PERIODS)
    result = run(inputs, [CareHomeUnaligned("1-001", date(2024, 12, 31))])
    _, amount = premium({"1-001": (date(2023, 1, 1), date(2024, 12, 31))})
    got = next(s for s in result.scenario.streams if s.stream == "care_home_premium")
    assert got.annual_amount == amount


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"kind": "care_home_aligned", "location_id": "1-001", "start": "2024-08-01"},
         "change 1 (care home 1-001 aligned from 2024-08-01): 1-001 is already aligned to"
         " U00001"),
        ({"kind": "care_home_aligned", "location_id": "9-999", "start": "2024-08-01"},
         "9-999 is not a CQC care home OpenPCN knows"),
        ({"kind": "care_home_unaligned", "location_id": "1-002", "end": "2024-08-01"},
         "1-002 is not aligned to U00001 on 2024-08-01"),
        ({"kind": "care_home_aligned", "location_id": "1-002", "start": "2024-06-01"},
         "before the scenario's date"),
    ],
)  # fmt: skip
def test_bad_care_home_changes_name_the_change(change, words):
    inputs = base(care_homes=HOMES, care_home_periods=PERIODS)
    with pytest.raises(ChangeError) as exc:
        run(inputs, from_list([change]))
    assert words in str(exc.value)


def test_care_home_changes_need_a_care_home_file():
    with pytest.raises(ChangeError, match="no CQC care home file is loaded"):
        run(base(), from_list([{"kind": "care_home_aligned", "location_id": "1-001",
                                "start": "2024-08-01"}]))  # fmt: skip


# --- another ICB's rules ------------------------------------------------------------------

VARIATION = """icb: QBB
icb_name: NHS Beta ICB
year: 2024-25
title: Test variation
source: invented for tests
verified: false
rows:
  - {key: enhanced_access_per_adjusted_patient, value: "9.000", unit: GBP_per_adjusted_patient,
     basis: adjusted, source: [S23], verified: false}
"""


def variant():
    from openpcn.rules.overlays import apply as overlay
    from openpcn.rules.overlays import parse_overlay

    return overlay(RULES, parse_overlay(VARIATION, "QBB.yaml", national=RULES))


def test_rules_variant_equals_the_engines_on_the_icbs_rules():
    from openpcn.scenarios.changes import RulesVariant

    rules = variant()
    inputs = base(rule_variants={"QBB": rules, "": RULES})
    result = run(inputs, [RulesVariant("QBB")])
    pops = from_records(ROWS, "tiny_2024-25.csv", date(2024, 1, 1), "2024-25", dict(MEMBERS))
    hand = entitlements(PCN, rules, pops, 0)
    assert [s.annual_amount for s in result.scenario.streams] == [s.annual_amount for s in hand]
    rows = {(r.effect, r.item): r for r in result.rows}
    assert rows[("Entitlements", "Enhanced Access")].difference == pennies_of(
        Decimal("1.025") * (16500 + 12500)
    )
    assert run(inputs, [RulesVariant("")]).changed_rows == []


def pennies_of(value):
    from openpcn.finance.money import pennies

    return pennies(value)


def test_rules_variant_not_loaded_names_the_change():
    from openpcn.scenarios.changes import RulesVariant

    with pytest.raises(ChangeError, match=r"change 1 \(the rules of ICB QZZ apply\): no 2024-25"):
        run(base(), [RulesVariant("QZZ")])
