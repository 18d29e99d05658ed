"""Patient-level data model: four Parquet tables per dataset directory, opened with DuckDB.

Dataset directory layout::

    DIR/patients.parquet
    DIR/clinical_events.parquet
    DIR/medication_issues.parquet
    DIR/medication_reviews.parquet
    DIR/metadata.json          {"synthetic": true|false, "seed": ..., "source": ..., ...}

Tables (all codes are strings; dates are ``date32``):

patients
    patient_id (int64, dataset-local key), nhs_number (string, 10 digits), birth_date, sex
    ("F"|"M"|"U"), ethnicity (NHS data-dictionary letter A-Z or null), practice_code (ODS),
    registered_from, registered_to (null = still registered), lsoa (nullable), imd_decile
    (1 = most deprived, nullable), care_home (bool).
clinical_events
    patient_id, code (SNOMED CT concept id), date, value (float64, observations only),
    unit (UCUM, nullable).
medication_issues
    patient_id, code (dm+d id), date, quantity (float64, nullable).
medication_reviews
    patient_id, code (SNOMED CT), date, kind ("SMR"|"other").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

SCHEMAS: dict[str, pa.Schema] = {
    "patients": pa.schema(
        [
            ("patient_id", pa.int64()),
            ("nhs_number", pa.string()),
            ("birth_date", pa.date32()),
            ("sex", pa.string()),
            ("ethnicity", pa.string()),
            ("practice_code", pa.string()),
            ("registered_from", pa.date32()),
            ("registered_to", pa.date32()),
            ("lsoa", pa.string()),
            ("imd_decile", pa.int8()),
            ("care_home", pa.bool_()),
        ]
    ),
    "clinical_events": pa.schema(
        [
            ("patient_id", pa.int64()),
            ("code", pa.string()),
            ("date", pa.date32()),
            ("value", pa.float64()),
            ("unit", pa.string()),
        ]
    ),
    "medication_issues": pa.schema(
        [
            ("patient_id", pa.int64()),
            ("code", pa.string()),
            ("date", pa.date32()),
            ("quantity", pa.float64()),
        ]
    ),
    "medication_reviews": pa.schema(
        [
            ("patient_id", pa.int64()),
            ("code", pa.string()),
            ("date", pa.date32()),
            ("kind", pa.string()),
        ]
    ),
}
TABLES = tuple(SCHEMAS)


def empty_table(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()


def write_dataset(out: Path, tables: dict[str, pa.Table], metadata: dict) -> Path:
    """Write the four tables (cast to the schema) and ``metadata.json`` into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        table = tables.get(name, empty_table(name))
        table = table.select(SCHEMAS[name].names).cast(SCHEMAS[name])
        pq.write_table(table, out / f"{name}.parquet", compression="zstd")
    (out / "metadata.json").write_text(json.dumps(metadata, indent=2, default=str))
    return out


@dataclass
class Dataset:
    """An opened dataset: directory, metadata and a DuckDB connection with one view per table."""

    path: Path
    metadata: dict
    con: duckdb.DuckDBPyConnection

    @property
    def synthetic(self) -> bool:
        return bool(self.metadata.get("synthetic"))

    def table(self, name: str) -> pa.Table:
        return self.con.sql(f"select * from {name}").to_arrow_table()  # noqa: S608

    def parquet(self, name: str) -> Path:
        return self.path / f"{name}.parquet"


def load_dataset(path: Path | str, threads: int | None = None) -> Dataset:
    """Open a dataset directory; raise ``FileNotFoundError`` naming the missing file."""
    path = Path(path)
    for name in TABLES:
        if not (path / f"{name}.parquet").exists():
            raise FileNotFoundError(f"{path / (name + '.parquet')}: dataset table missing")
    meta_file = path / "metadata.json"
    metadata = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    con = duckdb.connect()
    con.execute("set enable_progress_bar=false")
    if threads:
        con.execute(f"set threads={int(threads)}")
    for name in TABLES:
        pq_path = str(path / f"{name}.parquet").replace("'", "''")
        con.execute(f"create view {name} as select * from read_parquet('{pq_path}')")  # noqa: S608
    return Dataset(path=path, metadata=metadata, con=con)
