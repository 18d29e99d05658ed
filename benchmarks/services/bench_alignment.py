"""Benchmark: care home alignment suggestions for every CQC care home in England.

Run (from the repository root):
    OPENPCN_DATA=/work/shared/data/raw .venv/bin/python benchmarks/services/bench_alignment.py

Practices and postcodes from the 1 Jul 2026 gp-reg-pat-prac-map.csv; homes from the CQC file.
Prints the time to build the index and to suggest for every home (median of RUNS), and the
share of homes whose best suggestion shares the postcode unit / sector / district / area.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from pathlib import Path

from openpcn.registry.parsers import parse
from openpcn.services.alignment import Practice, PracticeIndex, suggest
from openpcn.services.cqc import parse_care_homes

RUNS = int(os.environ.get("RUNS", "5"))


def main() -> None:
    root = Path(os.environ.get("OPENPCN_DATA", "../shared/data/raw"))
    members = parse(root / "nhsd_gp_reg_2026-07" / "gp-reg-pat-prac-map.csv").records
    practices = [Practice(r.practice_code, r.pcn_code, r.postcode) for r in members]
    t = time.perf_counter()
    homes = parse_care_homes(
        root / "cqc_care_homes_2021-03_virtuk" / "care_homes_cqc_with_beds.csv"
    )
    t_parse = time.perf_counter() - t
    times, levels = [], Counter()
    for _ in range(RUNS):
        t = time.perf_counter()
        index = PracticeIndex(practices)
        best = [suggest(h, index, limit=5) for h in homes]
        times.append(time.perf_counter() - t)
    for s in best:
        levels[s[0].level if s else "none"] += 1
    print(f"homes: {len(homes)}; practices: {len(practices)}")
    print(f"parse CQC file: {t_parse * 1000:.0f} ms")
    print(
        f"index + suggestions for every home: {statistics.median(times) * 1000:.0f} ms "
        f"(median of {RUNS})"
    )
    for level in ("unit", "sector", "district", "area", "none"):
        print(f"  best match {level}: {levels[level]} ({levels[level] / len(homes):.1%})")


if __name__ == "__main__":
    main()
