"""Benchmark: CP-SAT on schedulingbenchmarks.org instances 1-8, scored by the independent scorer.

Usage: .venv/bin/python benchmarks/rota/curtois_bench.py [--time-limit 60] [--workers 2]
       [--runs 1] [--first-seed 0] [--instances 1,2,...] [--method cg|cpsat]
Prints one JSON line per run and a median table at the end (objective from the scorer).
``--method cg`` (default) is solve_instance's default search (column generation);
``cpsat`` one plain CP-SAT solve.
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
    ap.add_argument("--method", default="cg", choices=METHODS)
    a = ap.parse_args()
    rows = []
    for i in [int(s) for s in a.instances.split(",")]:
        path = DIR / f"Instance{i}.txt"
        inst = read_instance(path)
        runs = []
        for seed in range(a.first_seed, a.first_seed + a.runs):
            r = solve_instance(
                inst,
                a.time_limit,
                a.workers,
                seed=seed,
                linearization_level=a.linearization,
                method=a.method,
            )
            s = score(path.read_text(), format_roster(r.roster)) if r.roster else None
            row = {
                "instance": i,
                "seed": seed,
                "method": a.method,
                "status": r.status,
                "objective": s.penalty if s else None,
                "hard_violations": len(s.violations) if s else None,
                "best_bound": r.best_bound,
                "seconds": round(r.seconds, 1),
                "best_known": BEST_KNOWN[i],
            }
            print(json.dumps(row), flush=True)
            runs.append(row)
        objs = [r["objective"] for r in runs if r["objective"] is not None]
        med = statistics.median(objs) if objs else None
        rows.append((i, objs, med, max(r["best_bound"] or 0 for r in runs)))
    print(
        "| instance | objective per run | median | best known | gap (median) | best bound |"
        " within 2%? |"
    )
    print("|---|---|---|---|---|---|---|")
    for i, objs, med, bound in rows:
        gap = 100 * (med - BEST_KNOWN[i]) / BEST_KNOWN[i] if med is not None else None
        ok = "yes" if gap is not None and gap <= 2 else "no"
        gap_s = f"{gap:.2f}%" if gap is not None else "-"
        print(
            f"| {i} | {' / '.join(map(str, objs))} | {med} | {BEST_KNOWN[i]} | {gap_s} |"
            f" {bound:.0f} | {ok} |"
        )


if __name__ == "__main__":
    main()
