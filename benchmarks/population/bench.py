"""Benchmark: generate N synthetic patients, run every definition on DuckDB, and time a
straightforward pandas implementation of eFI and PINCER side by side (all their columns,
checked equal patient by patient); optionally Spark local mode on the same dataset.

Usage (from the repository root):

    OPENPCN_DATA=../shared/data/raw .venv/bin/python benchmarks/population/bench.py 1000000 \\
        [--runs 3] [--spark] [--keep DIR]

Prints one JSON object: patients, practices, generate seconds, and for each engine the wall
and CPU seconds of every run and their medians. Wall time is what a user waits; CPU time is
less disturbed by other load on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).parent))

import pandas_engine  # noqa: E402

from openpcn.population import engines, generator, sources  # noqa: E402

PANDAS_DEFS = ["efi", "pincer"]


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def _frame(result) -> pd.DataFrame:
    """A result (Arrow table from an engine, DataFrame from pandas) indexed by patient."""
    df = result.to_pandas() if isinstance(result, pa.Table) else result.reset_index(drop=True)
    return df.set_index("patient_id").sort_index()


def same(a, b, name: str) -> None:
    """Every column of two results equal, patient by patient."""
    x, y = _frame(a), _frame(b)
    assert list(x.index) == list(y.index), f"{name}: different patients"
    for col in x.columns:
        if col == "score":
            bad = int(((x[col].fillna(-1) - y[col].astype(float).fillna(-1)).abs() > 1e-9).sum())
        else:
            xs = x[col].astype(object).where(x[col].notna(), None)
            ys = y[col].astype(object).where(y[col].notna(), None)
            bad = int((xs.values != ys.values).sum())
        assert bad == 0, f"{name}.{col}: {bad} patients differ"


def summary(runs: list[tuple[float, float]]) -> dict:
    return {
        "wall_s": [round(w, 2) for w, _c in runs],
        "cpu_s": [round(c, 2) for _w, c in runs],
        "wall_median_s": round(statistics.median(w for w, _c in runs), 2),
        "cpu_median_s": round(statistics.median(c for _w, c in runs), 2),
    }


def make_dataset(n: int, out: Path) -> tuple[dict, float, int]:
    k = max(1, round(n / 9000))
    practices = sources.select_practices(n=k, seed=42)
    total = sum(sum(sources.practice_age_sex()[p].values()) for p in practices)
    meta, wall, _cpu = timed(
        lambda: generator.generate_dataset(out, practices, seed=42, scale=n / total)
    )
    return meta, wall, len(practices)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("patients", type=int)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--spark", action="store_true", help="also time Spark local[2]")
    ap.add_argument("--keep", type=Path, help="generate into (or reuse) this directory")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ds = args.keep or Path(tmp) / "ds"
        if args.keep and (ds / "metadata.json").exists():
            meta, gen_s, k = json.loads((ds / "metadata.json").read_text()), None, None
        else:
            meta, gen_s, k = make_dataset(args.patients, ds)
        index = engines.dataset_index_date(ds)
        duck_all, duck_ep, pand = [], [], []
        for _ in range(args.runs):
            res, w, c = timed(lambda: engines.run_definitions(ds, "duckdb", threads=2))
            duck_all.append((w, c))
            _r, w, c = timed(lambda: engines.run_definitions(ds, "duckdb", names=PANDAS_DEFS,
                                                              threads=2))  # fmt: skip
            duck_ep.append((w, c))
            pres, w, c = timed(lambda: pandas_engine.run(ds, index, PANDAS_DEFS))
            pand.append((w, c))
        for name in PANDAS_DEFS:
            same(res[name], pres[name], f"pandas vs duckdb {name}")
        out = {
            "patients": meta["patients"],
            "practices": k,
            "generate_s": round(gen_s, 1) if gen_s else None,
            "duckdb_all_definitions": summary(duck_all),
            "duckdb_efi_pincer": summary(duck_ep),
            "pandas_efi_pincer": summary(pand),
            "speedup_wall": round(
                statistics.median(w for w, _ in pand) / statistics.median(w for w, _ in duck_ep), 1
            ),
            "speedup_cpu": round(
                statistics.median(c for _, c in pand) / statistics.median(c for _, c in duck_ep), 1
            ),
            "efi_categories": engines.summarise({"efi": res["efi"]})["definitions"]["efi"][
                "categories"
            ],
            "load_average": os.getloadavg()[0],
        }
        if args.spark:
            from pyspark.sql import SparkSession

            spark = (
                SparkSession.builder.master("local[2]")
                .config("spark.driver.memory", "8g")
                .config("spark.sql.shuffle.partitions", "8")
                .getOrCreate()
            )
            sres, w, c = timed(lambda: engines.run_definitions(ds, "spark", spark_session=spark))
            for name, table in res.items():
                same(table, sres[name], f"spark vs duckdb {name}")
            out["spark_all_definitions"] = {"wall_s": round(w, 1), "identical_to_duckdb": True}
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
