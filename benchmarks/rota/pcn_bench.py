"""Benchmark: the generated PCN-scale rota (12 sites, 80 staff, 4 weeks, EA, 10 care homes).

Usage: .venv/bin/python benchmarks/rota/pcn_bench.py [--seeds 1,2,3] [--workers 2] [--runs 3]
       [--limits 10,60] [--no-lns]
For each seed: a 10 s solve (is a rota found?) and a 60 s solve (gap to the bound).
Objective is the independent checker's penalty; hard violations must be 0.
"""

from __future__ import annotations

import argparse
import json

from openpcn.rota.pcn.check import check_rota
from openpcn.rota.pcn.engine import solve_rota
from openpcn.rota.pcn.generate import generate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limits", default="10,60")
    ap.add_argument("--runs", type=int, default=1, help="solver seeds 0..runs-1 per instance")
    ap.add_argument("--no-lns", action="store_true", help="plain CP-SAT (the old engine)")
    a = ap.parse_args()
    for seed in [int(s) for s in a.seeds.split(",")]:
        inst = generate(seed=seed)
        for run, limit in [(r, float(x)) for r in range(a.runs) for x in a.limits.split(",")]:
            first: list[float] = []
            r = solve_rota(
                inst,
                limit,
                a.workers,
                explain=False,
                progress=lambda t, o, b, f=first: f.append(t),
                lns=not a.no_lns,
                seed=run,
            )
            c = check_rota(inst, r.assignments) if r.assignments else None
            obj = c.penalty if c else None
            gap = (obj - r.best_bound) / obj * 100 if obj else None
            print(
                json.dumps(
                    {
                        "instance": inst.name,
                        "time_limit": limit,
                        "run": run,
                        "lns": not a.no_lns,
                        "status": r.status,
                        "objective": obj,
                        "solver_objective": r.objective,
                        "best_bound": r.best_bound,
                        "gap_percent": round(gap, 2) if gap is not None else None,
                        "hard_violations": len(c.violations) if c else None,
                        "assignments": len(r.assignments),
                        "seconds": round(r.seconds, 1),
                        "first_rota_seconds": round(first[0], 1) if first else None,
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
