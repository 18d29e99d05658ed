"""Outputs: disclosure control, Wilson intervals, rates, risk pyramid, worklist reasons."""

from __future__ import annotations

import math

import pytest

from openpcn.population import outputs
from openpcn.population.codelists import read_codelist
from openpcn.population.engines import run_definitions
from openpcn.population.schema import load_dataset

from .conftest import INDEX, ago, make_dataset


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, 0),
        (1, None),
        (7, None),
        (8, 10),
        (12, 10),
        (13, 15),
        (22, 20),
        (23, 25),
        (100, 100),
    ],
)
def test_suppression(count, shown):
    assert outputs.suppress(count) == shown


@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [
        (10, 100, 0.0552, 0.1744),
        (0, 20, 0.0, 0.1611),
        (20, 20, 0.8389, 1.0),
    ],
)
def test_wilson_known_values(k, n, lo, hi):
    p, a, b = outputs.wilson(k, n)
    assert math.isclose(p, k / n)
    assert math.isclose(a, lo, abs_tol=1e-4) and math.isclose(b, hi, abs_tol=1e-4)


def test_worklist_reasons_rates_and_exports(tmp_path):
    nsaid = sorted(read_codelist("pincer/nsaid"))[0]
    pats = [
        {"id": i, "age": 70 + i % 5, "sex": "FM"[i % 2], "practice": "A00001"} for i in range(1, 21)
    ]
    meds = [(i, nsaid, 10 + i) for i in range(1, 11)]
    ds = make_dataset(tmp_path / "ds", pats, [], meds)
    res = run_definitions(ds, "duckdb", names=["pincer"], index_date=INDEX)["pincer"]
    rows = outputs.worklist(ds, res, "pincer", "a", "A00001", INDEX)
    assert [r["patient_id"] for r in rows] == list(range(1, 11))
    assert rows[0]["reasons"] == [{"table": "med", "code": nsaid, "date": ago(11), "value": None}]
    assert outputs.worklist(ds, res, "pincer", "a", "B99999", INDEX) == []
    pats_t = load_dataset(ds).table("patients")
    by_sex = outputs.rates(res, pats_t, "a", INDEX, by="sex", disclose=False)
    assert [(r["group"], r["count"], r["population"]) for r in by_sex] == [
        ("F", 5, 10),
        ("M", 5, 10),
    ]
    shown = outputs.rates(res, pats_t, "a", INDEX, by="sex")
    assert all(r["count"] is None and r["rate"] is None for r in shown)
    csv_text = outputs.to_csv(rows)
    assert csv_text.splitlines()[0].startswith("patient_id,nhs_number")
    xl = outputs.to_excel(rows, tmp_path / "w.xlsx", synthetic=True)
    assert xl.stat().st_size > 0


def test_risk_pyramid_orders_severest_first(tmp_path):
    ds = make_dataset(tmp_path / "ds", [{"id": i, "age": 80} for i in range(1, 11)])
    res = run_definitions(ds, "duckdb", names=["efi"], index_date=INDEX)["efi"]
    pyr = outputs.risk_pyramid(res, disclose=False)
    assert [p["level"] for p in pyr] == ["severe", "moderate", "mild", "fit"]
    assert pyr[-1]["count"] == 10
    assert outputs.risk_pyramid(res)[-1]["count"] == 10
