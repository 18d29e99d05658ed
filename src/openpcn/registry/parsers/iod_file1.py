"""MHCLG English Indices of Deprivation, File 1: IMD rank and decile for every LSOA in England.

Read with openpyxl in read-only mode. The sheet is the first whose first row holds an LSOA
code column and an IMD rank column (``IMD25`` in IoD 2025, ``IMD2019`` in IoD 2019; a
``Notes`` sheet before it is skipped). Columns by the alias table
:data:`openpcn.registry.parsers.columns.IOD_FILE1`:

- IoD 2025: LSOA code (2021), LSOA name (2021), Local Authority District code (2024) and
  name (2024), IMD Rank (where 1 is most deprived), IMD Decile (... most deprived 10% of LSOA);
- IoD 2019: LSOA code (2011), LSOA name (2011), Local Authority District code (2019) and
  name (2019), IMD Rank, IMD Decile (and the 2015 edition's LAD (2013) columns).

The LSOA vintage (2011/2021) and the LAD vintage are read from the headers; the edition from
the LAD vintage (2024 -> 2025, 2019 -> 2019, 2013 -> 2015). Ranks must run 1..N once each,
deciles 1-10; a repeated LSOA is an error. as_of: the workbook names no date, so it is the
first day of the edition's publication month (October 2025, September 2019, September 2015).
Records: :class:`~openpcn.registry.records.LsoaDeprivation`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import columns
from openpcn.registry.parsers._common import ParsedFile, find_columns, norm, to_int
from openpcn.registry.parsers._lsoa import (
    EDITION_BY_LAD_YEAR,
    check_ranks,
    lsoa_code,
    rank_cell,
    year_in,
)
from openpcn.registry.records import LsoaDeprivation

KIND = "mhclg_iod_file1"
PUBLISHED = {2025: date(2025, 10, 1), 2019: date(2019, 9, 1), 2015: date(2015, 9, 1)}
_LSOA, _RANK = columns.IOD_FILE1[0], columns.IOD_FILE1[4]


def is_header(row) -> bool:
    names = [norm(c) for c in row or ()]
    return any(_LSOA.matches(n) for n in names) and any(_RANK.matches(n) for n in names)


def find_sheet(wb) -> str | None:
    """The name of the workbook's IMD sheet, or None."""
    for ws in wb.worksheets[:8]:
        first = next(ws.iter_rows(max_row=1, values_only=True), None)
        if is_header(first):
            return ws.title
    return None


def parse(path: str | Path) -> ParsedFile:
    from openpcn.registry.parsers.ods_epcn import open_workbook

    path = Path(path)
    wb = open_workbook(path)
    try:
        sheet = find_sheet(wb)
        if sheet is None:
            raise RegistryFileError(
                path,
                None,
                None,
                "no sheet has an LSOA code and an IMD rank column "
                f"(sheets: {', '.join(wb.sheetnames)})",
            )
        rows = wb[sheet].iter_rows(values_only=True)
        header = list(next(rows))
        c = find_columns(path, header, columns.IOD_FILE1, sheet)
        vintage = year_in(header[c["LSOA_CODE"]])
        lad_year = year_in(header[c["LAD_CODE"]])
        if vintage not in (2011, 2021):
            raise RegistryFileError(
                path, 1, "LSOA_CODE", "the header does not say 2011 or 2021 LSOAs", sheet
            )
        edition = EDITION_BY_LAD_YEAR.get(lad_year)
        if edition is None:
            raise RegistryFileError(
                path,
                1,
                "LAD_CODE",
                f"local authority year {lad_year} is not one of an IoD edition "
                f"({', '.join(str(y) for y in EDITION_BY_LAD_YEAR)})",
                sheet,
            )
        records, seen = [], {}
        for line, row in enumerate(rows, 2):
            if row is None or all(v is None or str(v).strip() == "" for v in row):
                continue
            row = list(row) + [None] * (len(header) - len(row))
            code = lsoa_code(path, line, row[c["LSOA_CODE"]], sheet)
            if code in seen:
                raise RegistryFileError(
                    path, line, "LSOA_CODE", f"{code} repeats row {seen[code]}", sheet
                )
            seen[code] = line
            lad = str(row[c["LAD_CODE"]] or "").strip().upper()
            if not lad:
                raise RegistryFileError(path, line, "LAD_CODE", "local authority is blank", sheet)
            rank = rank_cell(path, line, "IMD_RANK", row[c["IMD_RANK"]], sheet)
            decile = to_int(path, line, "IMD_DECILE", row[c["IMD_DECILE"]] or "", sheet)
            if not 1 <= decile <= 10:
                raise RegistryFileError(
                    path, line, "IMD_DECILE", f"{decile} is not a decile (1-10)", sheet
                )
            name_i, lad_name_i = c["LSOA_NAME"], c["LAD_NAME"]
            records.append(
                LsoaDeprivation(
                    code=code,
                    name=str(row[name_i] or "").strip() if name_i is not None else "",
                    vintage=vintage,
                    lad_code=lad,
                    lad_name=str(row[lad_name_i] or "").strip() if lad_name_i is not None else "",
                    lad_vintage=lad_year,
                    edition=edition,
                    rank=rank,
                    decile=decile,
                )
            )
    finally:
        wb.close()
    if not records:
        raise RegistryFileError(path, None, None, "the sheet has a header but no rows", sheet)
    check_ranks(path, [r.rank for r in records], sheet)
    counts = {
        "rows_read": len(records),
        "records": len(records),
        "lsoas": len(records),
        "local_authorities": len({r.lad_code for r in records}),
    }
    warnings = [f"IoD {edition} names no date: as of {PUBLISHED[edition]}, its publication month"]
    return ParsedFile(
        KIND,
        path,
        PUBLISHED[edition],
        records,
        warnings,
        counts,
        f"iod{edition}_lsoa{vintage % 100}",
    )
