"""Shared fixtures: real NHS England population files (skipped when absent) and small PCNs."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openpcn.finance.populations import Populations, from_records, read_population_file
from openpcn.registry.records import DesPopulation
from openpcn.rules import RuleValue

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("OPENPCN_DATA") or REPO.parent / "shared" / "data" / "raw")
POP_DIR = DATA / "nhse_pcn_adjusted_population_2025-26"
FILE_2425 = POP_DIR / "pcn_data_2024-25_weighted.csv"
FILE_2526 = POP_DIR / "pcn_data_2025-26.csv"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: set OPENPCN_DATA to the shared data directory")
    return path


@pytest.fixture(scope="session")
def pops_2425() -> Populations:
    return read_population_file(need(FILE_2425))


@pytest.fixture(scope="session")
def pops_2526() -> Populations:
    return read_population_file(need(FILE_2526))


def practice(code, pcn, raw, adjusted, weighted, year="2024-25", implausible=""):
    return DesPopulation(
        financial_year=year,
        practice_code=code,
        practice_name=f"Practice {code}",
        pcn_code=pcn,
        pcn_name=None if pcn is None else f"PCN {pcn}",
        icb_code="",
        icb_name="",
        region_code="",
        region_name="",
        raw_list_size=raw,
        adjusted_population=adjusted,
        weighted_population=weighted,
        latest_list_size=None,
        latest_list_size_date=None,
        pcn_member=None,
        implausible=bool(implausible),
        implausible_reason=implausible,
    )


def tiny_pops(year: str, weighted: bool = True) -> Populations:
    """PCN U00001: registered 10,000, adjusted 11,000, weighted 12,000 over two practices."""
    rows = [
        practice("A00001", "U00001", 6000, 6500, 7000 if weighted else None, year),
        practice("A00002", "U00001", 4000, 4500, 5000 if weighted else None, year),
        practice("B00001", None, 3000, 3000, 3000 if weighted else None, year),
    ]
    return from_records(rows, f"tiny_{year}.csv", date(int(year[:4]), 1, 1))


def with_rows(rules, *rows: dict):
    """A copy of a RuleSet with extra rows (for rules the real files lack)."""
    extra = tuple(
        RuleValue(
            year=str(rules.year),
            key=r["key"],
            value=Decimal(r["value"]),
            unit=r.get("unit", "GBP_per_wte_per_year"),
            basis=r.get("basis", "wte"),
            applies_from=r.get("applies_from", rules.year.start),
            applies_to=r.get("applies_to", rules.year.end),
            source="test",
            source_tags=("TEST",),
            verified=False,
        )
        for r in rows
    )
    return replace(rules, rules=rules.rules + extra)


def without_rows(rules, prefix: str):
    """A copy of a RuleSet without the rows whose key starts with ``prefix``."""
    from dataclasses import replace

    return replace(rules, rules=tuple(r for r in rules.rules if not r.key.startswith(prefix)))
