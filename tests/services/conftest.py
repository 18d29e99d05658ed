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
