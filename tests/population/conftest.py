"""Population tests: data from $OPENPCN_DATA, tiny hand-built datasets, one SparkSession."""

from __future__ import annotations

import os
import shutil
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

REPO = Path(__file__).resolve().parents[2]
os.environ.setdefault("OPENPCN_DATA", str(REPO.parent / "shared" / "data" / "raw"))
DATA = Path(os.environ["OPENPCN_DATA"])
INDEX = date(2026, 7, 1)

if not (DATA / "gm-sde-efi").exists():
    pytest.skip(f"shared data not found at {DATA}", allow_module_level=True)


def ago(days: int) -> date:
    return INDEX - timedelta(days=days)


def make_dataset(path: Path, patients: list[dict], events=(), meds=(), reviews=()) -> Path:
    """Write a dataset from compact rows: patients need id, age; events (id, code, days_ago, value)."""  # noqa: E501
    from openpcn.population.schema import write_dataset

    prow = []
    for p in patients:
        prow.append(
            {
                "patient_id": p["id"],
                "nhs_number": f"999000{p['id']:04d}",
                "birth_date": INDEX - timedelta(days=int(p["age"] * 365.25) + 10),
                "sex": p.get("sex", "F"),
                "ethnicity": p.get("ethnicity", "A"),
                "practice_code": p.get("practice", "A00001"),
                "registered_from": None,
                "registered_to": None,
                "lsoa": None,
                "imd_decile": p.get("imd", 5),
                "care_home": p.get("care_home", False),
            }
        )
    ev = [
        {"patient_id": i, "code": c, "date": ago(d), "value": v, "unit": None}
        for i, c, d, v in events
    ]
    md = [{"patient_id": i, "code": c, "date": ago(d), "quantity": 28.0} for i, c, d in meds]
    rv = [
        {"patient_id": i, "code": "1239511000000100", "date": ago(d), "kind": "SMR"}
        for i, d in reviews
    ]
    from openpcn.population.schema import SCHEMAS

    tables = {
        "patients": pa.Table.from_pylist(prow, schema=SCHEMAS["patients"]),
        "clinical_events": pa.Table.from_pylist(ev, schema=SCHEMAS["clinical_events"]),
        "medication_issues": pa.Table.from_pylist(md, schema=SCHEMAS["medication_issues"]),
        "medication_reviews": pa.Table.from_pylist(rv, schema=SCHEMAS["medication_reviews"]),
    }
    if path.exists():
        shutil.rmtree(path)
    write_dataset(path, tables, {"synthetic": True, "index_date": INDEX.isoformat()})
    return path


@pytest.fixture(scope="session")
def spark():
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for PySpark local mode")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def new_worker(monkeypatch) -> None:
    """What a freshly forked server worker holds: nothing in memory; and it may not read the
    per-patient results (a test then shows the kept aggregates are what a page reads)."""
    from openpcn.data.population import cohorts, kept

    cohorts._RESULTS.clear()
    cohorts._AGGREGATES.clear()
    cohorts._PATIENTS.clear()
    kept.clear()

    def no_patients(ds):
        raise AssertionError("the per-patient results were read")

    monkeypatch.setattr(cohorts, "results", no_patients)


@pytest.fixture
def five_care_home_patients(users, tmp_path):
    """A registered synthetic dataset for U00001: five patients aged 81 in care homes, three
    at A00001 and two at A00002."""
    import json

    from openpcn.data.population import cohorts
    from openpcn.data.population.datasets import register

    cohorts.clear()
    path = make_dataset(
        tmp_path / "ds",
        [
            {"id": i, "age": 81, "care_home": True, "practice": "A00001" if i < 3 else "A00002"}
            for i in range(5)
        ],
    )
    meta = json.loads((path / "metadata.json").read_text())
    (path / "metadata.json").write_text(
        json.dumps({**meta, "synthetic": True, "patients": 5}, default=str)
    )
    yield register("U00001", path)
    cohorts.clear()
