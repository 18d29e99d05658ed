"""Fixtures for the workforce tests: the real NWRS and registered-population files.

Files are read from OPENPCN_DATA (default ../shared/data/raw from the repo root); tests that
need them skip with the reason when they are absent.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("OPENPCN_DATA") or REPO.parent / "shared" / "data" / "raw")
NWRS = DATA / "nhsd_pcn_workforce_2026-06" / "pcn-workforce-individual-level-2026-06.csv"
QUIN_AGE = DATA / "nhsd_gp_reg_2026-07" / "gp-reg-pat-prac-quin-age.csv"


def need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"data file {path} is absent (set OPENPCN_DATA)")
    return path


def tiny_population_reader(path: Path) -> dict[str, int]:
    """Obviously-correct reader: PCN rows with SEX ALL and AGE_GROUP_5 ALL."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {
            row["ORG_CODE"]: int(row["NUMBER_OF_PATIENTS"])
            for row in csv.DictReader(fh)
            if row["ORG_TYPE"] == "PCN" and row["SEX"] == "ALL" and row["AGE_GROUP_5"] == "ALL"
        }


@pytest.fixture(scope="session")
def nwrs_path() -> Path:
    return need(NWRS)


@pytest.fixture(scope="session")
def parsed(nwrs_path):
    from openpcn.workforce.nwrs import parse

    return parse(nwrs_path)


@pytest.fixture(scope="session")
def populations() -> dict[str, int]:
    return tiny_population_reader(need(QUIN_AGE))


@pytest.fixture(scope="session")
def real_benchmark(parsed, populations):
    from datetime import date

    from openpcn.workforce.benchmark import Benchmark, Source, WorkforceTable

    source = Source(str(QUIN_AGE), date(2026, 7, 1), "registered patients, PCN, all ages")
    return Benchmark(WorkforceTable.from_parsed(parsed), populations, source)


def write_csv(path: Path, text: str, bom: bool = True) -> Path:
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path
