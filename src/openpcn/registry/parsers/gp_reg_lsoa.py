"""NHS England Digital ``gp-reg-pat-prac-lsoa-all.csv``: patients per practice per LSOA.

Published quarterly in the "Patients Registered at a GP Practice" release, in a zip with the
``-male`` and ``-female`` files of the same layout. Columns (alias table
:data:`openpcn.registry.parsers.columns.LSOA`): PUBLICATION, EXTRACT_DATE, PRACTICE_CODE,
PRACTICE_NAME, LSOA_CODE, SEX, NUMBER_OF_PATIENTS ("Number of Patients" in some vintages).
The 2014-2016 "tall" files have PRACTICE_CODE, LSOA_CODE and "All Patients" only: no sex
(all persons) and no extract date (pass ``extract_date=``).

LSOA year: a header that names it (LSOA11CD, LSOA_2021_CODE, ...) says which boundaries the
codes belong to; a plain LSOA_CODE column is read from the codes: the placeholder for "no
LSOA" ("NO2011" / "NO2021") if present, else 2021 if any English code is one that only the
2021 LSOAs have (above E01033768, the last 2011 code), else 2011. The inference is stated in
the warnings. Any other code that is not an LSOA code is kept as a "no LSOA" placeholder and
named in the warnings. as_of = EXTRACT_DATE. A second row for the same practice, LSOA and sex is an
error. Records: :class:`~openpcn.registry.records.PracticeLsoaPopulation`.
"""

from __future__ import annotations

import re
from datetime import date
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
    to_int,
)
from openpcn.registry.records import PracticeLsoaPopulation

KIND = "gp_reg_lsoa"
LAST_2011_ENGLISH_LSOA = 33768  # E01033768; 2021 added codes after it
_SEXES = {"ALL": "ALL", "PERSONS": "ALL", "MALE": "MALE", "M": "MALE", "FEMALE": "FEMALE"}
_SEXES["F"] = "FEMALE"
_PLACEHOLDER = re.compile(r"^NO_?(20)?(11|21)$")
_CODE = re.compile(r"^[EWSN]\d{8}$")


def looks_like(header_norm: set[str]) -> bool:
    lsoa, practice = columns.LSOA[3], columns.LSOA[1]
    return any(lsoa.matches(h) for h in header_norm) and any(
        practice.matches(h) for h in header_norm
    )


def _year_from_header(name: str) -> int | None:
    m = re.search(r"(?:^|_)(?:20)?(11|21)(?:_|CD|CODE|$)", name.replace("LSOA", "_"))
    return 2000 + int(m[1]) if m else None


def _year_from_codes(codes: set[str]) -> tuple[int, str]:
    for code in codes:
        m = _PLACEHOLDER.match(norm(code))
        if m:
            return 2000 + int(m[2]), f"LSOA year {2000 + int(m[2])} from the placeholder {code}"
    newer = sorted(c for c in codes if c.startswith("E01") and int(c[3:]) > LAST_2011_ENGLISH_LSOA)
    if newer:
        return 2021, f"LSOA year 2021: codes such as {newer[0]} exist only in the 2021 LSOAs"
    return 2011, "LSOA year 2011: no code is one that only the 2021 LSOAs have"


def parse(path: str | Path, extract_date: date | None = None) -> ParsedFile:
    path = Path(path)
    rows = CsvRows(path)
    c = find_columns(path, rows.header, columns.LSOA)
    i_date, i_code, i_lsoa = c["EXTRACT_DATE"], c["PRACTICE_CODE"], c["LSOA_CODE"]
    i_sex, i_n = c["SEX"], c["NUMBER_OF_PATIENTS"]
    if i_date is None and extract_date is None:
        raise RegistryFileError(
            path, 1, "EXTRACT_DATE", "the file has no extract date; pass extract_date="
        )
    seen: dict[tuple[str, str, str], int] = {}
    rows_out: list[tuple[str, str, str, str, int]] = []
    codes: set[str] = set()
    extract_raw, extract = None, extract_date
    n = 0
    for line, row in rows:
        n += 1
        if i_date is not None and row[i_date] != extract_raw:
            day = date_cell(path, line, "EXTRACT_DATE", row[i_date])
            if day is None or (extract is not None and day != extract):
                raise RegistryFileError(
                    path, line, "EXTRACT_DATE", f"{row[i_date]!r} is not the file's extract date"
                )
            extract_raw, extract = row[i_date], day
        practice = row[i_code].strip().upper()
        if not practice:
            raise RegistryFileError(path, line, "PRACTICE_CODE", "practice code is blank")
        lsoa = row[i_lsoa].strip().upper()
        if not lsoa.isalnum() or len(lsoa) > 12:
            raise RegistryFileError(path, line, "LSOA_CODE", f"{lsoa[:12]!r} is not an LSOA code")
        sex = _SEXES.get(norm(row[i_sex])) if i_sex is not None else "ALL"
        if sex is None:
            raise RegistryFileError(path, line, "SEX", f"{row[i_sex]!r} is not ALL/FEMALE/MALE")
        key = (practice, lsoa, sex)
        if key in seen:
            raise RegistryFileError(
                path, line, "LSOA_CODE", f"{practice} {lsoa} {sex} repeats line {seen[key]}"
            )
        seen[key] = line
        codes.add(lsoa)
        count = to_int(path, line, "NUMBER_OF_PATIENTS", row[i_n])
        rows_out.append((practice, cell(row, c["PRACTICE_NAME"]), lsoa, sex, count))
    if not rows_out:
        raise RegistryFileError(path, None, None, "file has a header but no rows")
    warnings: list[str] = []
    year = _year_from_header(norm(rows.header[i_lsoa]))
    if year is None:
        year, how = _year_from_codes(codes)
        warnings.append(how)
    placeholders = sorted(c for c in codes if not _CODE.match(c))
    if placeholders:
        warnings.append(f"patients with no LSOA are under {', '.join(placeholders[:5])}")
    records = [PracticeLsoaPopulation(p, m, x, year, s, k, extract) for p, m, x, s, k in rows_out]
    counts = {
        "rows_read": n,
        "records": len(records),
        "practices": len({r.practice_code for r in records}),
        "lsoas": len(codes) - len(placeholders),
        "patients": sum(r.count for r in records if r.sex == "ALL"),
        "patients_without_lsoa": sum(
            r.count for r in records if r.sex == "ALL" and not _CODE.match(r.lsoa_code)
        ),
    }
    return ParsedFile(KIND, path, extract, records, warnings, counts, f"lsoa{year % 100}")
