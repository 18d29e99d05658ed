"""NHS England PCN DES population files: raw list size, adjusted and (some years) weighted
population per practice, with its PCN.

Columns are read by name (case, spaces and punctuation ignored) through the alias table
:data:`openpcn.registry.parsers.columns.DES`. Layouts met:
- 2025/26: Practice Code, Practice Name, PCN Code, PCN Name, ICB Code, ICB Name, Region code,
  Region, Raw list size, Adjusted Population, PCN member January 25;
- 2024/25: Practice Code, Practice Name, PCN Code, PCN Name, Region, Raw list size 2024/25,
  Adjusted Population 2024/25, weighted population 2024/25, ..., Raw list size as of 01/01/25;
- a file whose only list size is dated ("Raw list size as at 1 January 2024") reads it as the
  raw list size; CCG/STP-era code columns are accepted for ICB/sub-ICB.

Financial year rule: a "YYYY/YY" in a list-size or population header gives it; otherwise the
date in a dated raw list-size header (1 January 2024 -> 2024-25); otherwise a
"PCN member <Month> <YY>" header gives the month of the membership list, and the year is the
one starting on the next 1 April (January 2025 -> 2025-26); otherwise pass
``financial_year=`` explicitly. as_of = 1 January before that year starts (the DES list-size
reference date).

Rows: the grand-total row (blank practice code, numbers present) is dropped with a warning;
a PCN code of "no_data", "N/A" or blank means no PCN (None). Rows whose adjusted or weighted
population is more than 5 times, or less than a fifth of, the raw list size (the larger of
the two at least 500), or raw is 0 while another is not, are kept with ``implausible=True``
and listed in the warnings: a loader must decide, never load them silently. A repeated
practice code, a practice code that is not an ODS GP practice code (a letter and five
digits) and a PCN code that is not an ODS PCN code (U and five digits) are errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from openpcn.core.fyear import FinancialYear
from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import columns
from openpcn.registry.parsers._common import (
    _MONTHS,
    Col,
    CsvRows,
    ParsedFile,
    cell,
    find_columns,
    norm,
    once_per_file,
    parse_date,
    to_int,
)
from openpcn.registry.records import DesPopulation

KIND = "nhse_des_population"
IMPLAUSIBLE_RATIO = 5
IMPLAUSIBLE_MIN = 500  # ratios between lists this small are noise, not errors
NO_PCN = {"", "NO_DATA", "N/A", "NA", "#N/A", "NONE", "-", "UNKNOWN"}
COLUMNS = columns.DES
PRACTICE_CODE = re.compile(r"^[A-Z]\d{5}$")  # ODS GP practice codes: a letter and 5 digits
PCN_CODE = re.compile(r"^U\d{5}$")  # ODS PCN codes: U and 5 digits


def looks_like(header_norm: set[str]) -> bool:
    by = {col.name: col for col in COLUMNS}
    return any(by["PRACTICE_CODE"].matches(h) for h in header_norm) and any(
        by["ADJUSTED_POPULATION"].matches(h) for h in header_norm
    )


def _header_date(text: str):
    """A date written in a header: 01/01/25, 2025-01-01 or 1 January 2025 (else None)."""
    m = re.search(r"(\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})", text)
    if m:
        return parse_date(m[1])
    m = re.search(r"(\d{1,2})\w*\s+([A-Za-z]{3})[a-z]*\s+(\d{4})", text)
    return parse_date(f"{m[1]}{m[2]}{m[3]}") if m and m[2].upper() in _MONTHS else None


def _financial_year(path: Path, header: list[str], c: dict) -> FinancialYear:
    for name in ("RAW_LIST_SIZE", "ADJUSTED_POPULATION", "WEIGHTED_POPULATION"):
        if c[name] is not None:
            m = re.search(r"(\d{4})\s*[/-]\s*(\d{2,4})", header[c[name]])
            if m:
                return FinancialYear.parse(f"{m[1]}/{m[2]}")
    day = _header_date(header[c["RAW_LIST_SIZE"]])
    if day is not None:  # the DES list-size reference date, 1 January before the year
        return FinancialYear(day.year if day.month < 4 else day.year + 1)
    if c["PCN_MEMBER"] is not None:
        m = re.search(r"([A-Za-z]{3})[a-z]*\W*(\d{2,4})\s*$", header[c["PCN_MEMBER"]])
        if m and m[1].upper() in _MONTHS:
            year = int(m[2]) + (2000 if len(m[2]) == 2 else 0)
            month = _MONTHS[m[1].upper()]
            return FinancialYear(year if month < 4 else year + 1)
    raise RegistryFileError(
        path,
        1,
        "RAW_LIST_SIZE",
        "cannot tell the financial year from the headers; pass financial_year=",
    )


def _implausible(raw: int, adjusted: int, weighted: int | None) -> str:
    reasons = []
    for label, value in (("adjusted", adjusted), ("weighted", weighted)):
        if value is None:
            continue
        if raw == 0:
            if value:
                reasons.append(f"{label} {value} with raw list size 0")
        elif max(raw, value) >= IMPLAUSIBLE_MIN and (
            value > raw * IMPLAUSIBLE_RATIO or value * IMPLAUSIBLE_RATIO < raw
        ):
            reasons.append(f"{label} {value} is {value / raw:.1f} x raw list size {raw}")
    return "; ".join(reasons)


def parse(path: str | Path, financial_year: str | None = None) -> ParsedFile:
    """The CSV copy of a DES population file (the workbook: :mod:`.nhse_des_workbook`)."""
    path = Path(path)
    rows = CsvRows(path)
    return parse_rows(path, rows.header, rows, financial_year)


def parse_rows(
    path: Path, header: list[str], rows: Iterable[tuple[int, list[str]]], financial_year=None
) -> ParsedFile:
    """The file from its header and its data rows as (line, cells) text, each row as wide as
    the header: the one reading of the CSV copy and the workbook."""
    c = find_columns(path, header, _with_raw(path, header))
    fy = FinancialYear.parse(financial_year) if financial_year else None
    fy = fy or _financial_year(path, header, c)
    latest_date = None
    if c["LATEST_LIST_SIZE"] is not None:
        latest_date = _header_date(header[c["LATEST_LIST_SIZE"]])
    i_code, i_raw, i_adj, i_w = (
        c["PRACTICE_CODE"],
        c["RAW_LIST_SIZE"],
        c["ADJUSTED_POPULATION"],
        c["WEIGHTED_POPULATION"],
    )
    i_latest, i_member = c["LATEST_LIST_SIZE"], c["PCN_MEMBER"]
    records: list[DesPopulation] = []
    warnings: list[str] = []
    seen: dict[str, int] = {}
    dropped = 0
    n = 0
    total_row: tuple[int, int] | None = None
    for line, row in rows:
        n += 1
        code = row[i_code].strip().upper()
        if not code:
            if row[i_raw].strip() or row[i_adj].strip():
                dropped += 1
                total_row = (line, to_int(path, line, "RAW_LIST_SIZE", row[i_raw]))
                warnings.append(f"line {line}: total row (blank practice code) dropped")
                continue
            raise RegistryFileError(path, line, "PRACTICE_CODE", "practice code is blank")
        once_per_file(seen, code, path, line)
        if not PRACTICE_CODE.match(code):
            raise RegistryFileError(
                path, line, "PRACTICE_CODE", f"{code[:10]!r} is not an ODS practice code"
            )
        raw = to_int(path, line, "RAW_LIST_SIZE", row[i_raw])
        adjusted = to_int(path, line, "ADJUSTED_POPULATION", row[i_adj])
        weighted = None
        if i_w is not None and row[i_w].strip():
            weighted = to_int(path, line, "WEIGHTED_POPULATION", row[i_w])
        latest = None
        if i_latest is not None and row[i_latest].strip():
            latest = to_int(path, line, "LATEST_LIST_SIZE", row[i_latest])
        member = None
        if i_member is not None and row[i_member].strip():
            answer = row[i_member].strip().upper()
            if answer not in ("YES", "NO", "Y", "N"):
                raise RegistryFileError(
                    path, line, "PCN_MEMBER", f"{row[i_member]!r} is not Yes/No"
                )
            member = answer.startswith("Y")
        pcn = cell(row, c["PCN_CODE"]).upper()
        in_pcn = norm(pcn) not in NO_PCN and pcn not in NO_PCN
        if in_pcn and not PCN_CODE.match(pcn):
            raise RegistryFileError(path, line, "PCN_CODE", f"{pcn[:10]!r} is not an ODS PCN code")
        reason = _implausible(raw, adjusted, weighted)
        if reason:
            warnings.append(f"line {line}: practice {code} implausible: {reason}")
        records.append(
            DesPopulation(
                financial_year=str(fy),
                practice_code=code,
                practice_name=cell(row, c["PRACTICE_NAME"]),
                pcn_code=pcn if in_pcn else None,
                pcn_name=cell(row, c["PCN_NAME"]) if in_pcn else None,
                icb_code=_known(cell(row, c["ICB_CODE"])),
                icb_name=_known(cell(row, c["ICB_NAME"])),
                region_code=_known(cell(row, c["REGION_CODE"])),
                region_name=_known(cell(row, c["REGION_NAME"])),
                raw_list_size=raw,
                adjusted_population=adjusted,
                weighted_population=weighted,
                latest_list_size=latest,
                latest_list_size_date=latest_date if latest is not None else None,
                pcn_member=member,
                implausible=bool(reason),
                implausible_reason=reason,
            )
        )
    if not records:
        raise RegistryFileError(path, None, None, "file has a header but no practice rows")
    if total_row is not None:
        line, stated = total_row
        summed = sum(r.raw_list_size for r in records)
        if stated != summed:
            warnings.append(
                f"line {line}: total row says raw list size {stated}, practices sum to {summed}"
            )
    counts = {
        "rows_read": n,
        "records": len(records),
        "dropped_total_rows": dropped,
        "implausible": sum(1 for r in records if r.implausible),
        "without_pcn": sum(1 for r in records if r.pcn_code is None),
        "pcns": len({r.pcn_code for r in records if r.pcn_code}),
    }
    variant = "weighted" if c["WEIGHTED_POPULATION"] is not None else "adjusted"
    return ParsedFile(KIND, path, date(fy.start_year, 1, 1), records, warnings, counts, variant)


def _with_raw(path: Path, header: list[str]) -> list:
    """The column table; a file whose only raw list size is dated ("Raw list size as at
    1 January 2025") reads that column as the raw list size."""
    names = [norm(h) for h in header]
    by = {col.name: col for col in COLUMNS}
    raw, latest = by["RAW_LIST_SIZE"], by["LATEST_LIST_SIZE"]
    if any(raw.matches(n) for n in names) or not any(latest.matches(n) for n in names):
        return COLUMNS
    swapped = {"RAW_LIST_SIZE": Col("RAW_LIST_SIZE", latest.aliases)}
    swapped["LATEST_LIST_SIZE"] = Col("LATEST_LIST_SIZE", required=False)
    return [swapped.get(col.name, col) for col in COLUMNS]


def _known(text: str) -> str:
    return "" if norm(text) in NO_PCN else text
