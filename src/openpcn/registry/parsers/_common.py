"""Shared pieces of the registry parsers: the ParsedFile result, CSV reading, cells.

CSV files are read as UTF-8 (a BOM is dropped), any newline convention, quoted fields.
Header names are normalised (upper case, runs of other characters -> "_"), so
"Practice\\nOrganisation\\nCode", "Practice Organisation Code" and PRACTICE_ORGANISATION_CODE
are the same column; columns are found by name, so order changes and extra columns are fine.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from openpcn.registry.errors import RegistryFileError


@dataclass
class ParsedFile:
    """What a parser returns.

    - kind: stable file-type string (see ``openpcn.registry.parsers.KINDS``).
    - path: the file parsed.
    - as_of: the date the content is true for, read from the content (rule per parser).
    - records: the parsed rows (record classes in ``openpcn.registry.records``).
    - warnings: human-readable notes (dropped total rows, implausible rows, ...).
    - counts: row counts, at least ``rows_read`` (data rows seen) and ``records``.
    - variant: which layout was met (e.g. "ccg"/"icb", "old"/"new", "2022"/"2025").
    """

    kind: str
    path: Path
    as_of: date
    records: list
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    variant: str = ""

    def of(self, cls: type) -> list:
        """The records of one class (an ePCN file holds PCNs and memberships)."""
        return [r for r in self.records if isinstance(r, cls)]


_NORM = re.compile(r"[^A-Z0-9+]+")


def norm(name: object) -> str:
    """Normalise a header cell: 'Partner\\nOrganisation\\nCode' -> 'PARTNER_ORGANISATION_CODE'."""
    text = "" if name is None else str(name)
    return _NORM.sub("_", text.replace("\ufeff", "").upper()).strip("_")


@dataclass(frozen=True)
class Col:
    """A wanted column: canonical name, accepted normalised names (or regexes), required."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def matches(self, normalised: str) -> bool:
        for alias in (self.name, *self.aliases):
            if alias.startswith("^"):
                if re.match(alias, normalised):
                    return True
            elif alias == normalised:
                return True
        return False


def find_columns(
    path: Path, header: list, wanted: list[Col], sheet: str | None = None
) -> dict[str, int | None]:
    """Map each wanted column to its index in ``header`` (None if optional and absent)."""
    normalised = [norm(h) for h in header]
    found: dict[str, int | None] = {}
    for col in wanted:
        hits = [i for i, h in enumerate(normalised) if col.matches(h)]
        if len(hits) > 1:
            raise RegistryFileError(
                path, 1, col.name, f"column appears {len(hits)} times in the header", sheet
            )
        if not hits:
            if col.required:
                shown = ", ".join(h for h in normalised if h) or "(nothing)"
                raise RegistryFileError(
                    path,
                    1,
                    col.name,
                    f"required column {col.name} is missing or renamed (header has: {shown})",
                    sheet,
                )
            found[col.name] = None
        else:
            found[col.name] = hits[0]
    return found


