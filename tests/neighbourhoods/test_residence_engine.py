"""The residence engine (pure) against an independent, slow recomputation in plain loops over
the rows: each PCN's totals, its patients per neighbourhood and local authority, the overlap
and the misfit both ways; Hypothesis over random extracts, memberships and footprints
(which may overlap); and a file of 2011 LSOAs, which cannot be matched."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from openpcn.neighbourhoods.residence import (
    ELSEWHERE,
    NO_LSOA,
    NO_PCN,
    OUTSIDE,
    Extract,
    Geography,
    Residence,
)

DAY = date(2026, 7, 1)
LSOAS = ["E01035001", "E01035002", "E01035003", "E01035004", "E01035005", "W01000001"]
PLACEHOLDERS = ["NO2021", "CLOSED"]
PRACTICES = ["A1", "A2", "B1", "B2", "C1"]
PCNS = ["P1", "P2", "P3"]
LADS = {c: (f"E0600000{i % 2}", f"LA {i % 2}") for i, c in enumerate(LSOAS[:5])}


def build(rows, members, footprints, serves, vintage=2021):
    counts = {}
    for practice, lsoa, n in rows:
        counts[(practice, lsoa)] = counts.get((practice, lsoa), 0) + n
    extract = Extract(DAY, vintage, ("gp-reg-pat-prac-lsoa-all.csv",), counts)
    geo = Geography(DAY, footprints, serves, LADS)
    return Residence(extract, members, geo), counts


def slow(counts, members, footprints, serves):
    """Plain loops, written without the engine: what every figure should be."""
    out = {"pcn": {}, "nb": {}}
    for pcn in PCNS:
        total = no_lsoa = outside = with_lsoa = outside_own = 0
        per_nb = {label: 0 for label in footprints}
        per_la = {}
        for (practice, lsoa), n in counts.items():
            if members.get(practice) != pcn or n == 0:
                continue
            total += n
            if not re.match(r"^[EWSN]\d{8}$", lsoa):
                no_lsoa += n
                continue
            with_lsoa += n
            inside_any = False
            inside_own = False
            for label, codes in footprints.items():
                if lsoa in codes:
                    per_nb[label] += n
                    inside_any = True
                    if pcn in serves[label]:
                        inside_own = True
            if not inside_any:
                outside += n
            if not inside_own:
                outside_own += n
            la = LADS[lsoa][0] if lsoa in LADS else "other"
            per_la[la] = per_la.get(la, 0) + n
        own = [label for label in footprints if pcn in serves[label]]
        misfit = round(outside_own / with_lsoa * 100, 1) if own and with_lsoa else None
        out["pcn"][pcn] = (total, no_lsoa, outside, per_nb, per_la, misfit)
    for label, codes in footprints.items():
        residents = registered_outside = 0
        per_pcn = {}
        for (practice, lsoa), n in counts.items():
            if lsoa not in codes or n == 0:
                continue
            residents += n
            pcn = members.get(practice)
            pcn = NO_PCN if pcn in (None, "U") else pcn
            per_pcn[pcn] = per_pcn.get(pcn, 0) + n
            if pcn not in serves[label]:
                registered_outside += n
        misfit = (
            round(registered_outside / residents * 100, 1) if residents and serves[label] else None
        )
        out["nb"][label] = (residents, per_pcn, misfit)
    return out


def check(rows, members, footprints, serves):
    res, counts = build(rows, members, footprints, serves)
    expected = slow(counts, members, footprints, serves)
    for pcn, (total, no_lsoa, outside, per_nb, per_la, misfit) in expected["pcn"].items():
        got = res.pcn(pcn)
        assert got.total.value == total
        assert sum(n for (p, _), n in counts.items() if members.get(p) == pcn) == total
        assert got.no_lsoa.value == no_lsoa
        shares = {s.key: s.count for s in got.by_neighbourhood}
        assert shares.get(OUTSIDE, 0) == outside and shares.get(NO_LSOA, 0) == no_lsoa
        assert {k: v for k, v in shares.items() if k in footprints} == {
            k: v for k, v in per_nb.items() if v
        }
        las = {("other" if s.key == "" else s.key): s.count for s in got.by_local_authority}
        las.pop(NO_LSOA, None)
        assert las == per_la
        assert got.misfit.value == misfit
        assert all(s.of == total for s in got.by_neighbourhood)
    for label, (residents, per_pcn, misfit) in expected["nb"].items():
        got = res.neighbourhood(label)
        assert got.residents.value == residents
        assert {s.key: s.count for s in got.by_pcn} == per_pcn
        assert sum(s.count for s in got.by_practice) == residents
        assert got.misfit.value == misfit
    labels = sorted(footprints)
    ov = res.overlap(labels, PCNS)
    for pcn in PCNS:
        per_nb = expected["pcn"][pcn][3]
        for label in labels:
            assert ov.cell(pcn, label) == per_nb[label]
        assert ov.cell(pcn, NO_LSOA) == expected["pcn"][pcn][1]
    for label in labels:  # a column, over every PCN and no PCN, is the residents
        everyone = res.overlap(labels)
        assert sum(everyone.cell(r, label) for r in everyone.rows) == expected["nb"][label][0]
    return res


def test_a_worked_example():
    rows = [
        ("A1", "E01035001", 100),
        ("A1", "E01035003", 20),
        ("A1", "NO2021", 5),
        ("A2", "E01035002", 50),
        ("B1", "E01035001", 30),
        ("B1", "W01000001", 3),
        ("C1", "E01035001", 2),
    ]
    members = {"A1": "P1", "A2": "P1", "B1": "P2", "C1": "U"}
    footprints = {"North": frozenset(LSOAS[:2]), "South": frozenset(LSOAS[2:4])}
    serves = {"North": frozenset({"P1"}), "South": frozenset({"P2"})}
    res = check(rows, members, footprints, serves)
    p1 = res.pcn("P1")
    assert (p1.total.value, p1.no_lsoa.value, p1.misfit.value) == (175, 5, 11.8)  # 20 / 170
    north = res.neighbourhood("North")
    assert north.residents.value == 182
    assert north.misfit.value == 17.6  # B1's 30 and C1's 2 (no PCN) of 182
    assert [(s.key, s.count) for s in north.by_pcn] == [("P1", 150), ("P2", 30), (NO_PCN, 2)]
    assert res.overlap(["North"]).cell("P2", ELSEWHERE) == 3  # Wales: in no neighbourhood
    assert "gp-reg-pat-prac-lsoa-all.csv" in p1.total.data[0].source
    assert p1.total.data[0].as_of == DAY


def test_a_2011_file_gives_totals_but_cannot_be_matched():
    rows = [("A1", "E01011954", 10), ("A1", "NO2011", 2)]
    footprints = {"North": frozenset({"E01011954"})}
    res, _ = build(rows, {"A1": "P1"}, footprints, {"North": frozenset({"P1"})}, vintage=2011)
    p1 = res.pcn("P1")
    assert (p1.total.value, p1.no_lsoa.value, p1.matched) == (12, 2, False)
    assert p1.by_neighbourhood == () and p1.misfit.value is None
    assert "2011 codes" in p1.misfit.method and "cannot be matched" in p1.misfit.method
    north = res.neighbourhood("North")
    assert north.residents.value == 0 and "cannot be matched" in north.residents.method


rows_st = st.lists(
    st.tuples(
        st.sampled_from(PRACTICES),
        st.sampled_from(LSOAS + PLACEHOLDERS),
        st.integers(0, 500),
    ),
    max_size=40,
)
members_st = st.dictionaries(st.sampled_from(PRACTICES), st.sampled_from([*PCNS, "U"]))
footprints_st = st.dictionaries(
    st.sampled_from(["North", "South", "East"]),
    st.frozensets(st.sampled_from(LSOAS[:5]), min_size=1),
    min_size=1,
)


@given(rows_st, members_st, footprints_st, st.data())
def test_against_the_slow_recomputation(rows, members, footprints, data):
    serves = {
        label: data.draw(st.frozensets(st.sampled_from(PCNS)), label=label) for label in footprints
    }
    check(rows, members, footprints, serves)


def test_a_published_row_of_no_patients_adds_no_neighbourhood():
    """Found by Hypothesis: a 0 row made a 0 share appear for a neighbourhood."""
    res = check(
        [("A1", "E01035001", 0)],
        {"A1": "P1"},
        {"North": frozenset({"E01035001"})},
        {"North": frozenset()},
    )
    assert res.pcn("P1").by_neighbourhood == ()
