"""NHS England Digital "Primary Care Network Workforce": the individual-level CSV.

One row per staff record (``NWRS Staff``) or contracted service (``NWRS contracted services``)
per PCN, census month end. Columns (found by name after normalising: case, spaces, order and
extra columns do not matter): Data_source, CENSUS_YEAR (or YEAR), CENSUS_MONTH (or MONTH),
PCN_CODE, PCN_NAME, SUB_ICB_CODE, SUB_ICB_NAME, ICB_CODE, ICB_NAME, COMM_REGION_CODE,
COMM_REGION_NAME, STAFF_GROUP, STAFF_ROLE, DETAILED_STAFF_ROLE, FTE, UNIQUE_IDENTIFIER.
Required: CENSUS_YEAR, CENSUS_MONTH, PCN_CODE, STAFF_ROLE, FTE.

- as_of is the last day of the census month; every row must carry the same year and month
  (a month number, or its name: "June", "Jun").
- FTE is a number >= 0 (1.0 = 37.5 hours a week). Contracted-service rows carry total hours
  as FTE, so values above 1 are allowed (counted in ``counts['fte_above_1']``).
- UNIQUE_IDENTIFIER is a staff pseudonym. It is used only to count distinct people
  (``counts['people']`` and :attr:`ParsedWorkforce.headcount`); it is not kept on the records
  and never appears in a warning or an error.

Errors are :class:`~openpcn.registry.errors.RegistryFileError` (alias
:data:`WorkforceFileError`): ``file line N, field X: message``.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers._common import _MONTHS, Col, CsvRows, cell, find_columns, norm

WorkforceFileError = RegistryFileError
KIND = "nhsd_pcn_workforce"

#: the alias table: the definitions sheet documents YEAR and MONTH, the files say
#: CENSUS_YEAR and CENSUS_MONTH; CCG-era files (to mid 2022) have CCG_ and STP_ columns.
COLUMNS = [
    Col("CENSUS_YEAR", ("YEAR",)),
    Col("CENSUS_MONTH", ("MONTH",)),
    Col("PCN_CODE"),
    Col("STAFF_ROLE"),
    Col("FTE", ("FTE_", "FULL_TIME_EQUIVALENT")),
    Col("DATA_SOURCE", required=False),
    Col("PCN_NAME", required=False),
    Col("SUB_ICB_CODE", ("SUB_ICB_LOCATION_CODE", "CCG_CODE"), required=False),
    Col("SUB_ICB_NAME", ("SUB_ICB_LOCATION_NAME", "CCG_NAME"), required=False),
    Col("ICB_CODE", ("STP_CODE",), required=False),
    Col("ICB_NAME", ("STP_NAME",), required=False),
    Col("COMM_REGION_CODE", ("REGION_CODE",), required=False),
    Col("COMM_REGION_NAME", ("REGION_NAME",), required=False),
    Col("STAFF_GROUP", required=False),
    Col("DETAILED_STAFF_ROLE", required=False),
    Col("UNIQUE_IDENTIFIER", required=False),
]

_HEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class NwrsRecord:
    """One staff record or contracted service of one PCN (no staff identifier)."""

    data_source: str
    pcn_code: str
    pcn_name: str
    sub_icb_code: str
    icb_code: str
    icb_name: str
    region_code: str
    region_name: str
    staff_group: str
    staff_role: str
    detailed_staff_role: str
    fte: Decimal


@dataclass
class ParsedWorkforce:
    """The parsed file: census date, records, warnings and counts.

    counts: rows_read, records, pcns, icbs, people (distinct UNIQUE_IDENTIFIER values),
    rows_without_identifier, fte_zero, fte_above_1. headcount: distinct people per
    (PCN code, STAFF_ROLE) for rows that carry an identifier.
    """

    path: Path
    as_of: date
    records: list[NwrsRecord]
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    headcount: dict[tuple[str, str], int] = field(default_factory=dict)
    kind: str = KIND

    @property
    def total_fte(self) -> Decimal:
        return sum((r.fte for r in self.records), Decimal(0))


def detect(path: str | Path) -> bool:
    """True if the file's content looks like an NWRS PCN workforce CSV (the name is ignored).

    Lenient on purpose: a header with PCN_CODE and a staff role/group column is enough, so that
    a file with a missing FTE column is detected and then fails to parse with a named field.
    """
    path = Path(path)
    if not path.is_file():
        return False
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    if not head.strip() or b"\x00" in head or head[:2] == b"PK":
        return False
    text = head.decode("utf-8-sig", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    header = {norm(h.strip().strip('"')) for h in first.split(",")}
    return "PCN_CODE" in header and bool(
        header & {"STAFF_ROLE", "STAFF_GROUP", "DETAILED_STAFF_ROLE"}
    )


def _fte(path: Path, line: int, text: str) -> Decimal:
    raw = text.strip()
    if not raw:
        raise WorkforceFileError(path, line, "FTE", "FTE is blank")
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        raise WorkforceFileError(path, line, "FTE", f"{raw[:20]!r} is not a number") from None
    if not value.is_finite():
        raise WorkforceFileError(path, line, "FTE", f"{raw[:20]!r} is not a finite number")
    if value < 0:
        raise WorkforceFileError(path, line, "FTE", f"{raw[:20]!r} is negative")
    return value


def _census(path: Path, line: int, year_text: str, month_text: str) -> date:
    year_text, month_text = year_text.strip(), month_text.strip()
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
        raise WorkforceFileError(path, line, "CENSUS_YEAR", f"{year_text!r} is not a year")
    month = month_text
    if month[:3].upper() in _MONTHS and month.isalpha():  # "June" / "JUN" in some vintages
        month = str(_MONTHS[month[:3].upper()])
    if not month.isdigit() or not 1 <= int(month) <= 12:
        raise WorkforceFileError(
            path, line, "CENSUS_MONTH", f"{month_text!r} is not a month number 1-12 or name"
        )
    year, month_no = int(year_text), int(month)
    return date(year, month_no, calendar.monthrange(year, month_no)[1])


def parse(path: str | Path) -> ParsedWorkforce:
    """Parse the file; raises WorkforceFileError naming file, line and field on bad input."""
    path = Path(path)
    rows = CsvRows(path)
    c = find_columns(path, rows.header, COLUMNS)
    i_year, i_month, i_pcn, i_role, i_fte = (
        c["CENSUS_YEAR"],
        c["CENSUS_MONTH"],
        c["PCN_CODE"],
        c["STAFF_ROLE"],
        c["FTE"],
    )
    i_id = c["UNIQUE_IDENTIFIER"]
    records: list[NwrsRecord] = []
    census: tuple[str, str, date] | None = None
    people: set[str] = set()
    heads: dict[tuple[str, str], set[str]] = {}
    no_id = zero = above_1 = 0
    intern: dict[str, str] = {}

    def s(row: list[str], index: int | None) -> str:
        text = cell(row, index)
        return intern.setdefault(text, text)

    for line, row in rows:
        year_text, month_text = row[i_year], row[i_month]
        if census is None or (year_text, month_text) != census[:2]:
            day = _census(path, line, year_text, month_text)
            if census is not None and day != census[2]:
                raise WorkforceFileError(
                    path,
                    line,
                    "CENSUS_MONTH",
                    f"census {day:%B %Y} differs from the file's census {census[2]:%B %Y}",
                )
            census = (year_text, month_text, day)
        pcn = row[i_pcn].strip().upper()
        if not pcn:
            raise WorkforceFileError(path, line, "PCN_CODE", "PCN code is blank")
        role = s(row, i_role)
        if not role:
            raise WorkforceFileError(path, line, "STAFF_ROLE", "staff role is blank")
        fte = _fte(path, line, row[i_fte])
        if fte == 0:
            zero += 1
        elif fte > 1:
            above_1 += 1
        person = cell(row, i_id)
        if person:
            people.add(person)
            heads.setdefault((pcn, role), set()).add(person)
        else:
            no_id += 1
        records.append(
            NwrsRecord(
                data_source=s(row, c["DATA_SOURCE"]),
                pcn_code=intern.setdefault(pcn, pcn),
                pcn_name=s(row, c["PCN_NAME"]),
                sub_icb_code=s(row, c["SUB_ICB_CODE"]),
                icb_code=s(row, c["ICB_CODE"]).upper(),
                icb_name=s(row, c["ICB_NAME"]),
                region_code=s(row, c["COMM_REGION_CODE"]),
                region_name=s(row, c["COMM_REGION_NAME"]),
                staff_group=s(row, c["STAFF_GROUP"]),
                staff_role=role,
                detailed_staff_role=s(row, c["DETAILED_STAFF_ROLE"]),
                fte=fte,
            )
        )
    if census is None:
        raise WorkforceFileError(path, None, None, "file has a header but no staff rows")
    warnings: list[str] = []
    if c["ICB_CODE"] is None:
        warnings.append("no ICB_CODE column: ICB comparisons are not possible for this file")
    if zero:
        warnings.append(f"{zero} row(s) with FTE 0")
    icbs_of: dict[str, set[str]] = {}
    for r in records:
        icbs_of.setdefault(r.pcn_code, set()).add(r.icb_code)
    split = sorted(p for p, icbs in icbs_of.items() if len(icbs) > 1)
    if split:
        warnings.append(
            f"{len(split)} PCN(s) appear under more than one ICB (e.g. {split[0]}); "
            "the most common ICB is used"
        )
    counts = {
        "rows_read": len(records),
        "records": len(records),
        "pcns": len(icbs_of),
        "icbs": len({r.icb_code for r in records if r.icb_code}),
        "people": len(people),
        "rows_without_identifier": no_id,
        "fte_zero": zero,
        "fte_above_1": above_1,
    }
    by_source = Counter(r.data_source for r in records)
    for source, n in sorted(by_source.items()):
        counts[f"rows_{norm(source).lower() or 'unknown'}"] = n
    return ParsedWorkforce(
        path=path,
        as_of=census[2],
        records=records,
        warnings=warnings,
        counts=counts,
        headcount={k: len(v) for k, v in heads.items()},
    )
