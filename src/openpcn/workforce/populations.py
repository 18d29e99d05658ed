"""A small reader for PCN registered populations from NHS England Digital's
"Patients Registered at a GP Practice" files (``gp-reg-pat-prac-quin-age.csv`` or
``gp-reg-pat-prac-all.csv``-style files that carry PCN rows).

Keeps rows with ORG_TYPE = PCN, SEX = ALL and age ALL (AGE_GROUP_5 / AGE column, when present),
returns ({pcn code: patients}, extract date). The full registry import lives in
``openpcn.registry``; this reader exists so that the workforce benchmark can run from files
alone (CLI, benchmarks) until it reads populations from the database.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers._common import (
    Col,
    CsvRows,
    cell,
    date_cell,
    find_columns,
    norm,
    to_int,
)

COLUMNS = [
    Col("EXTRACT_DATE"),
    Col("ORG_TYPE", ("TYPE",)),
    Col("ORG_CODE", ("CODE",)),
    Col("NUMBER_OF_PATIENTS"),
    Col("SEX", required=False),
    Col("AGE_GROUP_5", ("AGE", "AGE_GROUP", "AGE_BAND"), required=False),
]


def read_pcn_populations(path: str | Path) -> tuple[dict[str, int], date]:
    """PCN registered populations (all ages, both sexes) and the file's extract date."""
    path = Path(path)
    rows = CsvRows(path)
    c = find_columns(path, rows.header, COLUMNS)
    i_type, i_code, i_n, i_date = (
        c["ORG_TYPE"],
        c["ORG_CODE"],
        c["NUMBER_OF_PATIENTS"],
        c["EXTRACT_DATE"],
    )
    out: dict[str, int] = {}
    extract: date | None = None
    for line, row in rows:
        if row[i_type].strip().upper() != "PCN":
            continue
        if cell(row, c["SEX"]).upper() not in ("", "ALL") or norm(
            cell(row, c["AGE_GROUP_5"])
        ) not in ("", "ALL"):
            continue
        code = row[i_code].strip().upper()
        if not code:
            raise RegistryFileError(path, line, "ORG_CODE", "PCN code is blank")
        if code in out:
            raise RegistryFileError(path, line, "ORG_CODE", f"second all-ages row for PCN {code}")
        out[code] = to_int(path, line, "NUMBER_OF_PATIENTS", row[i_n])
        if extract is None:
            extract = date_cell(path, line, "EXTRACT_DATE", row[i_date])
    if extract is None:
        raise RegistryFileError(path, None, "ORG_TYPE", "no PCN rows with SEX ALL and age ALL")
    return out, extract
