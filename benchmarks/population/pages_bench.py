"""Benchmark: what the PCN population page and the SMR worklist cost per visit.

Generates a synthetic PCN of six real practices (about 100,000 patients, seed 42; or reuses
``--keep DIR``), then times, for several visits in one process: the definitions' results, the
cohort table, the frailty pyramid and the rates by deprivation, age, sex and ethnicity (what
``/network/<code>/population/`` computes), and one page of a long worklist with its reasons.
The first visit computes; later visits read what the first kept.

    OPENPCN_DATA=../shared/data/raw .venv/bin/python benchmarks/population/pages_bench.py \\
        [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.web.site.settings")
django.setup()

import pyarrow.parquet as pq  # noqa: E402

from openpcn.data.population import cohorts  # noqa: E402
from openpcn.population import generator, sources  # noqa: E402
from openpcn.population.outputs import cohort_members, worklist  # noqa: E402

PAGE = 100


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    out = args.keep or Path(tempfile.mkdtemp()) / "ds"
    if not (out / "patients.parquet").exists():
        generator.generate_dataset(out, sources.select_practices(n=6, seed=42), seed=42, scale=1.0)
    meta = json.loads((out / "metadata.json").read_text())
    table = pq.read_table(out / "patients.parquet", columns=["practice_code"])
    practices = sorted(set(table["practice_code"].to_pylist()))
    ds = SimpleNamespace(path=str(out), index_date=date.fromisoformat(meta["index_date"]))
    visits = []
    for _ in range(args.runs):
        row = {
            "results": timed(lambda: cohorts.results(ds)),
            "cohort_table": timed(lambda: cohorts.cohort_table(ds, practices, False)),
            "pyramid": timed(lambda: cohorts.pyramid(ds, practices, False)),
            "rates": timed(
                lambda: cohorts.inequalities(ds, practices, "smr", "any_priority", False)
            ),
        }
        smr = cohorts.results(ds)["smr"]
        members = cohort_members(smr, "any_priority", practices)[:PAGE]
        first = members[0][1] if members else practices[0]
        ids = [pid for pid, p in members if p == first]
        row["worklist_page"] = timed(
            lambda smr=smr, first=first, ids=ids: worklist(
                out, smr, "smr", "any_priority", first, ds.index_date, ids=ids
            )
        )
        row["population_page"] = sum(
            row[k] for k in ("results", "cohort_table", "pyramid", "rates")
        )
        visits.append(row)
    print(
        json.dumps(
            {
                "patients": table.num_rows,
                "practices": practices,
                "visits": visits,
                "later_visits_median": {
                    k: statistics.median(v[k] for v in visits[1:]) if len(visits) > 1 else None
                    for k in visits[0]
                },
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
