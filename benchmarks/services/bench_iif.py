"""Benchmark: IIF 2023/24 for every PCN from the real files.

Run (from the repository root), against a database the registry was imported into
(``openpcn data import-all``):
    OPENPCN_DATA=/work/shared/data/raw DATABASE_URL=... .venv/bin/python \
        benchmarks/services/bench_iif.py

Times, median of N runs each: parsing the achievement file; grouping + roll-up + payments
(the engine proper); the whole CLI path (membership and list sizes asked of the registry as
at the achievement date; the registry's per-date cache is cleared before each run).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from openpcn.cli.services import iif_results
from openpcn.cli.tools import django_setup
from openpcn.services.iif import iif_definitions
from openpcn.services.iif.achievement_file import indicator_measures, parse_achievement_file
from openpcn.services.iif.payments import compute_payments, roll_up

RUNS = int(os.environ.get("RUNS", "5"))


def timed(fn, runs=RUNS):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    root = Path(os.environ.get("OPENPCN_DATA", "../shared/data/raw"))
    path = root / "nhsd_iif_2023-24" / "IIF_indicators_annual_pub_2023_24.csv"
    defs = iif_definitions("2023-24")
    t_parse, file = timed(lambda: parse_achievement_file(path))
    django_setup()
    from openpcn.data.registry.national import clear_views

    done = iif_results("2023-24", root)
    print(f"membership {done.membership.describe()}; list sizes {done.list_sizes.source}")

    def engine():
        rolled = roll_up(indicator_measures(file, defs), done.membership)
        return compute_payments(defs, rolled.measures, done.list_sizes.sizes)

    def cold():
        clear_views()
        return iif_results("2023-24", root)

    t_engine, results = timed(engine)
    t_all, _ = timed(cold, runs=max(3, RUNS // 2))
    pcns = len({r.pcn_code for r in results})
    total = sum(r.amount for r in results if r.amount is not None)
    print(f"rows in file: {len(file.rows)}; PCNs: {pcns}; result rows: {len(results)}")
    print(f"parse achievement file: {t_parse * 1000:.0f} ms (median of {RUNS})")
    print(f"group + roll-up + payments, every PCN: {t_engine * 1000:.0f} ms (median of {RUNS})")
    print(f"whole CLI path incl. registry membership and list sizes: {t_all * 1000:.0f} ms")
    print(f"national ACC-08 total at £198/point: £{total:,}")


if __name__ == "__main__":
    sys.exit(main())
