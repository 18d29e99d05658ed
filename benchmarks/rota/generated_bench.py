"""Benchmark: the default search beside plain CP-SAT on generated instances (issue 15).

Usage: .venv/bin/python benchmarks/rota/generated_bench.py [--set test|dev] [--time-limit 20]
       [--workers 2] [--seeds 2000,2001,...] [--first N] [--out results.jsonl]

For every instance of the set (openpcn.rota_benchmark.generator: ``test`` is the fixed set no
tuning looks at, ``dev`` the one to tune on) both methods run back to back with the same time
and workers: ``auto`` (solve_instance's default, which chooses its search from the shape)
and ``cpsat`` (one plain CP-SAT solve of the same model; both count the time from the call,
model building included). Objectives are the independent scorer's; ``first`` is when the
first roster was reported, ``seconds`` the whole wall time against the limit. The gap of
each is to the best bound either found; one JSON line per run, then the table: gaps, which
is better, and how many instances the default loses to the baseline.
"""

from __future__ import annotations

import argparse
import json
import statistics

from openpcn.rota_benchmark.default import choose
from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.generator import DEV_SEEDS, TEST_SEEDS, generate, shape
from openpcn.rota_benchmark.model import solve_instance
from openpcn.rota_benchmark.scorer import score

METHODS = ("auto", "cpsat")


def run(seed: int, method: str, time_limit: float, workers: int) -> dict:
    text = generate(seed)
    inst = parse_instance(text, f"gen{seed}")
    reports: list[float] = []
    r = solve_instance(
        inst, time_limit, workers, method=method, progress=lambda t, o, b: reports.append(t)
    )
    s = score(text, format_roster(r.roster)) if r.roster else None
    sh = shape(seed)
    return {
        "seed": seed,
        "days": sh.weeks * 7,
        "staff": sh.staff,
        "shifts": sh.shifts,
        "method": method,
        "status": r.status,
        "objective": s.penalty if s else None,
        "hard_violations": len(s.violations) if s else None,
        "best_bound": r.best_bound,
        "seconds": round(r.seconds, 1),
        "first": round(reports[0], 1) if reports else None,
        "chose": choose(inst, time_limit, workers).method,
    }


def gap(objective: int | None, bound: float) -> float | None:
    if objective is None:
        return None
    return 100.0 * (objective - bound) / objective if objective else 0.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=("test", "dev"), default="test")
    ap.add_argument("--seeds", default="", help="comma-separated seeds (instead of --set)")
    ap.add_argument("--first", type=int, default=0, help="only the first N seeds of the set")
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default="", help="also append the JSON lines to this file")
    a = ap.parse_args()
    seeds = [int(s) for s in a.seeds.split(",") if s] or list(
        TEST_SEEDS if a.set == "test" else DEV_SEEDS
    )
    if a.first:
        seeds = seeds[: a.first]
    table = []
    for seed in seeds:
        rows = {m: run(seed, m, a.time_limit, a.workers) for m in METHODS}
        for row in rows.values():
            line = json.dumps({**row, "time_limit": a.time_limit, "workers": a.workers})
            print(line, flush=True)
            if a.out:
                with open(a.out, "a", encoding="utf-8") as f:
                    f.write(line + "\n")
        bound = max((r["best_bound"] or 0) for r in rows.values())
        table.append((seed, rows, bound))
    print(
        "| seed | days x staff x shifts | chose | default | gap | plain CP-SAT | gap | best bound |"
        " default worse? | first roster (s) | wall (s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    worse, neither, gaps = 0, 0, []
    for seed, rows, bound in table:
        cg, cp = rows["auto"], rows["cpsat"]
        g1, g2 = gap(cg["objective"], bound), gap(cp["objective"], bound)
        lost = cp["objective"] is not None and (
            cg["objective"] is None or cg["objective"] > cp["objective"]
        )  # neither finding a roster is no loss (it is counted apart)
        neither += cg["objective"] is None and cp["objective"] is None
        worse += lost
        if g1 is not None:
            gaps.append(g1)
        size = f"{cg['days']} x {cg['staff']} x {cg['shifts']}"
        print(
            f"| {seed} | {size} | {cg['chose']} | {cg['objective']} | {_pct(g1)} |"
            f" {cp['objective']} | {_pct(g2)} | {bound:.0f} | {'yes' if lost else 'no'} |"
            f" {cg['first']} | {cg['seconds']} |"
        )
    med = statistics.median(gaps) if gaps else None
    print(f"\ninstances: {len(table)}; default worse than plain CP-SAT on {worse};")
    print(f"no roster from either in the time: {neither};")
    print(f"median gap of the default: {_pct(med)}")
    over = max(r["seconds"] - a.time_limit for _, rows, _ in table for r in rows.values())
    print(f"largest overrun of the time limit: {over:.1f} s")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}%"


if __name__ == "__main__":
    main()
