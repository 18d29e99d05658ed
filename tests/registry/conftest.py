"""Fixtures for the registry tests: the real data directory and the broken-file corpus."""

from __future__ import annotations

import os
import re
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
import pytest

from openpcn.registry.parsers import parse

REPO = Path(__file__).resolve().parents[2]
BROKEN = Path(__file__).parent / "broken"


def data_dir() -> Path:
    return Path(os.environ.get("OPENPCN_DATA") or (REPO / ".." / "shared" / "data" / "raw"))


@pytest.fixture(scope="session")
def raw() -> Path:
    path = data_dir().resolve()
    if not (path / "nhsd_gp_reg_2022-01").is_dir():
        pytest.skip(f"real NHS files not found in {path} (set OPENPCN_DATA)")
    return path


@pytest.fixture(scope="session")
def parsed(raw):
    """parsed("folder/file") -> ParsedFile of a real file, parsed once per test session."""
    return cache(lambda name: parse(raw / name))


@pytest.fixture
def broken() -> Path:
    return BROKEN


def write_xlsx(path: Path, sheets: dict[str, list[list]], modified=None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    if modified is not None:  # openpyxl stamps "now" on save: set the property afterwards
        _set_modified(path, f"{modified.isoformat()}T12:00:00Z")
    return path


def _set_modified(path: Path, stamp: str) -> None:
    with zipfile.ZipFile(path) as zf:
        items = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in items:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            zf.writestr(info, data)


@pytest.fixture
def make_xlsx():
    return write_xlsx


@pytest.fixture
def xlsx_without_sheet(tmp_path: Path) -> Path:
    """An ePCN-like workbook whose partner sheet is missing."""
    return write_xlsx(
        tmp_path / "ePCN.xlsx",
        {"PCNDetails": [["PCN Code", "PCN Name", "Open Date"], ["U00001", "A PCN", "20191001"]]},
    )
