"""Benchmark: CP-SAT on schedulingbenchmarks.org instances 1-8, scored by the independent scorer.

Usage: .venv/bin/python benchmarks/rota/curtois_bench.py [--time-limit 60] [--workers 2]
       [--runs 1] [--first-seed 0] [--instances 1,2,...] [--methods auto,cpsat]
Prints one JSON line per run and a median table at the end (objective from the scorer).
Each instance runs every method of ``--methods`` back to back, seed by seed: ``auto``
(default) is solve_instance's default (it chooses its search from the shape), ``cg`` column
generation, ``cpsat`` one plain CP-SAT solve (the baseline, beside the default in the table).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from pathlib import Path

from openpcn.rota_benchmark.format import format_roster, read_instance
from openpcn.rota_benchmark.model import METHODS, solve_instance
from openpcn.rota_benchmark.scorer import score

BEST_KNOWN = {1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300}
DIR = (
    Path(
        os.environ.get(
            "OPENPCN_BENCHMARKS", Path(__file__).resolve().parents[3] / "shared/data/benchmarks"
        )
    )
    / "curtois-nrp"
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--first-seed", type=int, default=0, help="seeds first-seed .. +runs-1")
    ap.add_argument("--linearization", type=int, default=2)
    ap.add_argument("--instances", default="1,2,3,4,5,6,7,8")
    ap.add_argument("--methods", default="auto,cpsat", help=f"of {', '.join(METHODS)}")
    a = ap.parse_args()
    methods = [m for m in a.methods.split(",") if m]
    rows = []
    for i in [int(s) for s in a.instances.split(",")]:
        path = DIR / f"Instance{i}.txt"
        inst = read_instance(path)
        runs: dict[str, list[dict]] = {m: [] for m in methods}
        for seed in range(a.first_seed, a.first_seed + a.runs):
            for method in methods:
                r = solve_instance(
                    inst,
                    a.time_limit,
                    a.workers,
                    seed=seed,
                    linearization_level=a.linearization,
                    method=method,
                )
                s = score(path.read_text(), format_roster(r.roster)) if r.roster else None
                row = {
                    "instance": i,
                    "seed": seed,
                    "method": method,
                    "status": r.status,
                    "objective": s.penalty if s else None,
                    "hard_violations": len(s.violations) if s else None,
                    "best_bound": r.best_bound,
                    "seconds": round(r.seconds, 1),
                    "best_known": BEST_KNOWN[i],
                }
                print(json.dumps(row), flush=True)
                runs[method].append(row)
        rows.append((i, runs))
    head = " | ".join(f"{m}: objective per run | {m}: median | {m}: gap" for m in methods)
    print(f"| instance | best known | {head} | best bound | within 2%? |")
    print("|---|---|" + "---|---|---|" * len(methods) + "---|---|")
    for i, runs in rows:
        cells, first_gap = [], None
        for m in methods:
            objs = [r["objective"] for r in runs[m] if r["objective"] is not None]
            med = statistics.median(objs) if objs else None
            gap = 100 * (med - BEST_KNOWN[i]) / BEST_KNOWN[i] if med is not None else None
            first_gap = gap if first_gap is None and m == methods[0] else first_gap
            gap_s = f"{gap:.2f}%" if gap is not None else "-"
            cells.append(f"{' / '.join(map(str, objs))} | {med} | {gap_s}")
        bound = max(r["best_bound"] or 0 for rs in runs.values() for r in rs)
        ok = "yes" if first_gap is not None and first_gap <= 2 else "no"
        print(f"| {i} | {BEST_KNOWN[i]} | {' | '.join(cells)} | {bound:.0f} | {ok} |")


if __name__ == "__main__":
    main()
