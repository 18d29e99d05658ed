"""NHS England PCN DES population files: raw list size, adjusted and (some years) weighted
population per practice, with its PCN.

Both known layouts are read by column name (case, spaces and punctuation ignored):
- 2025/26: Practice Code, Practice Name, PCN Code, PCN Name, ICB Code, ICB Name, Region code,
  Region, Raw list size, Adjusted Population, PCN member January 25;
- 2024/25: Practice Code, Practice Name, PCN Code, PCN Name, Region, Raw list size 2024/25,
  Adjusted Population 2024/25, weighted population 2024/25, ..., Raw list size as of 01/01/25.

Financial year rule: a "YYYY/YY" in a list-size or population header gives it; otherwise a
"PCN member <Month> <YY>" header gives the month of the membership list, and the year is the
one starting on the next 1 April (January 2025 -> 2025-26); otherwise pass
``financial_year=`` explicitly. as_of = 1 January before that year starts (the DES list-size
reference date).

Rows: the grand-total row (blank practice code, numbers present) is dropped with a warning;
a PCN code of "no_data", "N/A" or blank means no PCN (None). Rows whose adjusted or weighted
population is more than 5 times, or less than a fifth of, the raw list size (the larger of
the two at least 500), or raw is 0 while another is not, are kept with ``implausible=True``
and listed in the warnings: a loader must decide, never load them silently. A repeated
practice code is an error.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from openpcn.core.fyear import FinancialYear
from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers._common import (
    _MONTHS,
    Col,
    CsvRows,
    ParsedFile,
    cell,
    find_columns,
    norm,
    parse_date,
    to_int,
)
from openpcn.registry.records import DesPopulation

KIND = "nhse_des_population"
IMPLAUSIBLE_RATIO = 5
IMPLAUSIBLE_MIN = 500  # ratios between lists this small are noise, not errors
NO_PCN = {"", "NO_DATA", "N/A", "NA", "#N/A", "NONE", "-", "UNKNOWN"}
_YEAR = r"(_\d{4}_\d{2,4})?"

COLUMNS = [
    Col("PRACTICE_CODE", ("ORGANISATION_CODE", "ODS_CODE")),
    Col("PRACTICE_NAME", required=False),
    Col("PCN_CODE", required=False),
    Col("PCN_NAME", required=False),
    Col("ICB_CODE", required=False),
    Col("ICB_NAME", required=False),
    Col("REGION_CODE", required=False),
    Col("REGION_NAME", ("REGION",), required=False),
    Col("RAW_LIST_SIZE", (rf"^RAW_LIST_SIZE{_YEAR}$", "REGISTERED_POPULATION")),
    Col("ADJUSTED_POPULATION", (rf"^ADJUSTED_POPULATION{_YEAR}$",)),
    Col("WEIGHTED_POPULATION", (rf"^WEIGHTED_POPULATION{_YEAR}$",), required=False),
    Col("LATEST_LIST_SIZE", (r"^RAW_LIST_SIZE_AS_(OF|AT)_.+",), required=False),
    Col("PCN_MEMBER", (r"^PCN_MEMBER(_.+)?$",), required=False),
]


def looks_like(header_norm: set[str]) -> bool:
    has_code = bool(header_norm & {"PRACTICE_CODE", "ORGANISATION_CODE", "ODS_CODE"})
    return has_code and any(h.startswith("ADJUSTED_POPULATION") for h in header_norm)


def _financial_year(path: Path, header: list[str], c: dict) -> FinancialYear:
    for name in ("RAW_LIST_SIZE", "ADJUSTED_POPULATION", "WEIGHTED_POPULATION"):
        if c[name] is not None:
            m = re.search(r"(\d{4})\s*[/-]\s*(\d{2,4})", header[c[name]])
            if m:
                return FinancialYear.parse(f"{m[1]}/{m[2]}")
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
    path = Path(path)
    rows = CsvRows(path)
    c = find_columns(path, rows.header, COLUMNS)
    fy = FinancialYear.parse(financial_year) if financial_year else None
    fy = fy or _financial_year(path, rows.header, c)
    latest_date = None
    if c["LATEST_LIST_SIZE"] is not None:
        m = re.search(
            r"(\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})", rows.header[c["LATEST_LIST_SIZE"]]
        )
        latest_date = parse_date(m[1]) if m else None
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
        if code in seen:
            raise RegistryFileError(
                path,
                line,
                "PRACTICE_CODE",
                f"duplicate practice {code} (first at line {seen[code]})",
            )
        seen[code] = line
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


def _known(text: str) -> str:
    return "" if norm(text) in NO_PCN else text
