"""Benchmark: entitlements for every PCN for every financial year (target <= 2 s).

    .venv/bin/python benchmarks/finance/bench_entitlements.py [--runs 5] [--data DIR]

Populations: NHS England's DES population file of each year where OPENPCN_DATA (or --data)
holds one (2024-25, 2025-26); every other year (2019-20 to 2023-24) uses the 2024-25 file
with ``allow_other_year=True`` (each figure then says so) so that every year's rules are
exercised at national scale. Files are parsed once, outside the timing (parse time is
reported separately); rules are loaded (cached) before timing. The timed part is
``all_entitlements`` for all 7 years, 1,273-1,284 PCNs each. Prints each run and the median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from decimal import Decimal
from pathlib import Path

from openpcn.finance.entitlements import all_entitlements
from openpcn.finance.populations import find_population_files, read_population_file
from openpcn.rules import load_all


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    default = (
        os.environ.get("OPENPCN_DATA") or Path(__file__).resolve().parents[3] / "shared/data/raw"
    )
    ap.add_argument("--data", type=Path, default=Path(default))
    args = ap.parse_args()

    t0 = time.perf_counter()
    files = find_population_files(args.data)
    pops = {year: read_population_file(path) for year, path in files.items()}
    parse_s = time.perf_counter() - t0
    rules = load_all()
    fallback = pops["2024-25"]
    plan = [(year, rs, pops.get(year, fallback)) for year, rs in rules.items()]

    times = []
    for run in range(args.runs):
        start = time.perf_counter()
        rows = 0
        totals: dict[str, Decimal] = {}
        for year, rs, p in plan:
            streams = all_entitlements(rs, p, allow_other_year=p is not pops.get(year))
            rows += len(streams)
            totals[year] = sum(
                (s.annual_amount for s in streams if s.stream == "arrs" and s.available),
                Decimal(0),
            )
        took = time.perf_counter() - start
        times.append(took)
        print(f"run {run + 1}: {took:.3f} s, {rows} stream rows")
    print(
        f"files: {', '.join(f'{y}={p.name}' for y, p in files.items())} (parsed in {parse_s:.2f} s)"
    )
    for year, total in totals.items():
        own = "own file" if year in pops else "2024-25 file"
        print(f"  {year}: England ARRS sum {total:,.2f} ({own})")
    print(f"median of {args.runs}: {statistics.median(times):.3f} s (target <= 2 s)")


if __name__ == "__main__":
    main()
