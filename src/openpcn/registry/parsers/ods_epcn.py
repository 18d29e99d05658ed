"""ODS ``ePCN.xlsx``: PCNs (sheet ``PCNDetails``) and dated practice membership (sheet
``PCN Core Partner Details``).

Sheets and columns are found by normalised name (the alias tables in
:mod:`openpcn.registry.parsers.columns`), so headers with embedded newlines
("Partner\\nOrganisation\\nCode"), the first vintage's "PCN Details" sheet and
OPEN_DATE_YYYYMMDD column (Dec 2019), CCG-era and Sub-ICB-era parent columns and re-ordered
or extra columns are all read. The header row is the first of the first 10 rows holding a
"PCN Code" cell. Dates may be yyyymmdd text or numbers, Excel dates or serial numbers.

Records: :class:`EpcnPcn` (one per PCN) then :class:`EpcnMembership` (one per relationship,
ended and future-dated ones included; exact repeats are dropped with a warning).

as_of rule: the workbook's "modified" document property (the date ODS produced the file);
if the workbook has none, the latest date found in any start/end/open/close column.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import columns
from openpcn.registry.parsers._common import Col, ParsedFile, find_columns, norm
from openpcn.registry.parsers._epcn_rows import counts, parent_kind, read_members, read_pcns

KIND = "ods_epcn"
PCN_SHEET = "PCNDetails"
PARTNER_SHEET = "PCN Core Partner Details"
PCN_COLUMNS = columns.EPCN_PCN
PARTNER_COLUMNS = columns.EPCN_PARTNER
_CODE = PCN_COLUMNS[0]


def sheet_kinds(sheetnames: list[str]) -> tuple[str | None, str | None]:
    """(PCN sheet name, partner sheet name) found among a workbook's sheet names."""
    pcn = next((s for s in sheetnames if norm(s) in columns.EPCN_PCN_SHEETS), None)
    partner = next((s for s in sheetnames if norm(s) in columns.EPCN_PARTNER_SHEETS), None)
    return pcn, partner


def open_workbook(path: Path):
    """The workbook, whatever the file is named: read from its bytes, so a workbook saved
    under another extension (a download named .csv) opens too."""
    if not path.stat().st_size:
        raise RegistryFileError(path, None, None, "file is empty")
    try:
        data = io.BytesIO(path.read_bytes())
        return openpyxl.load_workbook(data, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RegistryFileError(
            path, None, None, f"not a readable .xlsx workbook ({type(exc).__name__})"
        ) from None


def _rows(path: Path, ws, sheet: str, wanted: list[Col]):
    """Yield (row number, cells, columns) for the data rows below the header row."""
    rows = ws.iter_rows(values_only=True)
    for number, row in enumerate(rows, 1):
        if any(_CODE.matches(norm(v)) for v in row if v is not None):
            cols = find_columns(path, list(row), wanted, sheet)
            break
        if number >= 10:
            raise RegistryFileError(path, None, "PCN_CODE", "no header row found", sheet)
    else:
        raise RegistryFileError(path, None, None, "sheet is empty", sheet)
    for offset, row in enumerate(rows, number + 1):
        if row and any(v not in (None, "") for v in row):
            yield offset, row, cols


def parse(path: str | Path) -> ParsedFile:
    path = Path(path)
    wb = open_workbook(path)
    try:
        pcn_sheet, partner_sheet = sheet_kinds(wb.sheetnames)
        for found, expected in ((pcn_sheet, PCN_SHEET), (partner_sheet, PARTNER_SHEET)):
            if found is None:
                raise RegistryFileError(
                    path,
                    None,
                    None,
                    f"sheet not found (workbook has sheets: {', '.join(wb.sheetnames)})",
                    expected,
                )
        modified = wb.properties.modified
        pcn_rows = _rows(path, wb[pcn_sheet], pcn_sheet, PCN_COLUMNS)
        pcns, seen_pcn, latest_pcn, n_pcn_rows = read_pcns(path, pcn_rows, pcn_sheet, "")
        variant = parent_kind(next(wb[pcn_sheet].iter_rows(values_only=True)))
        pcns = [replace(p, parent_kind=variant) for p in pcns]
        partner_rows = _rows(path, wb[partner_sheet], partner_sheet, PARTNER_COLUMNS)
        members, warnings, latest, n_rows = read_members(path, partner_rows, partner_sheet)
    finally:
        wb.close()
    if not members:
        raise RegistryFileError(path, None, None, "no relationship rows", partner_sheet)
    latest = max(d for d in (latest, latest_pcn, date.min) if d is not None)
    as_of = modified.date() if modified is not None else latest
    unknown_pcns = sorted({m.pcn_code for m in members} - set(seen_pcn))
    if unknown_pcns:
        warnings.append(
            f"{len(unknown_pcns)} PCN code(s) in {partner_sheet} are not in {pcn_sheet}: "
            + ", ".join(unknown_pcns[:10])
        )
    summary = counts(pcns, members, as_of, n_pcn_rows + n_rows)
    return ParsedFile(KIND, path, as_of, [*pcns, *members], warnings, summary, variant)
