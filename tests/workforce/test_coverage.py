"""Coverage: practice x role sessions against fair share by list size, and the flags."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openpcn.workforce.coverage import CoverageError, coverage, fmt
from openpcn.workforce.register import StaffMember


def staff(sid, role, sessions, start="2025-01-01", end=None):
    return StaffMember(
        staff_id=sid,
        role=role,
        wte=1,
        start_date=start,
        end_date=end,
        employment_model="federation",
        employer_ods="FED01",
        base_practice="PR1",
        sessions=sessions,
    )


# practice: list size
LISTS = {"PR1": 10_000, "PR2": 5_000, "PR3": 5_000}
NAMES = {"PR1": "Alpha Surgery", "PR2": "Beech Practice", "PR3": "Cedar Health Centre"}


@pytest.mark.parametrize(
    ("practice", "role", "sessions", "fair", "gap"),
    [
        # pharmacists: 4 + 4 = 8 sessions, all at PR1 and PR2
        ("PR1", "clinical_pharmacist", "6", "4", "2"),
        ("PR2", "clinical_pharmacist", "2", "2", "0"),
        ("PR3", "clinical_pharmacist", "0", "2", "-2"),
        # physio: 4 sessions at PR3 only
        ("PR1", "first_contact_physiotherapist", "0", "2", "-2"),
        ("PR3", "first_contact_physiotherapist", "4", "1", "3"),
    ],
)
def test_fair_share_table(practice, role, sessions, fair, gap):
    report = coverage(
        [
            staff("S1", "clinical_pharmacist", {"PR1": 4}),
            staff("S2", "clinical_pharmacist", {"PR1": 2, "PR2": 2}),
            staff("S3", "first_contact_physiotherapist", {"PR3": 4}),
        ],
        LISTS,
    )
    cell = report.cell(practice, role)
    assert (cell.sessions, cell.fair_share, cell.gap) == (
        Decimal(sessions),
        Decimal(fair),
        Decimal(gap),
    )
    assert report.total_list == 20_000


def test_flags_in_plain_words():
    report = coverage(
        [
            staff("S1", "clinical_pharmacist", {"PR1": 4}),
            staff("S2", "clinical_pharmacist", {"PR1": 2, "PR2": 2}),
            staff("S3", "first_contact_physiotherapist", {"PR3": 4}),
            staff("S4", "care_coordinator", {"PR1": 2, "PR2": 1, "PR3": 1}),
        ],
        LISTS,
        practice_names=NAMES,
    )
    assert report.flags == (
        "Clinical pharmacy reaches 2 of 3 practices",
        "First contact physiotherapy reaches 1 of 3 practices",
        "Cedar Health Centre gets none of its 2 fair-share pharmacist sessions",
        "Alpha Surgery gets none of its 2 fair-share physiotherapy sessions",
        "Beech Practice gets none of its 1 fair-share physiotherapy sessions",
    )
    assert report.roles["care_coordinator"].reached == 3


def test_partial_shortfall_and_threshold():
    lists = {f"PR{i}": 1_000 for i in range(1, 4)}  # 9 sessions: fair share 3 each
    members = [staff("S1", "clinical_pharmacist", {"PR1": 5, "PR2": 2, "PR3": 2})]
    report = coverage(members, lists)
    assert report.flags == (
        "PR2 gets 2 of its 3 fair-share pharmacist sessions",
        "PR3 gets 2 of its 3 fair-share pharmacist sessions",
    )
    assert coverage(members, lists, shortfall_below=Decimal("0.5")).flags == ()


def test_only_staff_in_post_count():
    members = [
        staff("S1", "paramedic", {"PR1": 9}, start="2025-01-01", end="2025-06-30"),
        staff("S2", "paramedic", {"PR2": 9}, start="2025-07-01"),
    ]
    assert coverage(members, LISTS, on=date(2025, 8, 1)).roles["paramedic"].reached == 1
    assert coverage(members, LISTS).roles["paramedic"].reached == 2


def test_fair_share_figure():
    report = coverage([staff("S1", "clinical_pharmacist", {"PR1": 8})], LISTS)
    fig = report.cell("PR2", "clinical_pharmacist").figure(
        "Clinical pharmacist", Decimal(8), 20_000
    )
    assert fig.value == Decimal(2)
    assert fig.method == (
        "8 PCN sessions x 5000 patients on the practice list / 20000 patients on all member lists"
    )


@pytest.mark.parametrize(
    ("members", "lists", "words"),
    [
        ([staff("S1", "paramedic", {"X99": 2})], LISTS, "staff S1, field sessions: practice X99"),
        ([], {}, "no member practices"),
        ([], {"PR1": 0}, "add up to 0"),
        ([], {"PR1": -5}, "practice PR1, field list_size"),
    ],
)
def test_coverage_errors(members, lists, words):
    with pytest.raises(CoverageError, match=words):
        coverage(members, lists)


@pytest.mark.parametrize(
    ("n", "text"), [("2", "2"), ("2.0", "2"), ("2.45", "2.5"), ("0.04", "0"), ("5.96", "6")]
)
def test_fmt(n, text):
    assert fmt(Decimal(n)) == text


@given(
    st.dictionaries(
        st.sampled_from(["PR1", "PR2", "PR3", "PR4"]), st.integers(1, 20_000), min_size=1
    ),
    st.lists(
        st.tuples(st.sampled_from(["PR1", "PR2", "PR3", "PR4"]), st.integers(0, 10)), max_size=8
    ),
)
def test_fair_shares_add_up_to_total_sessions(lists, assignments):
    members = [
        staff(f"S{i}", "clinical_pharmacist", {p: n})
        for i, (p, n) in enumerate(assignments)
        if p in lists
    ]
    report = coverage(members, lists)
    for role in report.roles.values():
        assert sum(c.fair_share for c in role.cells) == pytest.approx(role.total_sessions)
        assert sum(c.gap for c in role.cells) == pytest.approx(0, abs=1e-9)
        assert role.reached == sum(1 for c in role.cells if c.sessions > 0)
