"""Which file answers "members of PCN P as at D" (pure: openpcn.registry.membership)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openpcn.registry.membership import Membership, MembershipFile, choose_files, from_rows

MAP_2022 = MembershipFile(date(2022, 1, 1), "nhsd_gp_reg_2022-01/gp-reg-pat-prac-map.csv")
EPCN_2023 = MembershipFile(date(2023, 1, 26), "ods_epcn_2023-01/ePCN.xlsx", dated=True)
EPCN_2025 = MembershipFile(date(2025, 1, 20), "ods_epcn_2025-01/ePCN.xlsx", dated=True)
MAP_2026 = MembershipFile(date(2026, 7, 1), "nhsd_gp_reg_2026-07/gp-reg-pat-prac-map.csv")
ALL = (MAP_2022, EPCN_2023, EPCN_2025, MAP_2026)


@pytest.mark.parametrize(
    ("on", "files", "chosen", "why"),
    [
        (date(2022, 1, 1), ALL, MAP_2022, "a file observed on the day itself"),
        (date(2024, 3, 31), ALL, EPCN_2025, "the first dated file after: hindsight"),
        (date(2024, 3, 31), (MAP_2022, EPCN_2025), EPCN_2025, "the issue's setting"),
        (date(2024, 3, 31), (MAP_2022, EPCN_2023), EPCN_2023, "no dated file after"),
        (date(2022, 6, 1), ALL, EPCN_2023, "the earliest of two dated files after"),
        (date(2026, 6, 30), ALL, EPCN_2025, "a snapshot after the day is never used"),
        (date(2026, 7, 15), ALL, MAP_2026, "the newest snapshot before"),
        (date(2021, 6, 1), (MAP_2022,), None, "nothing known before a snapshot"),
        (date(2024, 3, 31), (), None, "nothing loaded"),
    ],
)
def test_choose_files(on, files, chosen, why):
    assert choose_files(on, files) == ((chosen,) if chosen else ()), why


def test_files_observed_on_one_date_are_read_together():
    twin = MembershipFile(MAP_2026.observed, "other/gp-reg-pat-prac-map.csv")
    assert choose_files(date(2026, 7, 1), (MAP_2026, twin)) == (MAP_2026, twin)


ROWS = [  # A00001 moves from U00001 to U00002 on 1 April 2024; A00002 closes on 31 March
    ("A00001", "U00001", date(2019, 7, 1), date(2024, 3, 31)),
    ("A00001", "U00002", date(2024, 4, 1), None),
    ("A00002", "U00001", date(2019, 7, 1), date(2024, 3, 31)),
    ("B00001", "U", None, None),
]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 3, 31), {"A00001": "U00001", "A00002": "U00001", "B00001": "U"}),
        (date(2024, 4, 1), {"A00001": "U00002", "B00001": "U"}),
        (date(2019, 6, 30), {"B00001": "U"}),
    ],
)
def test_from_rows_keeps_relations_active_on_the_day(on, expected):
    got = from_rows(on, (EPCN_2025,), ROWS)
    assert dict(got) == expected
    assert got.on == on and got.observed == EPCN_2025.observed


def test_membership_names_its_file_and_date():
    m = from_rows(date(2024, 3, 31), (EPCN_2025,), ROWS)
    assert m.members_of("U00001") == ["A00001", "A00002"]
    assert m.by_pcn() == {"U00001": ["A00001", "A00002"]}  # 'U' is no PCN
    assert m.pcn_of("A00001") == "U00001" and m.pcn_of("Z99999") is None
    assert m.describe() == "ods_epcn_2025-01/ePCN.xlsx (observed 2025-01-20) as at 2024-03-31"
    ref = m.data_ref()
    assert (ref.source, ref.as_of) == ("ods_epcn_2025-01/ePCN.xlsx", date(2025, 1, 20))
    assert "as at 2024-03-31" in ref.description and "dated relationships" in ref.description
    empty = Membership(date(2024, 3, 31))
    assert empty.observed is None and "no PCN membership loaded" in empty.describe()


def test_a_practice_under_two_pcns_on_a_month_end_counts_once():
    rows = [
        ("A00001", "U00002", date(2024, 3, 1), None),
        ("A00001", "U00001", None, date(2024, 3, 31)),
    ]
    assert dict(from_rows(date(2024, 3, 31), (EPCN_2025,), rows)) == {"A00001": "U00001"}


files = st.builds(
    MembershipFile,
    st.dates(date(2019, 1, 1), date(2027, 12, 31)),
    st.sampled_from(["a.csv", "b.xlsx"]),
    st.booleans(),
)


@given(st.lists(files, max_size=8), st.dates(date(2019, 1, 1), date(2027, 12, 31)))
def test_the_chosen_file_could_know_the_day(fs, on):
    """A chosen file was observed on the day, or is dated, or is the newest one before it;
    and a file observed on the day always wins."""
    chosen = choose_files(on, fs)
    assert len({f.observed for f in chosen}) <= 1
    for f in chosen:
        assert f in fs
        if f.observed > on:
            assert f.dated
        elif f.observed < on:
            assert not any(g.observed == on for g in fs)
            assert not any(g.dated and g.observed > on for g in fs)
            assert not any(f.observed < g.observed < on for g in fs)
    if fs and any(f.observed <= on or f.dated for f in fs):
        assert chosen
    if any(f.observed == on for f in fs):
        assert chosen[0].observed == on


def test_dates_a_day_apart_choose_as_the_rule_says():
    day = EPCN_2025.observed
    assert choose_files(day - timedelta(days=1), ALL) == (EPCN_2025,)
    assert choose_files(day, ALL) == (EPCN_2025,)
    assert choose_files(day + timedelta(days=1), ALL) == (EPCN_2025,)
    assert choose_files(MAP_2026.observed - timedelta(days=1), ALL) == (EPCN_2025,)
