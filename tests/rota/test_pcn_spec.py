"""Spec tests: one constraint at a time on tiny instances with known optimal answers."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from openpcn.rota.pcn.check import check_rota
from openpcn.rota.pcn.engine import solve_rota
from openpcn.rota.pcn.instance import (
    CareHome,
    Demand,
    EnhancedAccess,
    Fairness,
    Practice,
    Request,
    Session,
    Site,
    Weights,
)
from tests.rota.tiny import MONDAY, person, tiny

NO_CONTRACT = Weights(contract_shortfall=0, away_from_base=0)


def solve(inst):
    r = solve_rota(inst, time_limit=5, workers=2)
    assert r.status == "OPTIMAL", r.conflicts
    c = check_rota(inst, r.assignments)
    assert c.violations == []
    assert c.penalty == r.objective
    return r


@pytest.mark.parametrize(
    ("rooms", "staff", "target", "expected"),
    [
        (2, 3, 3, 10),  # rooms bind: one session short x weight 10
        (3, 3, 3, 0),
        (5, 2, 3, 10),  # staff bind
        (0, 2, 2, 20),
    ],
)
def test_rooms_and_targets(rooms, staff, target, expected):
    inst = tiny(
        rooms=rooms,
        staff=[person(f"G{i}") for i in range(staff)],
        demand=[Demand("A", "morning", target=target, role="gp", weekday=0)],
        weights=NO_CONTRACT,
    )
    r = solve(inst)
    assert r.objective == expected
    if rooms < target:
        assert any(f"has {rooms} room" in u.text for u in r.unmet)


def test_unmet_words_name_site_rooms_and_session():
    inst = tiny(
        rooms=1,
        staff=[person(f"G{i}") for i in range(3)],
        demand=[Demand("A", "afternoon", target=3, role="gp")],
        weights=NO_CONTRACT,
    )
    r = solve(inst)
    assert [u.text for u in r.unmet] == [
        "Site A has 1 room on Monday 6 January 2025 afternoon for 3 requested gp sessions"
    ]


@pytest.mark.parametrize(("wte", "expected_sessions"), [(1.0, 9), (0.5, 4), (0.0, 0)])
def test_contract_caps_sessions_per_week(wte, expected_sessions):
    inst = tiny(
        days=7,
        rooms=5,
        staff=[person("G1", wte=wte)],
        demand=[Demand("A", s, target=1, role="gp") for s in ("morning", "afternoon")],
        weights=Weights(contract_shortfall=0, away_from_base=0),
    )
    r = solve(inst)
    assert len(r.assignments) == expected_sessions
    assert r.objective == 10 * (10 - expected_sessions)


@pytest.mark.parametrize(("max_days", "worked_days"), [(5, 5), (3, 4), (2, 4)])
def test_max_consecutive_days(max_days, worked_days):
    # 7 days from Monday: weekdays only; with max 3 in a row the best is Mon-Wed + Fri.
    inst = tiny(
        days=7,
        staff=[person("G1", max_consecutive_days=max_days)],
        demand=[Demand("A", "morning", target=1, role="gp")],
        weights=NO_CONTRACT,
    )
    r = solve(inst)
    assert len({a.slot.date for a in r.assignments}) == worked_days


def test_rest_after_evening():
    sessions = [
        Session("morning", time(8), time(13)),
        Session("evening", time(18, 30), time(20)),
    ]
    inst = tiny(
        days=2,
        sessions=sessions,
        staff=[person("G1")],
        demand=[Demand("A", s, target=1, role="gp") for s in ("morning", "evening")],
        weights=NO_CONTRACT,
    )
    r = solve(inst)
    assert r.objective == 10  # one of Mon evening / Tue morning must go
    assert len(r.assignments) == 3


def test_min_demand_infeasible_reports_rooms_conflict():
    inst = tiny(
        rooms=1,
        staff=[person(f"G{i}") for i in range(4)],
        demand=[Demand("A", "afternoon", min=3, role="gp", weekday=0)],
    )
    r = solve_rota(inst, time_limit=5)
    assert r.status == "INFEASIBLE"
    assert set(r.conflicts) == {
        "Site A has 1 room free on Monday 6 January 2025 afternoon",
        "Site A needs at least 3 gp sessions on Monday 6 January 2025 afternoon",
    }


def test_leave_makes_minimum_impossible_names_the_demand():
    inst = tiny(
        staff=[person("G1", leave=frozenset({MONDAY}))],
        demand=[Demand("A", "morning", min=1, role="gp")],
    )
    r = solve_rota(inst, time_limit=5)
    assert r.status == "INFEASIBLE"
    assert r.conflicts == ["Site A needs at least 1 gp session on Monday 6 January 2025 morning"]


def _ea_instance(gps: int, nurses: int, population: int):
    from openpcn.rota.pcn.generate import STANDARD_SESSIONS

    sessions = [STANDARD_SESSIONS[2], STANDARD_SESSIONS[3]]  # evening + saturday
    return tiny(
        days=6,
        sessions=sessions,
        sites=[Site("A", "Site A", "P1", {"evening": 3, "saturday": 3})],
        staff=[
            person(f"G{i}", rest_after_evening=False, max_consecutive_days=6) for i in range(gps)
        ]
        + [person(f"N{i}", role="nurse", max_consecutive_days=6) for i in range(nurses)],
        enhanced_access=EnhancedAccess(("A",), population),
        weights=Weights(contract_shortfall=0, away_from_base=0),
    )


@pytest.mark.parametrize(
    ("gps", "nurses", "population", "feasible"),
    [
        (1, 0, 10000, True),  # 600 min needed; 5 x 90 + 480 = 930 with one GP
        (1, 2, 30000, True),  # 1,800 needed: nurses help, with the GP present
        (1, 0, 20000, False),  # 1,200 needed, one GP gives at most 930
        (0, 2, 1000, False),  # no GP
    ],
)
def test_enhanced_access(gps, nurses, population, feasible):
    inst = _ea_instance(gps, nurses, population)
    r = solve_rota(inst, time_limit=5)
    assert (r.status == "OPTIMAL") is feasible
    if feasible:
        assert check_rota(inst, r.assignments).violations == []
    else:
        assert any("Enhanced Access" in t for t in r.conflicts)


def test_enhanced_access_needs_six_days_in_a_row_from_one_gp():
    inst = _ea_instance(1, 0, 1000)
    inst.staff[0] = person("G0", rest_after_evening=False)  # at most 5 days in a row
    r = solve_rota(inst, time_limit=5)
    assert r.status == "INFEASIBLE"
    assert "Dr G0 works at most 5 days in a row" in r.conflicts


def test_care_home_round_by_suitable_clinician():
    inst = tiny(
        days=7,
        staff=[person("G1"), person("P1", role="pharmacist")],
        care_homes=[CareHome("H1", "Rose Lodge", "A", ("gp",))],
        weights=NO_CONTRACT,
    )
    r = solve(inst)
    rounds = [a for a in r.assignments if a.care_home]
    assert len(rounds) == 1 and rounds[0].staff == "G1"
    bad = tiny(days=7, staff=[person("P1", role="pharmacist")], care_homes=inst.care_homes)
    assert solve_rota(bad, time_limit=5).conflicts == [
        "Rose Lodge needs 1 round by a gp in the week of 06 Jan"
    ]


def test_fairness_share_by_list_size():
    practices = [Practice("P1", "North", 7500), Practice("P2", "South", 2500)]
    sites = [
        Site("A", "North surgery", "P1", {"morning": 4, "afternoon": 4}),
        Site("B", "South surgery", "P2", {"morning": 4, "afternoon": 4}),
    ]
    # South asks for more pharmacist time than its 25% share; North asks for none.
    inst = tiny(
        sites=sites,
        practices=practices,
        staff=[person(f"R{i}", role="pharmacist", base="B") for i in range(4)],
        demand=[Demand("B", s, target=4, role="pharmacist") for s in ("morning", "afternoon")],
        fairness=Fairness(("pharmacist",), 10),
        weights=NO_CONTRACT,
    )
    r = solve(inst)
    north = sum(1 for a in r.assignments if a.site == "A")
    south = sum(1 for a in r.assignments if a.site == "B")
    # South share <= 35%: with 8 sessions in all, at most 2 at South... best is 8 total, 2 South
    assert south / (north + south) <= 0.35
    assert r.objective == 10 * (8 - south)


@pytest.mark.parametrize(
    ("kind", "session", "expected"), [("off", None, 0), ("on", "afternoon", 0)]
)
def test_requests(kind, session, expected):
    inst = tiny(
        days=1,
        staff=[person("G1"), person("G2")],
        demand=[Demand("A", "morning", target=1, role="gp")],
        requests=[Request("G1", MONDAY, kind, session, weight=3)],
        weights=NO_CONTRACT,
    )
    r = solve(inst)
    assert r.objective == expected
    g1 = [a for a in r.assignments if a.staff == "G1"]
    assert bool(g1) is (kind == "on")


def test_request_that_cannot_be_met_is_explained():
    inst = tiny(
        staff=[person("G1", leave=frozenset({MONDAY}))],
        requests=[Request("G1", MONDAY, "on", weight=3)],
        weights=NO_CONTRACT,
    )
    r = solve(inst)
    assert r.objective == 3
    assert r.unmet[0].text.startswith("Dr G1's request to work on Mon 06 Jan")


def test_sites_per_day():
    sites = [
        Site("A", "Site A", "P1", {"morning": 1, "afternoon": 1}),
        Site("B", "Site B", "P1", {"morning": 1, "afternoon": 1}),
    ]
    inst = tiny(
        sites=sites,
        staff=[person("G1")],
        demand=[Demand("A", "morning", target=1), Demand("B", "afternoon", target=1)],
        weights=NO_CONTRACT,
    )
    r = solve(inst)
    assert r.objective == 10
    two = tiny(
        sites=sites,
        staff=[person("G1", max_sites_per_day=2)],
        demand=inst.demand,
        weights=NO_CONTRACT,
    )
    assert solve(two).objective == 0


def test_horizon_dates():
    inst = tiny(days=8)
    assert inst.dates[-1] == MONDAY + timedelta(days=7)
    assert len(inst.slots()) == 2 * 6  # 6 weekdays, none on Sunday


def test_progress_callback_reports_each_improving_rota():
    seen = []
    inst = tiny(staff=[person("G1")], demand=[Demand("A", "morning", target=1)])
    r = solve_rota(inst, time_limit=5, progress=lambda t, obj, bound: seen.append((t, obj)))
    assert seen and seen[-1][1] == r.objective
    assert all(t >= 0 for t, _ in seen)
