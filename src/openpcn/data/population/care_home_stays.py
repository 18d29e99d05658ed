"""Care home admissions and personalised care plans, kept with the patients in the PCN's
dataset (Parquet files beside the others; decision 0006). Rows name patients by the dataset's
pseudonymous patient_id only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from openpcn.data.population.models import PopulationDataset

ADMISSIONS = pa.schema(
    [
        ("patient_id", pa.int64()),
        ("home", pa.string()),
        ("admitted", pa.date32()),
        ("readmission", pa.bool_()),
    ]
)
PLANS = pa.schema([("patient_id", pa.int64()), ("plan_date", pa.date32())])


class StayError(ValueError):
    pass


def _read(path: Path, schema: pa.Schema) -> pa.Table:
    return pq.read_table(path).cast(schema) if path.exists() else schema.empty_table()


def _append(path: Path, schema: pa.Schema, row: dict) -> None:
    table = pa.concat_tables([_read(path, schema), pa.Table.from_pylist([row], schema=schema)])
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)


def find_patient(ds: PopulationDataset, nhs_number: str) -> int:
    """The dataset's row id for an NHS number (checked, never logged)."""
    from nhs_number import is_valid

    digits = "".join(c for c in nhs_number if c.isdigit())
    if len(digits) != 10 or not is_valid(digits):
        raise StayError("That is not a valid NHS number: check the 10 digits.")
    table = pq.read_table(Path(ds.path) / "patients.parquet", columns=["patient_id", "nhs_number"])
    hits = table.filter(pa.compute.equal(table["nhs_number"], digits))
    if hits.num_rows == 0:
        raise StayError("No patient with that NHS number is registered with the PCN.")
    return int(hits["patient_id"][0].as_py())


def nhs_numbers(ds: PopulationDataset, patient_ids: set[int]) -> dict[int, str]:
    """The NHS number of each of these dataset rows (for patient-level pages, audited there)."""
    if not patient_ids:
        return {}
    table = pq.read_table(Path(ds.path) / "patients.parquet", columns=["patient_id", "nhs_number"])
    wanted = table.filter(pa.compute.is_in(table["patient_id"], pa.array(sorted(patient_ids))))
    return {int(r["patient_id"]): str(r["nhs_number"]) for r in wanted.to_pylist()}


def record_admission(
    ds: PopulationDataset, patient_id: int, home: str, admitted: date, today: date
) -> bool:
    """Append an admission; returns True when it is a readmission (an earlier stay exists)."""
    if admitted > today:
        raise StayError(f"An admission cannot be dated in the future ({admitted}).")
    path = Path(ds.path) / "care_home_admissions.parquet"
    earlier = (
        _read(path, ADMISSIONS)
        .filter(pa.compute.equal(_read(path, ADMISSIONS)["patient_id"], patient_id))
        .num_rows
        > 0
    )
    _append(
        path,
        ADMISSIONS,
        {"patient_id": patient_id, "home": home, "admitted": admitted, "readmission": earlier},
    )
    return earlier


def record_plan(ds: PopulationDataset, patient_id: int, plan_date: date, today: date) -> None:
    if plan_date > today:
        raise StayError(f"A care plan cannot be dated in the future ({plan_date}).")
    adm = _read(Path(ds.path) / "care_home_admissions.parquet", ADMISSIONS)
    if adm.filter(pa.compute.equal(adm["patient_id"], patient_id)).num_rows == 0:
        raise StayError("Record the admission before the care plan.")
    _append(
        Path(ds.path) / "care_home_plans.parquet",
        PLANS,
        {"patient_id": patient_id, "plan_date": plan_date},
    )


def checks(ds: PopulationDataset, homes: set[str], today: date):
    """Care plan checks (7 working days, English bank holidays) for admissions to ``homes``."""
    from openpcn.services.workingdays import Admission, care_plan_checks

    adm = _read(Path(ds.path) / "care_home_admissions.parquet", ADMISSIONS).to_pylist()
    plans = _read(Path(ds.path) / "care_home_plans.parquet", PLANS).to_pylist()
    admissions = [
        Admission(str(a["patient_id"]), a["home"], a["admitted"], a["readmission"])
        for a in adm
        if a["home"] in homes
    ]
    return care_plan_checks(
        admissions, [(str(p["patient_id"]), p["plan_date"]) for p in plans], today
    )
