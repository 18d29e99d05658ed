"""Benchmark: an ICB scenario's effects on the national data (each touched PCN run by the PCN
engine, the ICB's totals over every PCN of the ICB).

    OPENPCN_DATA=../shared/data/raw .venv/bin/python benchmarks/scenarios/bench_icb.py [--runs 5]

Set-up as ``bench.py --national`` (not timed): every NHS file in OPENPCN_DATA imported into a
throw-away SQLite database, the demo PCN's register seeded. The ICB is the demo PCN's; the
scenario, as at 2024-07-01, moves the demo PCN's last member practice to another PCN of the
ICB from October. Times ``icb_store.run`` (every PCN's inputs read from the database, the
touched PCNs run twice, the untouched once, the totals laid out) and prints each run, the
median, the PCNs in the ICB and the rows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (sets up Django on a throw-away database)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    try:
        code, _first, last, posts = bench.national()
        from openpcn.data.rules.overlays import icb_of_pcn
        from openpcn.data.scenarios import icb_store

        icb = icb_of_pcn(code, bench.AS_AT)
        pcns = icb_store.pcns_of(icb.code, bench.AS_AT)
        other = next(p.code for p in pcns if p.code != code)
        move = {"kind": "practice_moves", "practice": last, "to_pcn": other,
                "start": "2024-10-01"}  # fmt: skip
        t = time.perf_counter()
        sc = icb_store.create(icb.code, "bench", bench.AS_AT, [move])
        print(f"create (checks the change: every PCN's inputs, the engines): "
              f"{time.perf_counter() - t:.3f} s")  # fmt: skip
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            result = icb_store.run(sc)
            times.append(time.perf_counter() - t)
        print("runs (s):", ", ".join(f"{x:.3f}" for x in times))
        print(f"median {statistics.median(times):.3f} s; ICB {icb.code}, {len(pcns)} PCNs;"
              f" demo PCN {code} ({posts} posts) -> {last} moves to {other};"
              f" {len(result.rows)} total rows, {len(result.changed_rows)} differing;"
              f" touched: {', '.join(result.pcns)}")  # fmt: skip
    finally:
        bench.DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
