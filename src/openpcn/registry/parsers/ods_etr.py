"""ODS ``etr.csv``: NHS trusts (no header row; the epraccur layout).

Layout (ODS specification, 27 columns): 1 code, 2 name, 3 national grouping (NHS England
region, Y56-Y63), 4 high-level health geography (the ICB's ODS code), 5-9 address,
10 postcode, 11 open date, 12 close date, 22 amended record indicator, 24 the region's old
letter; columns 13-21 are empty in this file (no status: a trust with no close date, or one
after the file's date, is open). Wider rows are accepted, their extra columns ignored. A
repeated code is an error.

as_of rule: as for epraccur, the latest open or close date in the file (ODS records changes
ahead of time, so it approximates the publication date, never much earlier).
Records: :class:`~openpcn.registry.records.TrustRecord`.
"""

from __future__ import annotations

from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers._common import ParsedFile, date_cell
from openpcn.registry.parsers._ods_rows import MIN_COLUMNS, OdsRows
from openpcn.registry.records import TrustRecord

KIND = "ods_etr"


def looks_like(first_row: list[str]) -> bool:
    """A first row of etr: >= 26 columns, a 3-5 character ODS code, a name, a yyyymmdd open
    date and no status (epraccur has one in column 13)."""
    if len(first_row) < MIN_COLUMNS:
        return False
    code, opened = first_row[0].strip(), first_row[10].strip()
    return (
        3 <= len(code) <= 5
        and code.isalnum()
        and bool(first_row[1].strip())
        and opened.isdigit()
        and len(opened) == 8
        and not first_row[12].strip()
        and not first_row[25].strip()
    )


def parse(path: str | Path) -> ParsedFile:
    path = Path(path)
    records: list[TrustRecord] = []
    for line, row, code in OdsRows(path, "etr", alnum=True):
        name = row[1].strip()
        if not name:
            raise RegistryFileError(path, line, "NAME", "name is blank")
        opened = date_cell(path, line, "OPEN_DATE", row[10])
        closed = date_cell(path, line, "CLOSE_DATE", row[11])
        if opened and closed and closed < opened:
            raise RegistryFileError(
                path, line, "CLOSE_DATE", f"closes {closed} before it opens {opened}"
            )
        records.append(
            TrustRecord(
                code=code,
                name=name,
                national_grouping=row[2].strip().upper(),
                health_geography=row[3].strip().upper(),
                postcode=row[9].strip(),
                open_date=opened,
                close_date=closed,
                amended=row[21].strip() == "1",
            )
        )
    if not records:
        raise RegistryFileError(path, None, None, "file is empty")
    dates = [d for r in records for d in (r.open_date, r.close_date) if d is not None]
    if not dates:
        raise RegistryFileError(path, None, "OPEN_DATE", "no row has an open date")
    as_of = max(dates)
    counts = {
        "rows_read": len(records),
        "records": len(records),
        "open": sum(1 for r in records if r.close_date is None or r.close_date > as_of),
    }
    return ParsedFile(KIND, path, as_of, records, [], counts, "etr")
