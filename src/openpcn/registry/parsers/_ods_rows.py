"""The rows of an ODS file in the epraccur layout (epraccur, etr: no header row, 27 columns),
read one way: blank rows skipped, a short row, a bad code or a repeated code is an error
naming the line, each row given with its upper-case code."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers._common import CsvRows

MIN_COLUMNS = 26  # the specification's 27; files with 26 are read


class OdsRows:
    """Iterate (line, row, code). ``name`` is the file's in messages. ``is_header`` skips a
    header row some exports add before the first row (``headed`` says one was); with
    ``fields`` (0-based column -> field name) a row narrower than the first is a truncated
    row, else every row needs MIN_COLUMNS; ``alnum`` also refuses codes with other
    characters than letters and digits."""

    def __init__(
        self,
        path: Path,
        name: str,
        *,
        is_header: Callable[[list[str]], bool] | None = None,
        fields: dict[int, str] | None = None,
        alnum: bool = False,
    ) -> None:
        self.path, self.name = path, name
        self.is_header, self.fields, self.alnum = is_header, fields, alnum
        self.headed = False
        self.read = 0  # data rows read (not blank, not the header)

    def _short(self, line: int, row: list[str]) -> RegistryFileError:
        return RegistryFileError(
            self.path,
            line,
            f"column {len(row) + 1}",
            f"row has {len(row)} columns; {self.name} has 27 (no header row)",
        )

    def __iter__(self) -> Iterator[tuple[int, list[str], str]]:
        path, seen, width = self.path, {}, None
        for line, row in CsvRows(path, header=False):
            if not any(c.strip() for c in row):
                continue
            if not self.read and not self.headed and self.is_header and self.is_header(row):
                self.headed = True
                continue
            self.read += 1
            if self.fields is None or width is None:
                if len(row) < MIN_COLUMNS:
                    raise self._short(line, row)
                width = len(row)
            elif len(row) < width:
                raise RegistryFileError(
                    path,
                    line,
                    self.fields.get(len(row), f"column {len(row) + 1}"),
                    f"row has {len(row)} fields, expected {width} (truncated row?)",
                )
            code = row[0].strip().upper()
            if self.alnum and (not code or not code.isalnum()):
                raise RegistryFileError(
                    path, line, "ORGANISATION_CODE", f"{row[0]!r} is not an ODS code"
                )
            if not code:
                raise RegistryFileError(path, line, "ORGANISATION_CODE", "code is blank")
            if code in seen:
                raise RegistryFileError(
                    path,
                    line,
                    "ORGANISATION_CODE",
                    f"duplicate code {code} (first at line {seen[code]})",
                )
            seen[code] = line
            yield line, row, code
