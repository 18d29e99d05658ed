"""Time `openpcn data import-all DIR` into a fresh database, several runs, median.

Usage: .venv/bin/python benchmarks/registry/import_bench.py [DIR] [--runs 3] [--database-url URL]
Default DIR is OPENPCN_DATA (or ../shared/data/raw). Each run starts from an empty database.
Writes the figures to stdout; record them in benchmarks/registry/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(env, *args):
    subprocess.run(
        [sys.executable, "-m", "openpcn", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "directory",
        nargs="?",
        default=os.environ.get("OPENPCN_DATA", REPO.parent / "shared/data/raw"),
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--database-url", default="")
    args = ap.parse_args()
    times = []
    for i in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, OPENPCN_ENV="development", OPENPCN_DEBUG="0")
            if args.database_url:
                url = f"{args.database_url.rstrip('/')}/openpcn_bench_{os.getpid()}_{i}"
                subprocess.run(
                    [
                        "psql",
                        args.database_url.rstrip("/") + "/postgres",
                        "-c",
                        f"CREATE DATABASE {url.rsplit('/', 1)[1]}",
                    ],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            else:
                url = f"sqlite:///{tmp}/bench.sqlite3"
            env["DATABASE_URL"] = url
            run(env, "db", "migrate")
            start = time.perf_counter()
            run(env, "data", "import-all", str(args.directory))
            times.append(time.perf_counter() - start)
            print(f"run {i + 1}: {times[-1]:.1f} s", flush=True)
            if args.database_url:
                subprocess.run(
                    [
                        "psql",
                        args.database_url.rstrip("/") + "/postgres",
                        "-c",
                        f"DROP DATABASE {url.rsplit('/', 1)[1]}",
                    ],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
    print(
        f"median {statistics.median(times):.1f} s over {len(times)} runs "
        f"({platform.processor() or platform.machine()}, {os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
