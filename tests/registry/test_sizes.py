"""The PCN-size report: spec table, real figures, and a slow reference implementation."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openpcn.registry.records import EpcnMembership
from openpcn.registry.sizes import Member, parse_band, pcn_sizes


def reference(members, populations, band=(30_000, 50_000)):
    """Obviously correct: one pass per PCN, sort for the median, count with comparisons."""
    low, high = band
    pcns = sorted({m.pcn_code for m in members if m.pcn_code not in (None, "", "U")})
    sizes = []
    for pcn in pcns:
        counts = [
            populations[m.practice_code]
            for m in members
            if m.pcn_code == pcn and m.practice_code in populations
        ]
        if counts:
            sizes.append(sum(counts))
    sizes.sort()
    n = len(sizes)
    median = None
    if n:
        median = sizes[n // 2] if n % 2 else (sizes[n // 2 - 1] + sizes[n // 2]) / 2
    in_band = len([s for s in sizes if low <= s <= high])
    pct = round(100 * in_band / n + 1e-9, 1) if n else 0.0
    return {
        "pcn_count": n,
        "in_band": in_band,
        "in_band_pct": pct,
        "below": len([s for s in sizes if s < low]),
        "above": len([s for s in sizes if s > high]),
        "median": median,
        "practices_matched": len([m for m in members if m.practice_code in populations]),
        "practices_unmatched": len([m for m in members if m.practice_code not in populations]),
    }


def figures(report):
    d = report.as_dict()
    return {
        k: d[k]
        for k in (
            "pcn_count",
            "in_band",
            "in_band_pct",
            "below",
            "above",
            "median",
            "practices_matched",
            "practices_unmatched",
        )
    }


M = Member
SPEC = [
    # members, populations, expected (pcn_count, in_band, below, above, median)
    ([M("A", "P1"), M("B", "P1")], {"A": 20_000, "B": 10_000}, (1, 1, 0, 0, 30_000)),
    ([M("A", "P1")], {"A": 29_999}, (1, 0, 1, 0, 29_999)),
    ([M("A", "P1")], {"A": 50_000}, (1, 1, 0, 0, 50_000)),  # inclusive
    ([M("A", "P1")], {"A": 50_001}, (1, 0, 0, 1, 50_001)),
    ([M("A", "U"), M("B", "P1")], {"A": 40_000, "B": 40_000}, (1, 1, 0, 0, 40_000)),  # U not a PCN
    ([M("A", "P1"), M("B", "P2")], {"A": 1, "B": 2}, (2, 0, 2, 0, 1.5)),
    ([M("A", "P1"), M("B", "P2")], {"A": 35_000}, (1, 1, 0, 0, 35_000)),  # P2 has no count
    ([M("A", None)], {"A": 35_000}, (0, 0, 0, 0, None)),
]


@pytest.mark.parametrize(("members", "pops", "expected"), SPEC)
def test_spec(members, pops, expected):
    r = pcn_sizes(members, pops)
    assert (r.pcn_count, r.in_band, r.below, r.above, r.median) == expected


def test_matched_unmatched_and_by_icb():
    members = [
        M("A", "P1", "Q1"),
        M("B", "P1", "Q1"),
        M("C", "P2", "Q2"),
        M("D", "U", "Q2"),
        M("E", "P3", ""),
    ]
    r = pcn_sizes(members, {"A": 20_000, "B": 20_000, "C": 60_000, "D": 5, "E": 31_000})
    assert (r.practices_matched, r.practices_unmatched, r.practices_in_no_pcn) == (5, 0, 1)
    assert set(r.by_icb) == {"Q1", "Q2"}  # P3's ICB is unknown: only in the totals
    assert (r.by_icb["Q1"].in_band, r.by_icb["Q2"].above) == (1, 1)
    assert r.in_band_pct == 66.7


def test_duplicate_practice_rejected():
    with pytest.raises(ValueError, match="listed twice"):
        pcn_sizes([M("A", "P1"), M("A", "P2")], {"A": 1})


@pytest.mark.parametrize(
    ("text", "band"), [("30000-50000", (30_000, 50_000)), ("25,000-45,000", (25_000, 45_000))]
)
def test_parse_band(text, band):
    assert parse_band(text) == band


@pytest.mark.parametrize("text", ["50000-30000", "abc", "1-2-3"])
def test_parse_band_rejects(text):
    with pytest.raises(ValueError):
        parse_band(text)


codes = st.sampled_from([f"P{i}" for i in range(6)] + ["U", ""])


@st.composite
def inputs(draw):
    n = draw(st.integers(0, 30))
    members = [
        Member(f"X{i}", draw(codes), draw(st.sampled_from(["Q1", "Q2", ""]))) for i in range(n)
    ]
    pops = {
        m.practice_code: draw(st.integers(0, 40_000))
        for m in members
        if draw(st.booleans()) or draw(st.booleans())
    }
    low = draw(st.integers(0, 60_000))
    return members, pops, (low, low + draw(st.integers(0, 60_000)))


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_fast_equals_reference(data):
    members, pops, band = data
    assert figures(pcn_sizes(members, pops, band)) == reference(members, pops, band)


@settings(max_examples=100, deadline=None)
@given(inputs())
def test_by_icb_adds_up(data):
    members, pops, band = data
    r = pcn_sizes(members, pops, band)
    assert sum(f.pcn_count for f in r.by_icb.values()) <= r.pcn_count
    assert sum(f.in_band for f in r.by_icb.values()) <= r.in_band
    assert r.in_band + r.below + r.above == r.pcn_count


# Known figures from the data README (median rounded as there).
REAL = [
    (
        "nhsd_gp_reg_2022-01/gp-reg-pat-prac-map.csv",
        "nhsd_gp_reg_2022-01/gp-reg-pat-prac-all.csv",
        (1254, 699, 55.7, 91, 464, 44_738),
        6527,
    ),
    (
        "nhsd_gp_reg_2026-07/gp-reg-pat-prac-map.csv",
        "nhsd_gp_reg_2026-07/gp-reg-pat-prac-quin-age.csv",
        (1298, 691, 53.2, 119, 488, 45_118),
        6139,
    ),
]


@pytest.mark.parametrize(("map_name", "pop_name", "expected", "matched"), REAL)
def test_real_figures(parsed, map_name, pop_name, expected, matched):
    members = parsed(map_name).records
    pops = {
        r.org_code: r.count
        for r in parsed(pop_name).records
        if r.org_type == "GP" and r.sex == "ALL" and r.age == "ALL"
    }
    r = pcn_sizes(members, pops)
    assert (r.pcn_count, r.in_band, r.in_band_pct, r.below, r.above, round(r.median)) == expected
    assert (r.practices_matched, r.practices_unmatched) == (matched, 0)
    assert figures(r) == reference(members, pops)
    assert sum(f.pcn_count for f in r.by_icb.values()) == r.pcn_count


def test_real_epcn_membership(parsed):
    members = [
        m
        for m in parsed("ods_epcn_2022-01/ePCN.xlsx").of(EpcnMembership)
        if m.active_on(date(2022, 1, 1))
    ]
    pops = {
        r.org_code: r.count for r in parsed("nhsd_gp_reg_2022-01/gp-reg-pat-prac-all.csv").records
    }
    r = pcn_sizes(members, pops)
    assert (r.pcn_count, r.in_band, r.in_band_pct, r.below, r.above, round(r.median)) == (
        1254,
        697,
        55.6,
        91,
        466,
        44_686,
    )


def test_real_des_raw_list(parsed):
    rows = parsed("nhse_pcn_adjusted_population_2025-26/pcn_data_2025-26.csv").records
    r = pcn_sizes(rows, {x.practice_code: x.raw_list_size for x in rows})
    assert (r.pcn_count, r.in_band, r.in_band_pct, r.below, r.above, round(r.median)) == (
        1284,
        672,
        52.3,
        105,
        507,
        45_644,
    )


def test_figures_explain_themselves():
    r = pcn_sizes([M("A", "P1")], {"A": 40_000})
    f = r.figures()
    assert f["in_band_pct"].value == 100.0 and f["in_band_pct"].inputs[0].value == 1


def test_mapping_input_and_explicit_icbs():
    r = pcn_sizes(
        {"A": "P1", "B": "P2", "C": "U"},
        {"A": 40_000, "B": 10, "C": 5},
        icb_of_pcn={"P1": "Q1", "P2": "Q2", "P9": "Q9"},
    )
    assert (r.pcn_count, r.in_band, r.practices_in_no_pcn) == (2, 1, 1)
    assert {k: v.pcn_count for k, v in r.by_icb.items()} == {"Q1": 1, "Q2": 1}
