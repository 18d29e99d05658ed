"""Run definitions on a dataset with one of three engines: duckdb (default), spark, reference."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pyarrow as pa

from . import ibis_engine, reference
from .definitions import Definition, load_all
from .schema import TABLES, load_dataset

ENGINES = ("duckdb", "spark", "reference")


def dataset_index_date(path: Path) -> date:
    meta = load_dataset(path).metadata
    return date.fromisoformat(meta["index_date"]) if meta.get("index_date") else date.today()


def run_definitions(
    dataset: Path | str,
    engine: str = "duckdb",
    names: list[str] | None = None,
    index_date: date | None = None,
    spark_session=None,
    threads: int | None = None,
) -> dict[str, pa.Table]:
    """Definition name -> table of patient_id, practice_code and every definition column."""
    path = Path(dataset)
    index = index_date or dataset_index_date(path)
    defs: list[Definition] = load_all(names)
    results: dict[str, pa.Table] = {}
    if engine == "reference":
        ds = load_dataset(path)
        records = reference.records_from_tables({t: ds.table(t) for t in TABLES})
        for d in defs:
            results[d.name] = pa.Table.from_pylist(reference.run_definition(d, records, index))
        return results
    if engine == "duckdb":
        tabs = ibis_engine.duckdb_tables(path, index, threads)
    elif engine == "spark":
        if spark_session is None:
            from pyspark.sql import SparkSession

            spark_session = SparkSession.builder.master("local[2]").getOrCreate()
        tabs = ibis_engine.spark_tables(path, index, spark_session)
    else:
        raise ValueError(f"engine must be one of {ENGINES}")
    for d in defs:
        results[d.name] = ibis_engine.run_definition(d, tabs)
    return results


def summarise(results: dict[str, pa.Table], seconds: float | None = None) -> dict:
    """Counts per cohort (true values) and per category, per definition."""
    out: dict = {"definitions": {}}
    for name, table in results.items():
        entry: dict = {"population": 0, "cohorts": {}, "categories": {}}
        for col in table.column_names:
            if col in ("patient_id", "practice_code", "score") or col.startswith("c_"):
                continue
            values = table[col].to_pylist()
            if col == "category":
                for v in values:
                    if v is not None:
                        entry["categories"][v] = entry["categories"].get(v, 0) + 1
            elif col == "in_population":
                entry["population"] = sum(1 for v in values if v)
            else:
                entry["cohorts"][col] = sum(1 for v in values if v)
        out["definitions"][name] = entry
    if seconds is not None:
        out["seconds"] = round(seconds, 3)
    return out


def timed_run(dataset, engine: str = "duckdb", **kw) -> tuple[dict[str, pa.Table], float]:
    t0 = time.perf_counter()
    res = run_definitions(dataset, engine, **kw)
    return res, time.perf_counter() - t0
