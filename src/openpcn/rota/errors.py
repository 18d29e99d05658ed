"""Errors raised for bad rota input: each names the file, line and field."""

from __future__ import annotations


class RotaInputError(ValueError):
    """Bad rota input (instance, solution or benchmark file).

    ``source`` is the file (or "<json>"), ``line`` the 1-based line number when known and
    ``field`` the offending field, so that a PCN manager or a developer can find it.
    """

    def __init__(self, message: str, source: str = "", line: int | None = None, field: str = ""):
        self.source = source
        self.line = line
        self.field = field
        where = source or "input"
        if line is not None:
            where += f", line {line}"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")
