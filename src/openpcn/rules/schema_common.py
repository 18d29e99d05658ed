"""Checks every year-shaped rule-like file shares (rules, pay, ICB overlays).

Each file names one financial year; each dated row defaults to the year's first and last day,
must lie inside it and must not end before it starts.  The messages name the row (``where``)
and the field, so the loaders can turn them into "file line N, row ...: field ..." errors.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic_core import PydanticCustomError

from openpcn.core.fyear import FinancialYear


def err(kind: str, message: str) -> PydanticCustomError:
    """A validation error pydantic reports with ``message`` as it stands."""
    return PydanticCustomError(kind, message)


def parse_year(value: Any) -> str:
    """The ``year`` field: a financial year in any spelling FinancialYear reads."""
    try:
        return str(FinancialYear.parse(str(value)))
    except ValueError as exc:
        raise err("year", str(exc)) from None


class DatedRow(Protocol):
    applies_from: Any
    applies_to: Any


def fill_dates(row: DatedRow, fy: FinancialYear, where: str, *, span: bool = False) -> None:
    """Default ``row``'s dates to the year's first/last day; refuse dates outside the year or
    ending before they start.  ``span`` adds the year's dates to the "outside" message."""
    row.applies_from = row.applies_from or fy.start
    row.applies_to = row.applies_to or fy.end
    for name in ("applies_from", "applies_to"):
        day = getattr(row, name)
        if day not in fy:
            extra = f" ({fy.start} to {fy.end})" if span else ""
            raise err("date", f"{where}: field '{name}' {day} is outside {fy}{extra}")
    if row.applies_to < row.applies_from:
        raise err("date", f"{where}: field 'applies_to' is before 'applies_from'")
