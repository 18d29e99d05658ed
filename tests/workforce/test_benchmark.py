"""The workforce benchmark: small spec tables, Hypothesis against a slow reference, real data."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openpcn.workforce.benchmark import (
    ALL_ARRS,
    ALL_STAFF,
    Benchmark,
    BenchmarkError,
    Source,
    WorkforceTable,
)
from openpcn.workforce.nwrs import NwrsRecord
from openpcn.workforce.role_map import NON_ARRS, load_role_map

from .conftest import NWRS
from .test_stats import slow_quantile, slow_rank

NWRS_SRC = Source("/data/nwrs.csv", date(2026, 6, 30), "NWRS June 2026")
POP_SRC = Source("/data/pop.csv", date(2026, 7, 1), "registered patients")


def rec(pcn, icb, role, fte, detailed=""):
    return NwrsRecord(
        "NWRS Staff",
        pcn,
        f"{pcn} PCN",
        "",
        icb,
        f"{icb} ICB",
        "",
        "",
        "",
        role,
        detailed,
        Decimal(str(fte)),
    )


def bench(records, pops):
    return Benchmark(WorkforceTable.from_records(records, NWRS_SRC), pops, POP_SRC)


# Four PCNs, two ICBs. Pharmacist rates per 10k: A 2.0, B 1.0, C 0.0 (none), D 4.0.
RECORDS = [
    rec("A", "Q1", "Pharmacists", 4),
    rec("A", "Q1", "Care Coordinators", 1),
    rec("A", "Q1", "Managers", 2),
    rec("B", "Q1", "Pharmacists", 0.5),
    rec("B", "Q1", "Pharmacists", 0.5),
    rec("C", "Q2", "Care Coordinators", 3),
    rec("D", "Q2", "Pharmacists", 2),
    rec("E", "Q2", "Pharmacists", 9),  # no population: left out
]
POPS = {"A": 20_000, "B": 10_000, "C": 30_000, "D": 5_000, "Z": 40_000}


def test_spec_rates_and_distributions():
    b = bench(RECORDS, POPS)
    assert b.excluded == ["E"]
    a = b.for_pcn("a")
    cp = a.roles["clinical_pharmacist"]
    assert cp.fte.value == Decimal(4)
    assert cp.rate.value == pytest.approx(2.0)
    # England: [0, 1, 2, 4]; ICB Q1: [1, 2]
    assert cp.england.pcns == 4
    assert cp.england.median.value == pytest.approx(1.5)
    assert cp.england.p25.value == pytest.approx(0.75)
    assert cp.england.p75.value == pytest.approx(2.5)
    assert cp.england.percentile_rank.value == pytest.approx(62.5)
    assert cp.icb.pcns == 2
    assert cp.icb.median.value == pytest.approx(1.5)
    assert cp.icb.percentile_rank.value == pytest.approx(75.0)
    assert cp.icb.scope == "Q1 ICB"
    # totals: A has 4 + 1 ARRS FTE and 2 non-ARRS
    assert a.roles[ALL_ARRS].fte.value == Decimal(5)
    assert a.roles[ALL_STAFF].fte.value == Decimal(7)
    assert a.roles[NON_ARRS].rate.value == pytest.approx(1.0)
    c = b.for_pcn("C").roles["clinical_pharmacist"]
    assert c.rate.value == 0
    assert c.england.percentile_rank.value is None  # no staff: not ranked (was 12.5)
    assert list(a.roles) == [
        "clinical_pharmacist",
        "care_coordinator",
        NON_ARRS,
        ALL_ARRS,
        ALL_STAFF,
    ]


def test_a_role_with_no_staff_is_not_ranked():
    # ICB Q2 (C, D) has no non-ARRS staff at all: mid-rank among ties said "percentile 50"
    c = bench(RECORDS, POPS).for_pcn("C")
    for scope in (c.roles[NON_ARRS].icb, c.roles[NON_ARRS].england):
        assert scope.percentile_rank.value is None
        assert "no staff in this role" in scope.percentile_rank.method
    assert c.roles[NON_ARRS].as_dict()["icb"]["percentile_rank"] is None
    assert c.roles["care_coordinator"].icb.percentile_rank.value == pytest.approx(75.0)


def test_figures_name_files_dates_and_inputs():
    cp = bench(RECORDS, POPS).for_pcn("A").roles["clinical_pharmacist"]
    assert [d.source for d in cp.rate.data] == ["nwrs.csv", "pop.csv"]
    assert [d.as_of for d in cp.rate.data] == [date(2026, 6, 30), date(2026, 7, 1)]
    assert [i.value for i in cp.rate.inputs] == [Decimal(4), 20_000]
    assert "10,000" in cp.rate.method
    assert "interpolation" in cp.england.median.method
    assert "4 PCNs in England" in cp.england.median.method
    assert "mid-rank" in cp.england.percentile_rank.method
    assert all(f.data for f in cp.figures)
    d = bench(RECORDS, POPS).for_pcn("A").as_dict(explain=True)
    assert d["roles"][0]["england"]["median"] == pytest.approx(1.5)
    assert d["figures"][0]["data"][0]["source"] == "nwrs.csv"


@pytest.mark.parametrize(
    ("code", "words"),
    [("E", "no registered population in pop.csv"), ("X", "not in nwrs.csv (census June 2026)")],
)
def test_pcn_that_cannot_be_benchmarked(code, words):
    with pytest.raises(BenchmarkError, match=words.replace("(", r"\(").replace(")", r"\)")):
        bench(RECORDS, POPS).for_pcn(code)


def test_pcn_icb_is_the_most_common_one():
    t = WorkforceTable.from_records(
        [
            rec("A", "Q2", "Pharmacists", 1),
            rec("A", "Q1", "Pharmacists", 1),
            rec("A", "Q2", "Paramedics", 1),
        ],
        NWRS_SRC,
    )
    assert t.pcns["A"].icb_code == "Q2"


# ---- slow reference -------------------------------------------------------------------------


def slow_benchmark(records, pops, pcn):
    """Everything recomputed from the rows for one PCN, the obvious way."""
    rm = load_role_map()
    pcns = {r.pcn_code for r in records if pops.get(r.pcn_code, 0) > 0}

    def icb_of(p):
        counts = defaultdict(int)
        for r in records:
            if r.pcn_code == p:
                counts[r.icb_code] += 1
        return sorted(counts, key=lambda k: (-counts[k], k))[0]

    def rate(p, role):
        total = Decimal(0)
        for r in records:
            mapped = rm.arrs_role(r.staff_role, r.detailed_staff_role)
            if r.pcn_code == p and (
                mapped == role or role == ALL_STAFF or (role == ALL_ARRS and mapped != NON_ARRS)
            ):
                total += r.fte
        return float(total) * 10_000 / pops[p]

    roles = {rm.arrs_role(r.staff_role, r.detailed_staff_role) for r in records} | {
        ALL_ARRS,
        ALL_STAFF,
    }
    out = {}
    for role in roles:
        england = [rate(p, role) for p in pcns]
        icb = [rate(p, role) for p in pcns if icb_of(p) == icb_of(pcn)]
        mine = rate(pcn, role)
        out[role] = {
            "rate": mine,
            "england": [slow_quantile(england, q) for q in (0.25, 0.5, 0.75)]
            + [slow_rank(england, mine) if mine else None],  # no staff: not ranked
            "icb": [slow_quantile(icb, q) for q in (0.25, 0.5, 0.75)]
            + [slow_rank(icb, mine) if mine else None],
        }
    return out


def fast_as_reference_shape(result):
    return {
        role: {
            "rate": r.rate.value,
            "england": [
                r.england.p25.value,
                r.england.median.value,
                r.england.p75.value,
                r.england.percentile_rank.value,
            ],
            "icb": [
                r.icb.p25.value,
                r.icb.median.value,
                r.icb.p75.value,
                r.icb.percentile_rank.value,
            ],
        }
        for role, r in result.roles.items()
    }


def assert_close(fast, slow):
    assert set(fast) == set(slow)
    for role in slow:
        assert fast[role]["rate"] == pytest.approx(slow[role]["rate"], rel=1e-12, abs=1e-12)
        for scope in ("england", "icb"):
            *quartiles, rank = slow[role][scope]
            assert fast[role][scope][:3] == pytest.approx(quartiles, rel=1e-9, abs=1e-9)
            got = fast[role][scope][3]
            assert got is rank is None or got == pytest.approx(rank, rel=1e-9, abs=1e-9)


STAFF_ROLES = [
    "Pharmacists",
    "Care Coordinators",
    "Managers",
    "Paramedics",
    "Social Prescribing Link Workers",
]
record_st = st.builds(
    rec,
    st.sampled_from(["P1", "P2", "P3", "P4", "P5", "P6"]),
    st.sampled_from(["Q1", "Q2", "Q3"]),
    st.sampled_from(STAFF_ROLES),
    st.decimals(min_value=0, max_value=3, places=3).map(str),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(record_st, min_size=1, max_size=25),
    st.dictionaries(
        st.sampled_from(["P1", "P2", "P3", "P4", "P5", "P6"]),
        st.integers(min_value=0, max_value=80_000),
    ),
)
def test_fast_matches_slow_reference(records, pops):
    b = bench(records, pops)
    for pcn in b.population:
        assert_close(fast_as_reference_shape(b.for_pcn(pcn)), slow_benchmark(records, pops, pcn))


# ---- real data ------------------------------------------------------------------------------


def test_real_england_distribution_matches_reference(real_benchmark, populations):
    """Clinical pharmacist FTE per 10k: every PCN recomputed straight from the CSV."""
    fte = defaultdict(float)
    with NWRS.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            fte[row["PCN_CODE"]] += float(row["FTE"]) if row["STAFF_ROLE"] == "Pharmacists" else 0
    rates = [fte[p] * 10_000 / populations[p] for p in fte]
    assert len(rates) == 1271
    cp = "clinical_pharmacist"
    got = real_benchmark.for_pcn("U96599").roles[cp].england
    assert got.pcns == 1271
    assert got.median.value == pytest.approx(slow_quantile(rates, 0.5))
    assert got.p25.value == pytest.approx(slow_quantile(rates, 0.25))
    assert got.p75.value == pytest.approx(slow_quantile(rates, 0.75))
    assert 0.5 < got.median.value < 1.5  # around one pharmacist per 10,000 patients
    mine = fte["U96599"] * 10_000 / populations["U96599"]
    assert got.percentile_rank.value == pytest.approx(slow_rank(rates, mine))


def test_real_every_pcn_benchmarked(real_benchmark):
    assert real_benchmark.excluded == []
    assert len(real_benchmark.population) == 1271
    assert len(real_benchmark.groups) == 1 + 36
    result = real_benchmark.for_pcn("U96599")
    assert result.pcn.icb_code == "Z9B2Z"
    total = result.roles[ALL_STAFF]
    assert total.fte.value == sum(
        (r.fte.value for k, r in result.roles.items() if k not in (ALL_ARRS, ALL_STAFF)),
        Decimal(0),
    )
    assert 0 <= total.england.percentile_rank.value <= 100
    refs = result.sources[0].ref(), result.sources[1].ref()
    assert refs[0].source == "pcn-workforce-individual-level-2026-06.csv"
    assert refs[0].as_of == date(2026, 6, 30)
