"""Cambridge Multimorbidity Score: table-shaped cases, each a tiny population with known scores.

Weights are the general-outcome weights of the 20-condition CMS (phm-reference.md 2.1).
"""

from __future__ import annotations

import pytest

from openpcn.population.codelists import read_codelist
from openpcn.population.definitions import by_name
from openpcn.population.engines import run_definitions

from .conftest import INDEX, make_dataset

GENERAL_WEIGHTS = {  # phm-reference.md 2.1, the 13 conditions scored from $OPENPCN_DATA lists
    "af": 1.34,
    "ckd": 0.53,
    "copd": 1.46,
    "chd": 0.49,
    "dementia": 2.50,
    "diabetes": 0.75,
    "hearing": 0.09,
    "hf": 1.18,
    "stroke": 0.80,
    "asthma": 0.19,
    "hypertension": 0.08,
    "connective_tissue": 0.43,
    "painful": 0.92,
    "alcohol": 0.65,
    "anxiety_depression": 0.50,
    "psychosis": 0.64,
    "cancer": 1.53,
}
LIST_OF = {
    "connective_tissue": "arthritis",
    "painful": "analgesics",
    "anxiety_depression": "depression",
}
ENGINES = ["duckdb", "reference"]


def code(component: str) -> str:
    """A code only in this component's list (so one event scores one condition)."""
    d = by_name("cms")
    mine = d.codes[LIST_OF.get(component, component)]
    others = set().union(*(v for k, v in d.codes.items() if k != LIST_OF.get(component, component)))
    return sorted(mine - others)[0]


OPIOID = sorted(read_codelist("aurum/opioids_aurum"))[0]


def run(tmp_path, engine, patients, events=(), meds=()):
    ds = make_dataset(tmp_path / "ds", patients, events, meds)
    return run_definitions(ds, engine, names=["cms"], index_date=INDEX)["cms"].to_pylist()


def test_definition_has_the_general_weights():
    d = by_name("cms")
    assert {k: w for k, (_e, w) in d.components.items()} == GENERAL_WEIGHTS


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("component", [c for c in GENERAL_WEIGHTS if c != "painful"])
def test_each_coded_condition_scores_its_weight(tmp_path, engine, component):
    rows = run(
        tmp_path,
        engine,
        [{"id": 1, "age": 60}, {"id": 2, "age": 60}],
        [(1, code(component), 1000 if component == "cancer" else 3000, None)],
    )
    assert rows[0]["score"] == pytest.approx(GENERAL_WEIGHTS[component])
    assert [k for k, v in rows[0].items() if k.startswith("c_") and v] == [f"c_{component}"]
    assert rows[1]["score"] == 0 and rows[1]["category"] == "none"


# (description, opioid issues as days before the index date, painful condition?)
PAINFUL = [
    ("four issues in 12 months", [10, 60, 120, 360], True),
    ("three issues in 12 months", [10, 60, 120], False),
    ("fourth issue 366 days ago", [10, 60, 120, 366], False),
    ("eight issues, four in the window", [10, 60, 120, 365, 400, 500, 600, 700], True),
    ("issue after the index date does not count", [-5, 10, 60, 120], False),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("label", "days", "expected"), PAINFUL, ids=[p[0] for p in PAINFUL])
def test_painful_condition_needs_four_analgesic_issues_in_a_year(
    tmp_path, engine, label, days, expected
):
    rows = run(tmp_path, engine, [{"id": 1, "age": 50}], meds=[(1, OPIOID, d) for d in days])
    assert rows[0]["c_painful"] is expected
    assert rows[0]["score"] == pytest.approx(0.92 if expected else 0)


# (patient conditions, expected score, category, multimorbid_high)
COMBINED = [
    ([], 0.0, "none", False),
    (["hypertension"], 0.08, "low", False),
    (["diabetes", "hypertension", "chd"], 1.32, "medium", False),
    (["af", "stroke", "ckd"], 2.67, "high", True),
    (["dementia", "hf", "copd", "painful"], 6.06, "very_high", True),
    (list(GENERAL_WEIGHTS), sum(GENERAL_WEIGHTS.values()), "very_high", True),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_scores_add_up_and_categorise(tmp_path, engine):
    pats, events, meds = [], [], []
    for pid, (conds, *_rest) in enumerate(COMBINED, 1):
        pats.append({"id": pid, "age": 75})
        for c in conds:
            if c == "painful":
                meds += [(pid, OPIOID, d) for d in (20, 80, 140, 200)]
            else:
                events.append((pid, code(c), 500, None))
    pats.append({"id": len(COMBINED) + 1, "age": 17})  # under 18: outside the population
    events.append((len(COMBINED) + 1, code("dementia"), 500, None))
    rows = run(tmp_path, engine, pats, events, meds)
    for row, (_conds, score, category, high) in zip(rows, COMBINED, strict=False):
        assert row["score"] == pytest.approx(score)
        assert row["category"] == category
        assert row["multimorbid_high"] is high
    child = rows[-1]
    assert child["in_population"] is False and not child["multimorbid_high"]
    assert child["score"] is None


def test_spark_engine_matches_duckdb(tmp_path, spark):
    pats = [{"id": 1, "age": 70}, {"id": 2, "age": 70}, {"id": 3, "age": 16}]
    events = [(1, code("af"), 100, None), (1, code("dementia"), 900, None)]
    events += [(3, code("af"), 100, None)]
    meds = [(2, OPIOID, d) for d in (10, 60, 120, 360)] + [(1, OPIOID, d) for d in (10, 60, 120)]
    ds = make_dataset(tmp_path / "ds", pats, events, meds)
    a = run_definitions(ds, "duckdb", names=["cms"], index_date=INDEX)["cms"].to_pylist()
    b = run_definitions(ds, "spark", names=["cms"], index_date=INDEX, spark_session=spark)
    assert [r["c_painful"] for r in a] == [False, True, False]
    for ra, rb in zip(a, b["cms"].to_pylist(), strict=True):
        assert ra.keys() == rb.keys()
        for k in ra:
            assert ra[k] == pytest.approx(rb[k]) if isinstance(ra[k], float) else ra[k] == rb[k]


@pytest.mark.parametrize("engine", ENGINES)
def test_cancer_counts_only_in_the_last_five_years(tmp_path, engine):
    pats = [{"id": 1, "age": 60}, {"id": 2, "age": 60}]
    rows = run(
        tmp_path, engine, pats, [(1, code("cancer"), 1826, None), (2, code("cancer"), 1827, None)]
    )
    assert [r["c_cancer"] for r in rows] == [True, False]
