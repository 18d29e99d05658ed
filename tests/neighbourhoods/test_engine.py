"""The pure engine: reading LSOA lists, checking them against the 2021 vintage, the decile
profile and local authorities, and periods that must not overlap."""

from __future__ import annotations

from datetime import date

import pytest

from openpcn.core.periods import Period, overlap_message
from openpcn.neighbourhoods.areas import Area, check_codes, profile, read_codes

KNOWN = {
    "E01000001": Area("E01000001", "City 001A", "E09000001", "City of London", 26525, 8),
    "E01033769": Area("E01033769", "New 001", "E06000001", "Hartlepool", 10, 1),
    "E01033770": Area("E01033770", "New 002", "E06000001", "Hartlepool", 5000, 2),
}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("E01000001\nE01033769\n", ["E01000001", "E01033769"]),
        ("e01000001, E01033769;E01033770", ["E01000001", "E01033769", "E01033770"]),
        ("LSOA21CD,LSOA21NM\nE01000001,City 001A\n", ["E01000001"]),
        ('"LSOA code (2021)","name"\n"E01000001","x"\n\n', ["E01000001"]),
        ("\ufeffE01000001\tE01033769", ["E01000001", "E01033769"]),
    ],
)
def test_read_codes(text, codes):
    assert [c for _, c in read_codes(text)] == codes


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("E01000010", "is a 2011 LSOA code that is not a 2021 LSOA"),
        ("E01035999", "is not a 2021 LSOA in the English Indices of Deprivation 2025"),
        ("W01000001", "Welsh"),
        ("E0100001", "is not an LSOA code"),
        ("E02000001", "LSOAs in England start E01"),
    ],
)
def test_bad_codes_say_why(code, words):
    check = check_codes([(3, code)], KNOWN, {"E01000010"})
    assert not check.ok and check.problems[0].line == 3
    assert words in str(check.problems[0]) and str(check.problems[0]).startswith("line 3: ")


def test_a_2011_code_is_named_even_without_the_lookup():
    check = check_codes([(1, "E01000010")], KNOWN, set())
    assert "looks like a 2011 LSOA code" in check.problems[0].message


def test_repeats_are_kept_once():
    check = check_codes([(1, "E01000001"), (2, "E01000001")], KNOWN)
    assert check.ok and check.valid == ["E01000001"] and check.repeated == ["E01000001"]


def test_profile_counts_every_decile_and_local_authority():
    p = profile(KNOWN.values())
    assert p.lsoas == 3 and sum(p.by_decile.values()) == 3
    assert p.by_decile == {1: 1, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 1, 9: 0, 10: 0}
    assert [(la.code, la.lsoas) for la in p.local_authorities] == [
        ("E06000001", 2),
        ("E09000001", 1),
    ]
    assert p.most_deprived_fifth == 2
    assert p.as_dict()["lsoas_by_imd_decile"]["8"] == 1


def test_periods():
    jan, jun = date(2026, 1, 1), date(2026, 6, 1)
    assert Period(jan, date(2026, 5, 31)).overlaps(Period(date(2026, 5, 31)))
    assert not Period(jan, date(2026, 5, 30)).overlaps(Period(date(2026, 5, 31)))
    assert Period(jan).covers(date(2030, 1, 1)) and not Period(jun).covers(jan)
    msg = overlap_message([Period(jan)], Period(jun, date(2026, 7, 1)), "the version")
    assert "overlaps the one from 2026-01-01 (open)" in msg
    assert overlap_message([Period(jan, date(2026, 5, 31))], Period(jun), "x") is None
    with pytest.raises(ValueError, match="before the start"):
        Period(jun, jan)
