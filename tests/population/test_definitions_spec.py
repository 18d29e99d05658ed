"""Table-shaped spec tests: each row a tiny population and the expected cohort members."""

from __future__ import annotations

import pytest

from openpcn.population.codelists import read_codelist
from openpcn.population.engines import run_definitions

from .conftest import INDEX, make_dataset


def c(ref: str) -> str:
    return sorted(read_codelist(ref))[0]


NSAID, PPI, ANTICOAG = c("pincer/nsaid"), c("pincer/ppi"), c("pincer/anticoag")
HF, EGFR, HYP = c("pincer/hf"), "1011481000000105", c("efi/hypertension")
LD, FALLS = c("medrev/nhsd-primary-care-domain-refsets-ld_cod"), c("efi/falls")
EFI_LISTS = [
    "efi/" + n
    for n in [
        "falls",
        "anaemia",
        "arthritis",
        "atrial-fibrillation",
        "stroke-tia",
        "ckd",
        "diabetes",
        "dizziness",
        "dyspnoea",
        "foot-problems",
        "fragility-fracture",
        "hearing-loss",
        "heart-failure",
    ]  # noqa: E501
]
SEVERE = [(1, c(ref), 400, None) for ref in EFI_LISTS]  # 13 deficits

# (definition, cohort, patients, events, meds, expected members)
CASES = [
    (
        "pincer",
        "a",
        [{"id": 1, "age": 70}, {"id": 2, "age": 70}, {"id": 3, "age": 60}, {"id": 4, "age": 70}],
        [],
        [(1, NSAID, 10), (2, NSAID, 10), (2, PPI, 20), (3, NSAID, 10), (4, NSAID, 200)],
        {1},
    ),
    (
        "pincer",
        "d",
        [{"id": 1, "age": 50}, {"id": 2, "age": 50}],
        [],
        [(1, NSAID, 10), (1, ANTICOAG, 30), (2, ANTICOAG, 30)],
        {1},
    ),
    (
        "pincer",
        "i",
        [{"id": 1, "age": 50}, {"id": 2, "age": 50}],
        [(1, HF, 900, None), (2, HF, 900, None)],
        [(1, NSAID, 10)],
        {1},
    ),
    (
        "pincer",
        "k",
        [{"id": 1, "age": 50}, {"id": 2, "age": 50}, {"id": 3, "age": 50}],
        [
            (1, EGFR, 500, 80.0),
            (1, EGFR, 20, 40.0),
            (2, EGFR, 500, 40.0),
            (2, EGFR, 20, 80.0),
            (3, EGFR, 20, 40.0),
        ],
        [(1, NSAID, 10), (2, NSAID, 10)],
        {1},
    ),
    (
        "hypertension_case_finding",
        "undiagnosed_raised",
        [{"id": 1, "age": 50}, {"id": 2, "age": 50}, {"id": 3, "age": 50}, {"id": 4, "age": 16}],
        [
            (1, "271649006", 30, 150.0),
            (2, "271649006", 30, 150.0),
            (2, HYP, 900, None),
            (3, "271649006", 30, 120.0),
            (4, "271649006", 30, 150.0),
        ],
        [],
        {1},
    ),
    (
        "learning_disability",
        "register",
        [{"id": 1, "age": 30}, {"id": 2, "age": 30}],
        [(1, LD, 3000, None)],
        [],
        {1},
    ),
    (
        "efi",
        "severe",
        [{"id": 1, "age": 80}, {"id": 2, "age": 80}, {"id": 3, "age": 60}],
        SEVERE + [(2, FALLS, 10, None)] + [(3, e[1], 10, None) for e in SEVERE],
        [],
        {1},
    ),
    (
        "smr",
        "ten_plus_medicines",
        [{"id": 1, "age": 80}, {"id": 2, "age": 80}],
        [],
        [(1, f"code{i}", 30) for i in range(10)]
        + [(2, f"code{i}", 30) for i in range(9)]
        + [(2, "old", 500)],
        {1},
    ),
    (
        "smr",
        "care_home",
        [{"id": 1, "age": 80, "care_home": True}, {"id": 2, "age": 80}],
        [],
        [],
        {1},
    ),
    (
        "flu_eligibility",
        "eligible",
        [{"id": 1, "age": 70}, {"id": 2, "age": 30}, {"id": 3, "age": 30}],
        [(3, c("efi/diabetes"), 900, None)],
        [],
        {1, 3},
    ),
]


@pytest.mark.parametrize("engine", ["duckdb", "reference"])
@pytest.mark.parametrize(("definition", "cohort", "patients", "events", "meds", "expected"), CASES)
def test_cohort_members(tmp_path, engine, definition, cohort, patients, events, meds, expected):
    ds = make_dataset(tmp_path / "ds", patients, events, [(i, code, d) for i, code, d in meds])
    res = run_definitions(ds, engine, names=[definition], index_date=INDEX)[definition]
    got = {r["patient_id"] for r in res.to_pylist() if r[cohort]}
    assert got == expected


def test_efi_category_boundaries(tmp_path):
    """4 deficits fit, 5 mild, 8 mild, 9 moderate, 12 moderate, 13 severe."""
    pats, events = [], []
    for pid, k in enumerate([4, 5, 8, 9, 12, 13], 1):
        pats.append({"id": pid, "age": 75})
        events += [(pid, c(ref), 100, None) for ref in EFI_LISTS[:k]]
    ds = make_dataset(tmp_path / "ds", pats, events)
    for engine in ("duckdb", "reference"):
        res = run_definitions(ds, engine, names=["efi"], index_date=INDEX)["efi"]
        assert res["category"].to_pylist() == [
            "fit",
            "mild",
            "mild",
            "moderate",
            "moderate",
            "severe",
        ]
        assert res["score"].to_pylist() == [4, 5, 8, 9, 12, 13]


def test_spec_cases_on_spark(tmp_path, spark):
    """The same spec cases on Spark local mode: all cases in one dataset (patient ids offset by
    100 per case) and one Spark run per definition, as Spark jobs cost seconds each."""
    patients, events, meds, wanted = [], [], [], []
    for k, (definition, cohort, pats, evs, mds, expected) in enumerate(CASES):
        off = 100 * (k + 1)
        patients += [{**p, "id": p["id"] + off} for p in pats]
        events += [(i + off, *rest) for i, *rest in evs]
        meds += [(i + off, code, d) for i, code, d in mds]
        ids = {p["id"] + off for p in pats}
        wanted.append((definition, cohort, ids, {i + off for i in expected}))
    ds = make_dataset(tmp_path / "ds", patients, events, meds)
    names = sorted({w[0] for w in wanted})
    res = run_definitions(ds, "spark", names=names, index_date=INDEX, spark_session=spark)
    rows = {n: res[n].to_pylist() for n in names}
    for definition, cohort, ids, expected in wanted:
        got = {r["patient_id"] for r in rows[definition] if r["patient_id"] in ids and r[cohort]}
        assert got == expected, (definition, cohort)


def test_spark_engine_matches_duckdb(tmp_path, spark):
    """Spark local mode, kept to two small definitions to stay fast."""
    _d, _c, pats, events, _m, _e = CASES[4]
    ds = make_dataset(tmp_path / "ds", pats, events)
    names = ["hypertension_case_finding", "learning_disability"]
    a = run_definitions(ds, "duckdb", names=names, index_date=INDEX)
    b = run_definitions(ds, "spark", names=names, index_date=INDEX, spark_session=spark)
    for n in names:
        assert a[n].to_pylist() == b[n].to_pylist()
