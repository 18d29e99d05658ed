"""Errors raised by the services engines.

File errors read like ``file.csv line 17, field VALUE: 'abc' is not a number``; they quote at
most one offending cell and never patient data.
"""

from __future__ import annotations

from pathlib import Path


class ServicesError(ValueError):
    """Base class: bad input to a services engine."""


class DataFileError(ServicesError):
    """A services data file (CQC care homes, IIF achievement) that cannot be used."""

    def __init__(self, path: str | Path, line: int | None, field: str | None, message: str):
        self.path = Path(path)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path.name
        if self.line is not None:
            where += f" line {self.line}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"

    def __reduce__(self):
        return (type(self), (self.path, self.line, self.field, self.message))


class FutureAdmissionError(ServicesError):
    """An admission dated after 'today'."""


class AlignmentConflict(ServicesError):
    """A care home claimed by two PCNs (or aligned twice)."""

    def __init__(self, location_id: str, pcns: tuple[str, str]):
        self.location_id = location_id
        self.pcns = pcns
        super().__init__(
            f"care home {location_id} is claimed by two PCNs: {pcns[0]} and {pcns[1]}; "
            "a care home is aligned to exactly one PCN"
        )
