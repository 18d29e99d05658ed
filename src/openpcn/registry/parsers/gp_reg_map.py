"""NHS England Digital "Patients Registered at a GP Practice": ``gp-reg-pat-prac-map.csv``.

One row per practice with its PCN and commissioner hierarchy on the extract date.
Layouts: CCG era (CCG_CODE, STP_CODE, ... up to mid 2022) and ICB era (SUB_ICB_LOCATION_CODE,
ICB_CODE, ..., 2026 adds SUPPLIER_NAME). Columns are found by name. Required: EXTRACT_DATE,
PRACTICE_CODE, PCN_CODE. as_of = EXTRACT_DATE (every row must carry the same one).
"""

from __future__ import annotations

from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers._common import (
    Col,
    CsvRows,
    ParsedFile,
    cell,
    date_cell,
    find_columns,
    norm,
)
from openpcn.registry.records import PracticePcnMembership

KIND = "gp_reg_map"

COLUMNS = [
    Col("EXTRACT_DATE"),
    Col("PRACTICE_CODE"),
    Col("PCN_CODE"),
    Col("PRACTICE_NAME", required=False),
    Col("PRACTICE_POSTCODE", ("POSTCODE",), required=False),
    Col("PCN_NAME", required=False),
    Col("SUB_ICB_LOCATION_CODE", ("SUB_ICB_CODE", "CCG_CODE"), required=False),
    Col("SUB_ICB_LOCATION_NAME", ("SUB_ICB_NAME", "CCG_NAME"), required=False),
    Col("ONS_SUB_ICB_LOCATION_CODE", ("ONS_SUB_ICB_CODE", "ONS_CCG_CODE"), required=False),
    Col("ICB_CODE", ("STP_CODE",), required=False),
    Col("ICB_NAME", ("STP_NAME",), required=False),
    Col("ONS_ICB_CODE", ("ONS_STP_CODE",), required=False),
    Col("COMM_REGION_CODE", ("REGION_CODE",), required=False),
    Col("COMM_REGION_NAME", ("REGION_NAME",), required=False),
    Col("ONS_COMM_REGION_CODE", ("ONS_REGION_CODE",), required=False),
    Col("SUPPLIER_NAME", ("SUPPLIER",), required=False),
]


def looks_like(header_norm: set[str]) -> bool:
    return {"PRACTICE_CODE", "PCN_CODE", "EXTRACT_DATE"} <= header_norm


def parse(path: str | Path) -> ParsedFile:
    path = Path(path)
    rows = CsvRows(path)
    c = find_columns(path, rows.header, COLUMNS)
    header = {norm(h) for h in rows.header}
    era = "icb" if ("SUB_ICB_LOCATION_CODE" in header or "ICB_CODE" in header) else "ccg"
    i_date, i_code, i_pcn = c["EXTRACT_DATE"], c["PRACTICE_CODE"], c["PCN_CODE"]
    records: list[PracticePcnMembership] = []
    seen: dict[str, int] = {}
    extract = None
    n = 0
    for line, row in rows:
        n += 1
        code = row[i_code].strip().upper()
        if not code:
            raise RegistryFileError(path, line, "PRACTICE_CODE", "practice code is blank")
        if code in seen:
            raise RegistryFileError(
                path,
                line,
                "PRACTICE_CODE",
                f"duplicate practice {code} (first at line {seen[code]})",
            )
        seen[code] = line
        pcn = row[i_pcn].strip().upper()
        if not pcn:
            raise RegistryFileError(path, line, "PCN_CODE", "PCN code is blank (U = no PCN)")
        raw_date = row[i_date].strip()
        if extract is None or raw_date != extract[0]:
            day = date_cell(path, line, "EXTRACT_DATE", raw_date)
            if day is None:
                raise RegistryFileError(path, line, "EXTRACT_DATE", "extract date is blank")
            if extract is not None and day != extract[1]:
                raise RegistryFileError(
                    path,
                    line,
                    "EXTRACT_DATE",
                    f"{raw_date!r} differs from the file's extract date {extract[1]}",
                )
            extract = (raw_date, day)
        records.append(
            PracticePcnMembership(
                practice_code=code,
                practice_name=cell(row, c["PRACTICE_NAME"]),
                postcode=cell(row, c["PRACTICE_POSTCODE"]),
                pcn_code=pcn,
                pcn_name=cell(row, c["PCN_NAME"]),
                sub_icb_code=cell(row, c["SUB_ICB_LOCATION_CODE"]),
                sub_icb_name=cell(row, c["SUB_ICB_LOCATION_NAME"]),
                sub_icb_ons_code=cell(row, c["ONS_SUB_ICB_LOCATION_CODE"]),
                icb_code=cell(row, c["ICB_CODE"]),
                icb_name=cell(row, c["ICB_NAME"]),
                icb_ons_code=cell(row, c["ONS_ICB_CODE"]),
                region_code=cell(row, c["COMM_REGION_CODE"]),
                region_name=cell(row, c["COMM_REGION_NAME"]),
                region_ons_code=cell(row, c["ONS_COMM_REGION_CODE"]),
                supplier=cell(row, c["SUPPLIER_NAME"]),
                extract_date=extract[1],
                era=era,
            )
        )
    if extract is None:
        raise RegistryFileError(path, None, None, "file has a header but no practice rows")
    unaligned = sum(1 for r in records if r.pcn_code == "U")
    return ParsedFile(
        kind=KIND,
        path=path,
        as_of=extract[1],
        records=records,
        counts={
            "rows_read": n,
            "records": len(records),
            "practices": len(records),
            "pcns": len({r.pcn_code for r in records if r.pcn_code != "U"}),
            "unaligned_practices": unaligned,
        },
        variant=era,
    )
