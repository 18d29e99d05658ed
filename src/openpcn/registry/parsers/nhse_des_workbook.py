"""NHS England's PCN DES population files as the xlsx workbooks it publishes: the same
columns as the CSV copies (:mod:`.nhse_des_population`), read the same way.

The table's sheet is the first whose first 20 rows hold a header with a practice code and an
adjusted population column (title rows above it and notes or guidance sheets are passed
over). Its rows are read as text (whole numbers stored as floats give "4239", dates give
yyyy-mm-dd) and handed to :func:`.nhse_des_population.parse_rows`, so the financial-year
rule, total rows, implausible rows and every error are those of the CSV; errors name the
sheet and its row. A footnote under the table (words in the first cell, the rest of the row
empty) is skipped and named in the warnings.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import nhse_des_population
from openpcn.registry.parsers._common import ParsedFile, norm
from openpcn.registry.parsers.ods_epcn import open_workbook

KIND = nhse_des_population.KIND
HEADER_WITHIN = 20


def is_workbook(path: Path) -> bool:
    with Path(path).open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def find_sheet(wb) -> tuple[str, int, list[str]] | None:
    """(sheet name, header row number, header cells) of the DES table, or None."""
    for name in wb.sheetnames:
        for number, row in enumerate(wb[name].iter_rows(values_only=True), 1):
            cells = [_text(v) for v in row]
            if nhse_des_population.looks_like({norm(c) for c in cells if c}):
                return name, number, cells
            if number >= HEADER_WITHIN:
                break
    return None


def parse(path: str | Path, financial_year: str | None = None) -> ParsedFile:
    """A DES population file: the workbook, or (not a workbook) the CSV copy."""
    path = Path(path)
    if not is_workbook(path):
        return nhse_des_population.parse(path, financial_year)
    wb = open_workbook(path)
    try:
        sheet, at, header = find_sheet(wb) or _no_table(path, wb.sheetnames)
        while header and not header[-1]:
            header.pop()
        notes: list[int] = []
        rows = _rows(wb[sheet], at, len(header), notes)
        try:
            parsed = nhse_des_population.parse_rows(path, header, rows, financial_year)
        except RegistryFileError as e:  # the same error, placed on the sheet
            line = at if e.line == 1 else e.line
            raise RegistryFileError(path, line, e.field, e.message, sheet) from None
    finally:
        wb.close()
    if notes:
        shown = ", ".join(str(n) for n in notes[:5])
        parsed.warnings.append(f"sheet '{sheet}': {len(notes)} note row(s) skipped (rows {shown})")
    return parsed


def _no_table(path: Path, sheets: list[str]):
    message = (
        "no sheet has a header with Practice Code and Adjusted Population in its first "
        f"{HEADER_WITHIN} rows (sheets: {', '.join(sheets)})"
    )
    raise RegistryFileError(path, None, "PRACTICE_CODE", message)


def _is_note(cells: list[str]) -> bool:
    """A footnote under the table: words in the first cell and nothing else in the row (a
    practice code has no spaces; a row with anything in another column is data)."""
    return bool(cells) and " " in cells[0] and not any(cells[1:])


def _rows(ws, header_row: int, width: int, notes: list[int]):
    """(sheet row number, cells as text) below the header, each row cut or padded to the
    header's width; blank rows are skipped, and footnotes (their row numbers go in ``notes``)."""
    for number, row in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True)):
        cells = [_text(v) for v in row[:width]]
        if _is_note(cells):
            notes.append(header_row + 1 + number)
        elif any(cells):
            yield header_row + 1 + number, cells + [""] * (width - len(cells))
