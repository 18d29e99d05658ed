"""The rows of the ODS ePCN, read the same way whatever carries them: the workbook's two
sheets (:mod:`.ods_epcn`) or ODS Data Search and Export's two CSV reports
(:mod:`.ods_epcn_csv`). Each reader takes ``(line, cells, columns)`` triples, where
``columns`` maps the canonical column names of :data:`columns.EPCN_PCN` /
:data:`columns.EPCN_PARTNER` to cell indexes (None when the layout has no such column), and
raises :class:`RegistryFileError` naming the line and field of the first malformed row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers._common import date_cell
from openpcn.registry.records import EpcnMembership, EpcnPcn

Rows = Iterable[tuple[int, tuple | list, dict]]


def text(row, index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    return str(row[index]).strip()


def _cell(row, index: int | None):
    return None if index is None or index >= len(row) else row[index]


def parent_kind(header) -> str:
    """ "ccg" for a header naming Clinical Commissioning Groups (to June 2022), else
    "sub_icb"."""
    words = " ".join(str(v) for v in header if v is not None).upper()
    return "ccg" if "CLINICAL" in words or "CCG" in words else "sub_icb"


def _latest(latest: date | None, *days: date | None) -> date | None:
    return max((d for d in (latest, *days) if d is not None), default=None)


def read_pcns(
    path: Path, rows: Rows, sheet: str | None, parent_kind: str
) -> tuple[list[EpcnPcn], dict[str, int], date | None, int]:
    """(PCNs, PCN code -> line, latest date seen, rows read). A blank or repeated PCN code
    and an unreadable date are errors."""
    pcns: list[EpcnPcn] = []
    seen: dict[str, int] = {}
    latest = None
    n = 0
    for line, row, c in rows:
        n += 1
        code = text(row, c["PCN_CODE"]).upper()
        if not code:
            raise RegistryFileError(path, line, "PCN_CODE", "PCN code is blank", sheet)
        if code in seen:
            raise RegistryFileError(
                path, line, "PCN_CODE", f"duplicate PCN {code} (first at row {seen[code]})", sheet
            )
        seen[code] = line
        opened = date_cell(path, line, "OPEN_DATE", _cell(row, c["OPEN_DATE"]), sheet)
        closed = date_cell(path, line, "CLOSE_DATE", _cell(row, c["CLOSE_DATE"]), sheet)
        latest = _latest(latest, opened, closed)
        pcns.append(
            EpcnPcn(
                pcn_code=code,
                pcn_name=text(row, c["PCN_NAME"]),
                parent_code=text(row, c["PARENT_CODE"]),
                parent_name=text(row, c["PARENT_NAME"]),
                parent_kind=parent_kind,
                open_date=opened,
                close_date=closed,
                postcode=text(row, c["POSTCODE"]),
            )
        )
    return pcns, seen, latest, n


def read_members(
    path: Path, rows: Rows, sheet: str | None
) -> tuple[list[EpcnMembership], list[str], date | None, int]:
    """(relationships, warnings, latest date seen, rows read). Exact repeats are dropped with
    a warning; a blank code, an unreadable date or an end before the start are errors."""
    members: list[EpcnMembership] = []
    warnings: list[str] = []
    seen: dict[tuple, int] = {}
    latest = None
    n = 0
    where = sheet or path.name
    for line, row, c in rows:
        n += 1
        code = text(row, c["PARTNER_ORGANISATION_CODE"]).upper()
        pcn = text(row, c["PCN_CODE"]).upper()
        if not code:
            raise RegistryFileError(
                path, line, "PARTNER_ORGANISATION_CODE", "practice code is blank", sheet
            )
        if not pcn:
            raise RegistryFileError(path, line, "PCN_CODE", "PCN code is blank", sheet)
        start = date_cell(path, line, "START_DATE", _cell(row, c["START_DATE"]), sheet)
        end = date_cell(path, line, "END_DATE", _cell(row, c["END_DATE"]), sheet)
        if start and end and end < start:
            raise RegistryFileError(
                path, line, "END_DATE", f"end {end} is before start {start}", sheet
            )
        latest = _latest(latest, start, end)
        key = (code, pcn, start, end)
        if key in seen:
            warnings.append(
                f"{where} row {line}: repeat of row {seen[key]} "
                f"({code} in {pcn} from {start}) dropped"
            )
            continue
        seen[key] = line
        members.append(
            EpcnMembership(
                practice_code=code,
                practice_name=text(row, c["PARTNER_NAME"]),
                practice_parent_code=text(row, c["PRACTICE_PARENT_CODE"]),
                pcn_code=pcn,
                pcn_name=text(row, c["PCN_NAME"]),
                pcn_parent_code=text(row, c["PCN_PARENT_CODE"]),
                start_date=start,
                end_date=end,
            )
        )
    return members, warnings, latest, n


def counts(pcns: list, members: list[EpcnMembership], as_of: date, rows_read: int) -> dict:
    return {
        "rows_read": rows_read,
        "records": len(pcns) + len(members),
        "pcns": len(pcns),
        "relationships": len(members),
        "relationships_ended": sum(1 for m in members if m.end_date is not None),
        "relationships_open": sum(1 for m in members if m.end_date is None),
        "relationships_future": sum(1 for m in members if m.start_date and m.start_date > as_of),
        "practices_as_of": len({m.practice_code for m in members if m.active_on(as_of)}),
    }
