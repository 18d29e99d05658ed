"""Time the workforce benchmark: parse the NWRS file, ask the registry for PCN populations
(members and practice counts as at the extract nearest the census, its cache cleared each run),
build the benchmark and compute it (every role, explained figures) for every PCN in England.

Usage: DATABASE_URL=... .venv/bin/python benchmarks/workforce/bench_benchmark.py [DATA_DIR]
[--runs 5], against a database the registry was imported into (`openpcn data import-all`).
DATA_DIR defaults to $OPENPCN_DATA, then ../shared/data/raw. Writes RESULTS.md beside this
script: per stage the median and min of the runs, plus a few national figures as a check.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "src"))

from openpcn.cli.tools import django_setup  # noqa: E402
from openpcn.cli.workforce import find_workforce_file  # noqa: E402
from openpcn.workforce import nwrs  # noqa: E402
from openpcn.workforce.benchmark import (  # noqa: E402
    ALL_ARRS,
    Benchmark,
    WorkforceTable,
    registered_population,
)
from openpcn.workforce.stats import quantile  # noqa: E402

STAGES = ("parse NWRS file", "read PCN populations", "build benchmark", "every PCN x role")


def one_run(workforce: Path) -> tuple[dict[str, float], Benchmark, int]:
    from openpcn.data.registry.national import clear_views, national_view, nearest_extract

    t = {}
    start = time.perf_counter()
    parsed = nwrs.parse(workforce)
    t[STAGES[0]] = time.perf_counter() - start
    start = time.perf_counter()
    clear_views()
    view = national_view(nearest_extract(parsed.as_of))
    pops, source = registered_population(view, parsed.as_of)
    t[STAGES[1]] = time.perf_counter() - start
    start = time.perf_counter()
    bench = Benchmark(WorkforceTable.from_parsed(parsed), pops, source)
    t[STAGES[2]] = time.perf_counter() - start
    start = time.perf_counter()
    figures = 0
    for code in bench.population:
        result = bench.for_pcn(code)
        figures += sum(len(r.figures) for r in result.roles.values())
    t[STAGES[3]] = time.perf_counter() - start
    return t, bench, figures


def main() -> None:
    ap = argparse.ArgumentParser()
    default = os.environ.get("OPENPCN_DATA") or str(REPO.parent / "shared" / "data" / "raw")
    ap.add_argument("data_dir", nargs="?", default=default)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    data = Path(args.data_dir)
    workforce = find_workforce_file(data)
    if workforce is None:
        sys.exit(f"NWRS file not found under {data}")
    django_setup()
    runs = []
    for _ in range(args.runs):
        times, bench, figures = one_run(workforce)
        runs.append(times)
        print({k: round(v, 3) for k, v in times.items()}, file=sys.stderr)
    totals = [sum(r.values()) for r in runs]
    lines = [
        "# Workforce benchmark timing",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {os.cpu_count()} CPU(s), {platform.machine()}, "
        f"Python {platform.python_version()}",
        f"- data: `{workforce.relative_to(data)}` ({len(bench.table.pcns):,} PCNs) and "
        f"the registry: {bench.population_source.path}, {bench.population_source.description}",
        f"- work: parse, then the full benchmark ({len(bench.role_ids)} roles incl. totals, ICB "
        f"and England) for every one of {len(bench.population):,} PCNs: {figures:,} explained "
        "figures",
        f"- runs: {args.runs} (median and fastest shown); single process",
        "- command: `.venv/bin/python benchmarks/workforce/bench_benchmark.py`",
        "",
        "| stage | median s | min s |",
        "|---|---:|---:|",
    ]
    for stage in STAGES:
        values = [r[stage] for r in runs]
        lines.append(f"| {stage} | {statistics.median(values):.2f} | {min(values):.2f} |")
    lines.append(f"| **total** | **{statistics.median(totals):.2f}** | {min(totals):.2f} |")
    lines += [
        "",
        "National figures from the same run (FTE per 10,000 registered patients, England, "
        "p25 / median / p75 over PCNs):",
        "",
        "| role | p25 | median | p75 |",
        "|---|---:|---:|---:|",
    ]
    for role in (
        "clinical_pharmacist",
        "care_coordinator",
        "social_prescribing_link_worker",
        "first_contact_physiotherapist",
        "pharmacy_technician",
        "paramedic",
        "gp",
        ALL_ARRS,
    ):
        v = bench.values(role)
        lines.append(
            f"| {bench.table.role_name(role)} | {quantile(v, 0.25):.2f} | "
            f"{quantile(v, 0.5):.2f} | {quantile(v, 0.75):.2f} |"
        )
    lines += [
        "",
        "Notes: timings taken in the shared checkout while other engineers' jobs may run on the "
        "same 2 cores. The per-PCN stage is dominated by building the explained figures (the "
        "ICB and England quartile figures are built once per scope and role and shared). PCN "
        "populations are asked of the registry (SQLite here), its per-date cache cleared "
        "before each run, so the stage is a cold national view.",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
