"""NHS England Digital "Patients Registered at a GP Practice": ``gp-reg-pat-prac-map.csv``.

One row per practice with its PCN and commissioner hierarchy on the extract date.
Layouts (alias table :data:`openpcn.registry.parsers.columns.MAP`): before July 2019 no PCN
columns (variant ``ccg_before_pcns``: ``pcn_code`` is "" and the file says nothing about
PCNs); CCG era (CCG_CODE, STP_CODE, ... up to mid 2022) and ICB era (SUB_ICB_LOCATION_CODE,
ICB_CODE, ..., 2026 adds SUPPLIER_NAME). Columns are found by name. Required: EXTRACT_DATE,
PRACTICE_CODE. as_of = EXTRACT_DATE (every row must carry the same one).
"""

from __future__ import annotations

from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import columns
from openpcn.registry.parsers._common import (
    CsvRows,
    ParsedFile,
    cell,
    date_cell,
    find_columns,
    norm,
    once_per_file,
)
from openpcn.registry.records import PracticePcnMembership

KIND = "gp_reg_map"

COLUMNS = columns.MAP


def looks_like(header_norm: set[str]) -> bool:
    """PRACTICE_CODE, EXTRACT_DATE and a PCN or commissioner (CCG / sub-ICB) column."""
    return {"PRACTICE_CODE", "EXTRACT_DATE"} <= header_norm and bool(
        header_norm & {"PCN_CODE", "CCG_CODE", "SUB_ICB_LOCATION_CODE"}
    )


def parse(path: str | Path) -> ParsedFile:
    path = Path(path)
    rows = CsvRows(path)
    c = find_columns(path, rows.header, COLUMNS)
    header = {norm(h) for h in rows.header}
    if c["PCN_CODE"] is None and any(h.startswith("PCN_") for h in header):
        raise RegistryFileError(
            path, 1, "PCN_CODE", "required column PCN_CODE is missing (the file has PCN columns)"
        )
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
        once_per_file(seen, code, path, line)
        pcn = row[i_pcn].strip().upper() if i_pcn is not None else ""
        if not pcn and i_pcn is not None:
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
    if i_pcn is None:
        era = f"{era}_before_pcns"
    return ParsedFile(
        kind=KIND,
        path=path,
        as_of=extract[1],
        records=records,
        counts={
            "rows_read": n,
            "records": len(records),
            "practices": len(records),
            "pcns": len({r.pcn_code for r in records if r.pcn_code not in ("U", "")}),
            "unaligned_practices": unaligned,
        },
        variant=era,
    )
