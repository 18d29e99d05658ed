"""Time the pure registry parsers on every registry file in the data directory.

Usage: .venv/bin/python benchmarks/registry/parse_bench.py [DATA_DIR] [--runs 3]
DATA_DIR defaults to $OPENPCN_DATA, then ../shared/data/raw. Writes PARSE_RESULTS.md beside
this script: per file the kind, rows, median and min of the runs, and the total of medians.
Target: all files well under 30 s on 2 cores (the whole import incl. database load: 60 s).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "src"))

from openpcn.registry.parsers import detect, parse  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    default = os.environ.get("OPENPCN_DATA") or str(REPO.parent / "shared" / "data" / "raw")
    ap.add_argument("data_dir", nargs="?", default=default)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    data = Path(args.data_dir)
    files = sorted(p for p in data.rglob("*") if p.is_file() and detect(p))
    rows = []
    for path in files:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            parsed = parse(path)
            times.append(time.perf_counter() - start)
        rel = path.relative_to(data)
        rows.append((rel, parsed.kind, parsed.counts.get("rows_read", 0), times))
        print(f"{statistics.median(times):6.2f}s  {rel}", file=sys.stderr)
    total = sum(statistics.median(t) for *_, t in rows)
    lines = [
        "# Registry parser benchmark",
        "",
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",  # noqa: UP017
        f"- machine: {os.cpu_count()} CPU(s), {platform.machine()}, "
        f"Python {platform.python_version()}",
        f"- data: {len(rows)} registry files in `{data.name}` (OPENPCN_DATA)",
        f"- runs per file: {args.runs} (median and fastest shown); single process",
        "- command: `.venv/bin/python benchmarks/registry/parse_bench.py`",
        "",
        "| file | kind | rows | median s | min s |",
        "|---|---|---:|---:|---:|",
    ]
    for rel, kind, n, times in rows:
        lines.append(
            f"| {rel} | {kind} | {n:,} | {statistics.median(times):.2f} | {min(times):.2f} |"
        )
    lines += [
        "",
        f"**Total (sum of medians): {total:.1f} s** (target: well under 30 s).",
        "",
    ]
    (HERE / "PARSE_RESULTS.md").write_text("\n".join(lines))
    print(f"total {total:.1f}s -> {HERE / 'PARSE_RESULTS.md'}", file=sys.stderr)


if __name__ == "__main__":
    main()
