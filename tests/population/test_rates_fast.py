"""The vectorised cohort rates equal a slow, obviously correct loop over every patient."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from openpcn.population import reference
from openpcn.population.engines import run_definitions
from openpcn.population.outputs import (
    RATE_GROUPS,
    age_band,
    imd_quintile,
    rates,
    suppress,
    wilson,
)
from openpcn.population.schema import load_dataset
from tests.population.conftest import INDEX, make_dataset


def slow_rates(result, patients, cohort, index, by, disclose):
    pats = {r["patient_id"]: r for r in patients.to_pylist()}
    num, den = defaultdict(int), defaultdict(int)
    for row in result.select(["patient_id", "in_population", cohort]).to_pylist():
        if not row["in_population"]:
            continue
        p = pats[row["patient_id"]]
        key = {
            "age_band": age_band(reference.age_on(p["birth_date"], index)),
            "sex": p["sex"] or "unknown",
            "imd_quintile": imd_quintile(p["imd_decile"]),
            "ethnicity": p["ethnicity"] or "unknown",
        }[by]
        den[key] += 1
        num[key] += bool(row[cohort])
    out = []
    for key in sorted(den):
        k, n = num[key], den[key]
        rate, lo, hi = wilson(k, n)
        if disclose:
            k, n = suppress(k), suppress(n)
            if k is None or n is None:
                rate = lo = hi = None
        out.append((key, k, n, rate, lo, hi))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_rates_equal_the_loop(tmp_path, seed):
    rng = random.Random(seed)
    patients = [
        {
            "id": i,
            "age": rng.choice([5, 30, 50, 70, 80, 90]),
            "sex": rng.choice("FM"),
            "imd": rng.choice([1, 2, 5, 9, 10, None]),
            "ethnicity": rng.choice(["A", "H", "N", "Z", None]),
            "care_home": rng.random() < 0.3,
        }
        for i in range(rng.randint(20, 80))
    ]
    path = make_dataset(tmp_path / "ds", patients)
    results = run_definitions(path, engine="duckdb", index_date=INDEX, names=["smr"])
    table = load_dataset(path).table("patients")
    for by in RATE_GROUPS:
        for disclose in (False, True):
            fast = [
                (r["group"], r["count"], r["population"], r["rate"], r["ci_low"], r["ci_high"])
                for r in rates(results["smr"], table, "care_home", INDEX, by, disclose)
            ]
            assert fast == slow_rates(results["smr"], table, "care_home", INDEX, by, disclose)
