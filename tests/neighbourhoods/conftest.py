"""Fixtures for the neighbourhood tests: the real IoD 2025 File 1, IMD 2019 lookup and ODS
trusts file imported through the registry's pipeline, and LSOA lists read from the IoD file
independently of OpenPCN (openpyxl straight off the workbook)."""

from __future__ import annotations

import os
from collections import Counter
from functools import cache
from pathlib import Path

import openpyxl
import pytest

REPO = Path(__file__).resolve().parents[2]
IOD = "mhclg_iod2025_file1_2025-10/File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx"
LOOKUP = "ons_imd2019_lsoa11_lookup_2019-12/IMD_2019_Lookup_in_England.csv"
ETR = "ods_etr_2026-07/etr.csv"


def data_dir() -> Path:
    return Path(os.environ.get("OPENPCN_DATA") or (REPO / ".." / "shared" / "data" / "raw"))


@pytest.fixture(scope="session")
def raw() -> Path:
    path = data_dir().resolve()
    if not (path / IOD).is_file():
        pytest.skip(f"the IoD 2025 File 1 is not in {path} (set OPENPCN_DATA)")
    return path


@cache
def iod_rows(path: str) -> tuple[tuple, ...]:
    """The IMD25 sheet's data rows as the workbook holds them (no OpenPCN code involved)."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return tuple(tuple(r) for r in list(wb["IMD25"].iter_rows(values_only=True))[1:])
    finally:
        wb.close()


def lad_lsoas(raw: Path, lad: str) -> list[str]:
    return [r[0] for r in iod_rows(str(raw / IOD)) if r[2] == lad]


def deciles_of(raw: Path, codes) -> dict[str, int]:
    wanted = set(codes)
    counted = Counter(r[5] for r in iod_rows(str(raw / IOD)) if r[0] in wanted)
    return {str(d): counted.get(d, 0) for d in range(1, 11)}


@pytest.fixture(scope="module")
def deprivation(django_db_setup, django_db_blocker, raw):
    """IoD 2025 File 1, the IMD 2019 lookup and etr imported for a module's tests."""
    from tests.conftest import real_registry

    with real_registry(django_db_blocker, [raw / IOD, raw / LOOKUP, raw / ETR]):
        yield raw
