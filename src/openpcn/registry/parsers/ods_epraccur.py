"""ODS ``epraccur.csv``: every GP practice and similar prescribing setting (no header row).

Layout (ODS specification, 27 columns; a file with 26 columns is accepted): 1 code, 2 name,
3 national grouping, 4 high-level health geography, 5-9 address, 10 postcode, 11 open date,
12 close date, 13 status, 14 sub-type, 15 commissioner, 16 join parent date, 17 left parent
date, 18 phone, 22 amended record indicator, 24 provider/purchaser, 26 setting.

Two formats, recognised per row: old (status A/C/D/P, col 26 prescribing setting number,
4 = GP practice) and new (status ACTIVE/INACTIVE/DORMANT/PROPOSED, col 26 ODS role code,
RO76 = GP practice). The files ODS publishes have no header row; an export that adds one
(Organisation Code, Name, ..., Open Date, ...) is read too. Wider rows (more than 27
columns) are accepted, their extra columns ignored. A repeated practice code is an error.

as_of rule: the file carries no extract date, so as_of is the latest date recorded in it
(any open, close, join-parent or left-parent date). ODS records changes ahead of time, so this
can be the first of the month after publication (the Jun 2026 file gives 2026-07-01; the
Jan 2023 file 2022-12-05): an approximation of the publication date, never much earlier.
"""

from __future__ import annotations

from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers._common import ParsedFile, date_cell, norm
from openpcn.registry.parsers._ods_rows import MIN_COLUMNS, OdsRows
from openpcn.registry.records import PracticeRecord

KIND = "ods_epraccur"
FIELDS = {  # 0-based column -> field name used in errors
    0: "ORGANISATION_CODE",
    1: "NAME",
    9: "POSTCODE",
    10: "OPEN_DATE",
    11: "CLOSE_DATE",
    12: "STATUS_CODE",
    15: "JOIN_PARENT_DATE",
    16: "LEFT_PARENT_DATE",
    25: "PRESCRIBING_SETTING",
}
STATUS = {
    "A": "active",
    "C": "closed",
    "D": "dormant",
    "P": "proposed",
    "ACTIVE": "active",
    "INACTIVE": "closed",
    "CLOSED": "closed",
    "DORMANT": "dormant",
    "PROPOSED": "proposed",
}
GP_SETTINGS = {"4", "RO76"}


def is_header(row: list[str]) -> bool:
    """The header row some exports add (Organisation Code, Name, ..., Open Date, ...)."""
    return (
        len(row) >= MIN_COLUMNS
        and norm(row[0]) in ("ORGANISATION_CODE", "CODE")
        and norm(row[10]) == "OPEN_DATE"
    )


def looks_like(first_row: list[str]) -> bool:
    """A first row of epraccur: >= 26 columns, an ODS code, a yyyymmdd open date, a status
    (or the header row of an export that has one)."""
    if len(first_row) < MIN_COLUMNS:
        return False
    if is_header(first_row):
        return True
    code, opened, status = first_row[0].strip(), first_row[10].strip(), first_row[12].strip()
    return (
        3 <= len(code) <= 8
        and code.isalnum()
        and (opened.isdigit() and len(opened) == 8)
        and status.isalpha()
    )


def parse(path: str | Path) -> ParsedFile:
    path = Path(path)
    records: list[PracticeRecord] = []
    old = new = 0
    rows = OdsRows(path, "epraccur", is_header=is_header, fields=FIELDS)
    for line, row, code in rows:
        status_raw = row[12].strip().upper()
        status = STATUS.get(status_raw)
        if status is None:
            raise RegistryFileError(
                path,
                line,
                "STATUS_CODE",
                f"{row[12]!r} is not a known status (A/C/D/P or ACTIVE/...)",
            )
        if len(status_raw) == 1:
            old += 1
        else:
            new += 1
        setting = row[25].strip().upper()
        records.append(
            PracticeRecord(
                code=code,
                name=row[1].strip(),
                national_grouping=row[2].strip(),
                health_geography=row[3].strip(),
                postcode=row[9].strip(),
                open_date=date_cell(path, line, "OPEN_DATE", row[10]),
                close_date=date_cell(path, line, "CLOSE_DATE", row[11]),
                status=status,
                status_raw=status_raw,
                sub_type=row[13].strip(),
                commissioner=row[14].strip(),
                join_parent_date=date_cell(path, line, "JOIN_PARENT_DATE", row[15]),
                left_parent_date=date_cell(path, line, "LEFT_PARENT_DATE", row[16]),
                setting=setting,
                is_gp_practice=setting in GP_SETTINGS,
                amended=row[21].strip() == "1",
            )
        )
    if not records:
        raise RegistryFileError(path, None, None, "file is empty")
    as_of = max(
        d
        for r in records
        for d in (r.open_date, r.close_date, r.join_parent_date, r.left_parent_date)
        if d is not None
    )
    variant = ("old" if old >= new else "new") + ("_with_header" if rows.headed else "")
    warnings = []
    if old and new:
        warnings.append(f"mixed formats: {old} old-format and {new} new-format status values")
    counts = {
        "rows_read": rows.read,
        "records": len(records),
        "gp_practices": sum(1 for r in records if r.is_gp_practice),
        "active_gp_practices": sum(1 for r in records if r.is_gp_practice and r.status == "active"),
    }
    return ParsedFile(KIND, path, as_of, records, warnings, counts, variant)
