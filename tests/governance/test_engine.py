"""The governance engine on plain data: agreements that overlap or name non-members are
refused in words, decisions and actions need what they need, the clinical director's funded
time is the rules file's figure worked by hand, and maturity is lined up over time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from openpcn.core.figures import DataRef, RuleRef, shown
from openpcn.core.periods import Period
from openpcn.governance.agreement import agreement_problems, in_force
from openpcn.governance.cd_time import RULE_KEY, cd_time, hours_value, spell_problems
from openpcn.governance.maturity import assessment_problems, framework, over_time
from openpcn.governance.records import action_problems, decision_problems

MEMBERS = {"A00001": "Alpha Surgery", "A00002": "Alder Medical Centre"}
RULES = Path(__file__).resolve().parents[2] / "src" / "openpcn" / "rules" / "data"


def _agreement(**kw):
    args = dict(pcn="U00001", start=date(2024, 4, 1), end=None, signed=date(2024, 3, 20),
                parties=["A00001", "A00002"], members=MEMBERS, existing=[])  # fmt: skip
    return agreement_problems(**(args | kw))


def test_an_agreement_of_members_with_clear_dates_is_fine():
    assert _agreement() == []
    assert _agreement(existing=[Period(date(2023, 4, 1), date(2024, 3, 31))]) == []


def test_overlapping_agreements_are_refused_naming_both_periods():
    old = Period(date(2023, 4, 1), date(2024, 6, 30))
    assert _agreement(existing=[old]) == [
        "the agreement from 2024-04-01 (open) overlaps the one 2023-04-01 to 2024-06-30: end "
        "that one first or choose dates that do not overlap"
    ]
    open_one = Period(date(2025, 4, 1))
    assert _agreement(end=date(2025, 4, 1), existing=[open_one]) != []
    assert _agreement(end=date(2025, 3, 31), existing=[open_one]) == []


def test_a_party_that_is_not_a_member_at_the_start_is_named():
    assert _agreement(parties=["A00001", "b00001"]) == [
        "B00001 is not a member practice of U00001 as at 2024-04-01 (the agreement's start), "
        "so cannot be a party"
    ]
    assert _agreement(parties=[]) == [
        "tick at least one member practice that signed the agreement (a party)"
    ]


def test_bad_dates_say_which():
    assert _agreement(start=None) == ["enter the date the agreement starts, like 2026-04-01"]
    assert _agreement(end=date(2024, 3, 1), signed=None) == [
        "the agreement's end 2024-03-01 is before its start 2024-04-01"
    ]


def test_in_force_finds_the_one_agreement_covering_a_day():
    periods = {1: Period(date(2023, 4, 1), date(2024, 3, 31)), 2: Period(date(2024, 4, 1))}
    assert in_force(periods, date(2024, 3, 31)) == 1
    assert in_force(periods, date(2030, 1, 1)) == 2
    assert in_force(periods, date(2020, 1, 1)) is None


def test_a_decision_for_a_practice_outside_the_pcn_is_refused():
    ok = dict(pcn="U00001", day=date(2024, 5, 1), what="Share a pharmacist",
              made_by="PCN board", practices=["A00001"], members=MEMBERS)  # fmt: skip
    assert decision_problems(**ok) == []
    assert decision_problems(**(ok | {"practices": ["B00001"]})) == [
        "B00001 is not a member practice of U00001 on 2024-05-01"
    ]
    assert decision_problems(**(ok | {"what": " ", "made_by": "", "practices": []})) == [
        "say what was decided",
        "say who made the decision (the board, the clinical directors' group)",
        "tick the practices the decision is for (all of them, or some)",
    ]


def test_an_action_without_an_owner_says_so():
    orgs = {"U00001": "Alpha North PCN"} | MEMBERS
    ok = dict(text="Draft the agreement", owner="Dr Lee", organisation="A00001",
              organisations=orgs, due=date(2024, 6, 1), status="open")  # fmt: skip
    assert action_problems(**ok) == []
    assert action_problems(**(ok | {"owner": "  "})) == [
        "name the person who owns the action (who will do it)"
    ]
    assert action_problems(**(ok | {"organisation": "B00001", "due": None})) == [
        "enter the date the action is due, like 2026-04-15",
        "B00001 is neither the PCN nor one of its member practices",
    ]


def _rule(year: str) -> RuleRef:
    raw = yaml.safe_load((RULES / f"{year}.yaml").read_text())
    row = next(r for r in raw["rules"] if r["key"] == RULE_KEY)
    return RuleRef(year, RULE_KEY, Decimal(row["value"]), row["unit"], "test", row["verified"])


def test_funded_time_is_the_rules_files_wte_per_50000_worked_by_hand():
    rule = _rule("2024-25")
    assert rule.value == Decimal("0.25")
    ref = DataRef("pcn_data.csv")
    cd = cd_time(rule=rule, population=29_000, population_ref=ref, recorded=Decimal("7.5"),
                 recorded_ref=DataRef("record"))  # fmt: skip
    assert cd.funded_wte.value == Decimal("0.25") * 29_000 / 50_000 == Decimal("0.145")
    assert cd.funded_hours.value == Decimal("0.145") * Decimal("37.5") == Decimal("5.4375")
    assert cd.difference.value == Decimal("7.5") - Decimal("5.4375")
    assert cd.funded_wte.rules == (rule,) and not cd.funded_wte.verified  # the row is unverified
    assert cd.funded_wte.method == "0.25 WTE x 29,000 patients / 50,000, shown to 0.001 WTE"
    assert shown(cd.funded_wte.value, cd.funded_wte.unit) == "0.145 WTE"
    assert cd.funded_hours.inputs[0].inputs[0].data == (ref,)
    none = cd_time(rule=rule, population=50_000, population_ref=ref, recorded=None,
                   recorded_ref=DataRef("record"))  # fmt: skip
    assert none.funded_hours.value == Decimal("9.375") and none.difference is None


def test_hours_and_spells_of_the_directors_time():
    assert hours_value("9.5") == (Decimal("9.5"), None)
    assert (
        hours_value("nine")[1] == "enter the clinical director's hours a week as a number, like 9.5"
    )
    assert hours_value("0")[1] == "the hours a week must be more than 0"
    assert hours_value("40")[1] == "the hours a week must be at most 37.5 (a full-time week)"
    assert hours_value("9.125")[1].startswith("write the hours a week with at most 2")
    spell = Period(date(2024, 4, 1), date(2025, 3, 31))
    assert spell_problems("Dr Lee", date(2025, 4, 1), None, "7.5", [spell]) == []
    assert spell_problems("Dr Lee", date(2025, 3, 1), None, "7.5", [spell]) == [
        "the clinical director's time from 2025-03-01 (open) overlaps the one 2024-04-01 to "
        "2025-03-31: end that one first or choose dates that do not overlap"
    ]


def test_maturity_needs_every_domain_scored_once_a_date():
    fw = framework()
    assert len(fw.domains) == 6 and fw.verified is False and "maturity matrix" in fw.source
    good = {d.key: "2" for d in fw.domains}
    assert assessment_problems(date(2024, 4, 1), good, set(), fw) == []
    assert assessment_problems(date(2024, 4, 1), good, {date(2024, 4, 1)}, fw) == [
        "there is already a self-assessment on 2024-04-01: choose another date (each is kept)"
    ]
    bad = good | {"workforce": "5", "digital_data": ""}
    assert assessment_problems(date(2024, 4, 1), bad, set(), fw) == [
        "Workforce: choose a score from 1 to 4",
        "Digital and data: choose a score from 1 to 4",
    ]


def test_maturity_over_time_gives_the_change_per_domain():
    fw = framework()
    first = {d.key: 1 for d in fw.domains}
    later = first | {"workforce": 3}
    latest = later | {"workforce": 2, "population_health": 4}
    rows = {r.domain.key: r for r in over_time(
        {date(2025, 4, 1): latest, date(2024, 4, 1): first, date(2024, 10, 1): later}, fw
    )}  # fmt: skip
    assert rows["workforce"].scores == (1, 3, 2)
    assert (rows["workforce"].since_previous, rows["workforce"].since_first) == (-1, 1)
    assert (rows["population_health"].since_previous, rows["population_health"].since_first) == (
        3,
        3,
    )
    assert rows["leadership_governance"].since_first == 0
    single = over_time({date(2024, 4, 1): first}, fw)
    assert all(r.since_previous is None for r in single)


def test_ending_a_period_keeps_it_clear_of_the_others():
    from openpcn.core.periods import end_problems

    later = [Period(date(2025, 4, 1))]
    assert end_problems(date(2024, 4, 1), date(2025, 3, 31), later, "the agreement") == []
    assert end_problems(date(2024, 4, 1), None, later, "the agreement") == [
        "enter the date the agreement ends, like 2026-03-31"
    ]
    assert end_problems(date(2024, 4, 1), date(2025, 4, 1), later, "the agreement") == [
        "the agreement 2024-04-01 to 2025-04-01 overlaps the one from 2025-04-01 (open): end "
        "that one first or choose dates that do not overlap"
    ]