def read_text(path: Path) -> str:
    """The file as text: UTF-8 (BOM dropped). Empty or non-UTF-8 files raise."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise RegistryFileError(path, None, None, "file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = data.count(b",", line_start, exc.start)
        header = data.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip().split(",")
        field_name = header[column].strip('"') if column < len(header) else f"column {column + 1}"
        if line == 1:
            field_name = f"header column {column + 1}"
        raise RegistryFileError(
            path,
            line,
            field_name,
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8 (save the file as UTF-8)",
        ) from None


class CsvRows:
    """Iterate the data rows of a headed CSV as (line number, row), checking their width."""

    def __init__(self, path: Path, text: str | None = None, header: bool = True) -> None:
        self.path = Path(path)
        text = read_text(self.path) if text is None else text
        self._reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        self.header: list[str] = []
        if header:
            self.header = self._next_nonblank() or []
            if not self.header:
                raise RegistryFileError(self.path, None, None, "file is empty")
        self.width = len(self.header)

    def _next_nonblank(self) -> list[str] | None:
        for row in self._guarded():
            if any(cell.strip() for cell in row):
                return row
        return None

    def _guarded(self) -> Iterator[list[str]]:
        reader = self._reader
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise RegistryFileError(
                    self.path, reader.line_num, None, f"malformed CSV ({exc}); truncated file?"
                ) from None
            yield row

    def name_of(self, index: int) -> str:
        if index < len(self.header):
            return norm(self.header[index]) or f"column {index + 1}"
        return f"column {index + 1}"

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        width = self.width
        reader = self._reader
        for row in self._guarded():
            if len(row) != width and width:
                if not any(cell.strip() for cell in row):
                    continue  # blank line
                if len(row) < width:
                    raise RegistryFileError(
                        self.path,
                        reader.line_num,
                        self.name_of(len(row)),
                        f"row has {len(row)} fields, expected {width} (truncated row?)",
                    )
                if any(cell.strip() for cell in row[width:]):
                    raise RegistryFileError(
                        self.path,
                        reader.line_num,
                        self.name_of(width),
                        f"row has {len(row)} fields, expected {width}",
                    )
                row = row[:width]
            yield reader.line_num, row


def to_int(path: Path, line: int, field_name: str, text: str, sheet: str | None = None) -> int:
    """A non-negative whole number ("1,234" and "12.0" accepted)."""
    raw = text
    if isinstance(text, int | float) and not isinstance(text, bool):
        if text != int(text) or text < 0:
            raise RegistryFileError(
                path, line, field_name, f"{text!r} is not a whole number >= 0", sheet
            )
        return int(text)
    text = str(text).strip().replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        if text.startswith("-") and text[1:].isdigit():
            raise RegistryFileError(path, line, field_name, f"{raw!r} is negative", sheet)
        raise RegistryFileError(path, line, field_name, f"{raw!r} is not a whole number", sheet)
    return int(text)


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}
_EXCEL_EPOCH = date(1899, 12, 30)


@lru_cache(maxsize=4096)
def _parse_date_text(text: str) -> date:
    t = text.strip()
    if re.fullmatch(r"\d{8}", t):  # 20220101
        return date(int(t[:4]), int(t[4:6]), int(t[6:]))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?", t)  # 2025-04-01
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})[-\s]?([A-Za-z]{3})[-\s]?(\d{4}|\d{2})", t)  # 01JAN2022
    if m and m[2].upper() in _MONTHS:
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        return date(year, _MONTHS[m[2].upper()], int(m[1]))
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})", t)  # 01/01/2025 (UK day first)
    if m:
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        return date(year, int(m[2]), int(m[1]))
    if re.fullmatch(r"\d{5}(\.0+)?", t):  # an Excel serial day number
        return _EXCEL_EPOCH + timedelta(days=int(float(t)))
    raise ValueError(t)


def parse_date(value: object) -> date | None:
    """A date from text or an Excel cell; None for blank. Raises ValueError if unreadable.

    Accepts 20220101, 2022-01-01, 01JAN2022 / 01Jan2022 / 01-Jan-22, 01/01/2022 (day first),
    Excel serial numbers and datetime/date cells.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231:
            return _parse_date_text(str(int(value)))
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = str(value).strip()
    if not text:
        return None
    try:
        return _parse_date_text(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date") from None


def date_cell(
    path: Path, line: int, field_name: str, value: object, sheet: str | None = None
) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        raise RegistryFileError(
            path, line, field_name, f"{str(value)!r} is not a date", sheet
        ) from None


def cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None else ""


def once_per_file(seen: dict[str, int], code: str, path, line: int) -> None:
    """Refuse a practice that a file names twice (naming the line it first stood on)."""
    if code in seen:
        raise RegistryFileError(
            path, line, "PRACTICE_CODE", f"duplicate practice {code} (first at line {seen[code]})"
        )
    seen[code] = line
