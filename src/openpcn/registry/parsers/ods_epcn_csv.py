"""ODS Data Search and Export's two ePCN CSV reports, ``epcn.csv`` (the PCNs) and
``epcncorepartnerdetails.csv`` (dated practice membership): the two sheets of the ePCN
workbook, one file each, with no header row (like epraccur).

Layouts (ODS "GP and GP practice related data" CSV downloads; the same columns as the
workbook's sheets, in the same order):

- ``epcn``, 12 columns: 1 PCN code, 2 PCN name, 3 current sub-ICB location code, 4 sub-ICB
  location name, 5 open date, 6 close date, 7-11 address lines 1-5, 12 postcode.
- ``epcncorepartnerdetails``, 11 columns: 1 partner organisation code, 2 partner name,
  3 practice parent sub-ICB location code, 4 its name, 5 PCN code, 6 PCN name, 7 PCN parent
  sub-ICB location code, 8 its name, 9 practice to PCN relationship start date, 10 end date,
  11 "Practice Sub ICB and PCN Sub ICB Match?".

Which report a file is comes from its shape, never its name: the first row's width and code
patterns (a PCN code, U and five digits, first and a yyyymmdd date fifth: ``epcn``; an ODS
code first, a PCN code fifth and a date ninth: core partners). Data Search and Export can add
a header row ("Include headers"); such a file is read by column name through the workbook's
alias tables. Wider rows are accepted (extra columns ignored), shorter ones are errors naming
the missing field. Rows are read by the same readers as the workbook
(:mod:`._epcn_rows`), so both give the same records.

as_of rule: the reports carry no date, so as_of is the latest date recorded in the file (any
open, close, start or end date), as for a workbook without a "modified" property.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import columns
from openpcn.registry.parsers._common import CsvRows, ParsedFile, find_columns, norm
from openpcn.registry.parsers._epcn_rows import counts, parent_kind, read_members, read_pcns

KIND = "ods_epcn_csv"
#: the documented columns of each report, in file order (names as in the workbook's tables)
PCN_LAYOUT = (
    "PCN_CODE",
    "PCN_NAME",
    "PARENT_CODE",
    "PARENT_NAME",
    "OPEN_DATE",
    "CLOSE_DATE",
    "ADDRESS_LINE_1",
    "ADDRESS_LINE_2",
    "ADDRESS_LINE_3",
    "ADDRESS_LINE_4",
    "ADDRESS_LINE_5",
    "POSTCODE",
)
PARTNER_LAYOUT = (
    "PARTNER_ORGANISATION_CODE",
    "PARTNER_NAME",
    "PRACTICE_PARENT_CODE",
    "PRACTICE_PARENT_NAME",
    "PCN_CODE",
    "PCN_NAME",
    "PCN_PARENT_CODE",
    "PCN_PARENT_NAME",
    "START_DATE",
    "END_DATE",
    "SUB_ICB_MATCH",
)
MAX_WIDTH = 20  # epraccur and etr rows are 26+ wide
_PCN = re.compile(r"^U\d{5}$")
_ODS = re.compile(r"^[A-Z0-9]{3,8}$")
_DATE = re.compile(r"^\d{8}$")


def _report_of_row(row: list[str]) -> str | None:
    cells = [c.strip().upper() for c in row]
    if len(cells) >= len(PCN_LAYOUT) and _PCN.match(cells[0]) and _DATE.match(cells[4]):
        return "pcns"
    if (
        len(cells) >= len(PARTNER_LAYOUT)
        and _ODS.match(cells[0])
        and _PCN.match(cells[4])
        and _DATE.match(cells[8])
    ):
        return "partners"
    return None


def _report_of_header(row: list[str]) -> str | None:
    names = {norm(c) for c in row}
    if not any(columns.EPCN_PCN[0].matches(n) for n in names):
        return None
    if "PARTNER_ORGANISATION_CODE" in names:
        return "partners"
    if "PRACTICE_CODE" not in names and any(columns.EPCN_PCN[4].matches(n) for n in names):
        return "pcns"  # PCN code and open date
    return None


def looks_like(first_row: list[str]) -> bool:
    """A first row of either report: headerless by its shape, or the header Data Search and
    Export adds."""
    if len(first_row) > MAX_WIDTH:
        return False
    return _report_of_row(first_row) is not None or _report_of_header(first_row) is not None


def parse(path: str | Path) -> ParsedFile:
    path = Path(path)
    rows = CsvRows(path, header=False)
    lines = iter(rows)
    first = next(((n, r) for n, r in lines if any(c.strip() for c in r)), None)
    if first is None:
        raise RegistryFileError(path, None, None, "file is empty")
    headed = _report_of_header(first[1])
    report = headed or _report_of_row(first[1])
    if report is None:
        raise RegistryFileError(
            path,
            first[0],
            "PCN_CODE",
            f"row of {len(first[1])} columns is neither ODS report: epcn has 12 columns (a PCN "
            "code first), epcncorepartnerdetails 11 (a PCN code fifth)",
        )
    layout = PCN_LAYOUT if report == "pcns" else PARTNER_LAYOUT
    if headed:
        wanted = columns.EPCN_PCN if report == "pcns" else columns.EPCN_PARTNER
        cols = find_columns(path, first[1], wanted)
        data = _rows(path, lines, cols, tuple(norm(h) for h in first[1]))
    else:
        cols = {name: i for i, name in enumerate(layout)}
        data = _rows(path, _chain(first, lines), cols, layout)
    variant = report + ("_with_header" if headed else "")
    if report == "pcns":
        # the headerless report is of the sub-ICB era (Data Search and Export, 2024 on)
        kind = parent_kind(first[1]) if headed else "sub_icb"
        pcns, _, latest, n = read_pcns(path, data, None, kind)
        records, warnings = pcns, []
        summary_args = (pcns, [])
    else:
        members, warnings, latest, n = read_members(path, data, None)
        records = members
        summary_args = ([], members)
    if not records:
        raise RegistryFileError(path, None, None, "no data rows")
    if latest is None:
        raise RegistryFileError(path, None, None, "no dates in the file: cannot tell its date")
    summary = counts(*summary_args, latest, n)
    return ParsedFile(KIND, path, latest, records, warnings, summary, variant)


def _chain(first, rest):
    yield first
    yield from rest


def _rows(path: Path, lines, cols: dict, names: tuple[str, ...]):
    """(line, cells, columns) for each non-blank row; a row too short for a wanted column
    names the first field it lacks (``names``: the header's, or the documented layout's)."""
    need = max(i for i in cols.values() if i is not None) + 1
    for line, row in lines:
        if not any(c.strip() for c in row):
            continue
        if len(row) < need:
            missing = names[len(row)] if len(row) < len(names) else f"column {len(row) + 1}"
            raise RegistryFileError(
                path, line, missing, f"row has {len(row)} fields, expected {need} (truncated?)"
            )
        yield line, row, cols
