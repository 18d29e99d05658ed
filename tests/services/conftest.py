"""Fixtures for the services tests: the real data directory (skip when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("OPENPCN_DATA") or (REPO / ".." / "shared" / "data" / "raw"))


@pytest.fixture(scope="session")
def raw() -> Path:
    path = data_dir().resolve()
    if not (path / "nhsd_iif_2023-24").is_dir():
        pytest.skip(f"real NHS files not found in {path} (set OPENPCN_DATA)")
    return path


#: The issue's setting for 2023/24: ePCN January 2025 (dated relations covering 31 March 2024)
#: beside the older 1 January 2022 map and its practice totals.
REGISTRY_2024 = (
    "ods_epcn_2025-01/ePCN.xlsx",
    "nhsd_gp_reg_2022-01/gp-reg-pat-prac-map.csv",
    "nhsd_gp_reg_2022-01/gp-reg-pat-prac-all.csv",
)


@pytest.fixture(scope="module")
def registry_2024(django_db_setup, django_db_blocker, raw):
    """The real registry files above imported once for the module (removed afterwards)."""
    from tests.conftest import real_registry

    with real_registry(django_db_blocker, [raw / name for name in REGISTRY_2024]):
        yield raw
