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

import zipfile
from datetime import date
from pathlib import Path

import openpyxl

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import columns
from openpcn.registry.parsers._common import Col, ParsedFile, date_cell, find_columns, norm
from openpcn.registry.records import EpcnMembership, EpcnPcn

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
    if not path.stat().st_size:
        raise RegistryFileError(path, None, None, "file is empty")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
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


def _text(row: tuple, index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    return str(row[index]).strip()


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
        warnings: list[str] = []
        latest: date | None = None
        pcns: list[EpcnPcn] = []
        seen_pcn: dict[str, int] = {}
        variant = "sub_icb"
        n_pcn_rows = 0
        for line, row, c in _rows(path, wb[pcn_sheet], pcn_sheet, PCN_COLUMNS):
            n_pcn_rows += 1
            code = _text(row, c["PCN_CODE"]).upper()
            if not code:
                raise RegistryFileError(path, line, "PCN_CODE", "PCN code is blank", pcn_sheet)
            if code in seen_pcn:
                raise RegistryFileError(
                    path,
                    line,
                    "PCN_CODE",
                    f"duplicate PCN {code} (first at row {seen_pcn[code]})",
                    pcn_sheet,
                )
            seen_pcn[code] = line
            opened = date_cell(path, line, "OPEN_DATE", _cell(row, c["OPEN_DATE"]), pcn_sheet)
            closed = date_cell(path, line, "CLOSE_DATE", _cell(row, c["CLOSE_DATE"]), pcn_sheet)
            latest = max(d for d in (latest, opened, closed, date.min) if d is not None)
            pcns.append(
                EpcnPcn(
                    pcn_code=code,
                    pcn_name=_text(row, c["PCN_NAME"]),
                    parent_code=_text(row, c["PARENT_CODE"]),
                    parent_name=_text(row, c["PARENT_NAME"]),
                    parent_kind="",
                    open_date=opened,
                    close_date=closed,
                    postcode=_text(row, c["POSTCODE"]),
                )
            )
        header_text = " ".join(str(v) for v in next(wb[pcn_sheet].iter_rows(values_only=True)))
        if "CLINICAL" in header_text.upper() or "CCG" in header_text.upper():
            variant = "ccg"
        pcns = [_with_kind(p, variant) for p in pcns]

        members: list[EpcnMembership] = []
        seen: dict[tuple, int] = {}
        n_rows = 0
        for line, row, c in _rows(path, wb[partner_sheet], partner_sheet, PARTNER_COLUMNS):
            n_rows += 1
            code = _text(row, c["PARTNER_ORGANISATION_CODE"]).upper()
            pcn = _text(row, c["PCN_CODE"]).upper()
            if not code:
                raise RegistryFileError(
                    path, line, "PARTNER_ORGANISATION_CODE", "practice code is blank", partner_sheet
                )
            if not pcn:
                raise RegistryFileError(path, line, "PCN_CODE", "PCN code is blank", partner_sheet)
            start = date_cell(path, line, "START_DATE", _cell(row, c["START_DATE"]), partner_sheet)
            end = date_cell(path, line, "END_DATE", _cell(row, c["END_DATE"]), partner_sheet)
            if start and end and end < start:
                raise RegistryFileError(
                    path, line, "END_DATE", f"end {end} is before start {start}", partner_sheet
                )
            latest = max(d for d in (latest, start, end, date.min) if d is not None)
            key = (code, pcn, start, end)
            if key in seen:
                warnings.append(
                    f"{partner_sheet} row {line}: repeat of row {seen[key]} "
                    f"({code} in {pcn} from {start}) dropped"
                )
                continue
            seen[key] = line
            members.append(
                EpcnMembership(
                    practice_code=code,
                    practice_name=_text(row, c["PARTNER_NAME"]),
                    practice_parent_code=_text(row, c["PRACTICE_PARENT_CODE"]),
                    pcn_code=pcn,
                    pcn_name=_text(row, c["PCN_NAME"]),
                    pcn_parent_code=_text(row, c["PCN_PARENT_CODE"]),
                    start_date=start,
                    end_date=end,
                )
            )
    finally:
        wb.close()
    if not members:
        raise RegistryFileError(path, None, None, "no relationship rows", partner_sheet)
    as_of = modified.date() if modified is not None else latest
    unknown_pcns = sorted({m.pcn_code for m in members} - set(seen_pcn))
    if unknown_pcns:
        warnings.append(
            f"{len(unknown_pcns)} PCN code(s) in {partner_sheet} are not in {pcn_sheet}: "
            + ", ".join(unknown_pcns[:10])
        )
    counts = {
        "rows_read": n_pcn_rows + n_rows,
        "records": len(pcns) + len(members),
        "pcns": len(pcns),
        "relationships": len(members),
        "relationships_ended": sum(1 for m in members if m.end_date is not None),
        "relationships_open": sum(1 for m in members if m.end_date is None),
        "relationships_future": sum(1 for m in members if m.start_date and m.start_date > as_of),
        "practices_as_of": len({m.practice_code for m in members if m.active_on(as_of)}),
    }
    return ParsedFile(KIND, path, as_of, [*pcns, *members], warnings, counts, variant)


def _cell(row: tuple, index: int | None):
    return None if index is None or index >= len(row) else row[index]


def _with_kind(p: EpcnPcn, kind: str) -> EpcnPcn:
    return EpcnPcn(
        p.pcn_code,
        p.pcn_name,
        p.parent_code,
        p.parent_name,
        kind,
        p.open_date,
        p.close_date,
        p.postcode,
    )
