"""Hypothesis: random small populations; DuckDB and the reference engine agree per patient."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpcn.population.codelists import read_codelist
from openpcn.population.engines import run_definitions

from .conftest import INDEX, make_dataset

EVENT_CODES = [
    sorted(read_codelist(r))[0]
    for r in (
        "efi/falls",
        "efi/diabetes",
        "efi/hypertension",
        "pincer/hf",
        "pincer/ast",
        "pincer/ast_res",
        "pincer/pep",
        "pincer/renal",
        "efi/ckd",
    )
] + ["271649006", "1011481000000105"]
MED_CODES = [
    sorted(read_codelist(r))[0]
    for r in (
        "pincer/nsaid",
        "pincer/ppi",
        "pincer/anticoag",
        "pincer/aspirin",
        "pincer/acei",
        "pincer/nsbb",
    )
] + ["m1", "m2", "m3", "m4", "m5"]

patients = st.lists(
    st.builds(dict, age=st.integers(0, 100), sex=st.sampled_from("FM"), care_home=st.booleans()),
    min_size=1,
    max_size=8,
)
events = st.lists(
    st.tuples(
        st.integers(1, 8),
        st.sampled_from(EVENT_CODES),
        st.integers(-5, 800),
        st.one_of(st.none(), st.floats(1, 200)),
    ),
    max_size=25,
)
meds = st.lists(
    st.tuples(st.integers(1, 8), st.sampled_from(MED_CODES), st.integers(-5, 600)), max_size=25
)


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, abs_tol=1e-6)
    return a == b


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(patients, events, meds)
def test_duckdb_matches_reference(tmp_path, pats, evs, mds):
    pats = [dict(p, id=i) for i, p in enumerate(pats, 1)]
    n = len(pats)
    evs = [(min(i, n), c, d, v) for i, c, d, v in evs]
    mds = [(min(i, n), c, d) for i, c, d in mds]
    ds = make_dataset(tmp_path / "hyp", pats, evs, mds)
    names = ["efi", "pincer", "hypertension_case_finding"]
    a = run_definitions(ds, "duckdb", names=names, index_date=INDEX)
    b = run_definitions(ds, "reference", names=names, index_date=INDEX)
    for name in names:
        for ra, rb in zip(a[name].to_pylist(), b[name].to_pylist(), strict=True):
            bad = [k for k in ra if not same(ra[k], rb[k])]
            assert not bad, f"{name}: patient {ra['patient_id']} differs in {bad}"
