"""Benchmark: how long the rota engine's stops take, the figures the tests used to assert.

The tests now assert only that a search stops, says it proved nothing and keeps what it had
(tests/rota/test_mip_lns.py, tests/rota/test_curtois.py); the timings live here.

Usage: .venv/bin/python benchmarks/rota/stop_bench.py [--runs 3]
Prints one JSON line per measurement:
- ``branch_and_bound_stop``: HiGHS's branch and bound on the generated PCN rota (seed 1) with
  a 4 s limit, asked to finish after 1 s: seconds from start until ``finish()`` returns
  (its root LP does not call back, so it stops at its limit);
- ``stuck_process_kill``: a search process that ignores the stop: seconds from the hard stop
  until ``run_process`` has killed it and returned;
- ``curtois_instance2``: the default search on Curtois Instance 2 with an 8 s limit: the
  solver's own seconds and the wall time (needs the benchmark files, see curtois_bench.py).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

from openpcn.rota.highs_run import BranchAndBound
from openpcn.rota.lns import LnsResult
from openpcn.rota.mip import to_mip
from openpcn.rota.mip_lns import run_process
from openpcn.rota.mip_search import Incumbents, Job
from openpcn.rota.pcn.generate import generate
from openpcn.rota.pcn.model import ModelBuilder

CURTOIS = (
    Path(
        os.environ.get(
            "OPENPCN_BENCHMARKS", Path(__file__).resolve().parents[3] / "shared/data/benchmarks"
        )
    )
    / "curtois-nrp"
)


def stuck(conn, stop, job):
    """Sends one rota, then ignores every request to stop."""
    conn.send(("rota", job.initial.astype(np.int32)))
    time.sleep(120)


def branch_and_bound_stop() -> float:
    big = ModelBuilder(generate(seed=1), explain=False)
    big.build()
    t = time.perf_counter()
    bb = BranchAndBound(to_mip(big.m), seed=0, limit=4, start=None)
    time.sleep(1)
    bb.finish()
    return time.perf_counter() - t


def stuck_process_kill() -> float:
    b = ModelBuilder(
        generate(sites=3, staff=14, weeks=1, care_homes=2, ea_sites=1, seed=3), explain=False
    )
    b.build()
    mip = to_mip(b.m)
    s = Incumbents(mip, integral=True)
    now = time.monotonic()
    start = np.zeros(mip.num_cols)
    job = Job(mip, np.arange(3), [], start, now + 1, 0, 1.0, False, True)
    run_process(job, s, LnsResult("UNKNOWN", None, None, None), now + 10, stuck)
    return time.monotonic() - (now + 10)


def curtois_instance2() -> dict | None:
    from openpcn.rota.curtois.format import read_instance
    from openpcn.rota.curtois.model import solve_instance

    path = CURTOIS / "Instance2.txt"
    if not path.exists():
        return None
    t = time.perf_counter()
    r = solve_instance(read_instance(path), time_limit=8, workers=2)
    wall = time.perf_counter() - t
    return {"status": r.status, "solver_seconds": round(r.seconds, 2), "wall": round(wall, 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    for run in range(args.runs):
        figures = {
            "branch_and_bound_stop": round(branch_and_bound_stop(), 2),
            "stuck_process_kill": round(stuck_process_kill(), 2),
            "curtois_instance2": curtois_instance2(),
        }
        print(json.dumps({"run": run, **figures, "load_1min": os.getloadavg()[0]}))


if __name__ == "__main__":
    main()
