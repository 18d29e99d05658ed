"""The one exception every registry parser raises for a bad file.

Messages name the file, the line (or sheet and row) and the field, and quote at most the
offending cell. Registry files hold organisation-level counts, never patient data.
"""

from __future__ import annotations

from pathlib import Path


class RegistryFileError(ValueError):
    """A registry file that cannot be parsed.

    ``str(error)`` reads like
    ``gp-reg-pat-prac-all.csv line 17, field NUMBER_OF_PATIENTS: 'abc' is not a whole number``.
    ``line`` is the 1-based physical line (CSV) or row (xlsx); ``sheet`` is set for xlsx.
    """

    def __init__(
        self,
        path: str | Path,
        line: int | None,
        field: str | None,
        message: str,
        sheet: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.field = field
        self.message = message
        self.sheet = sheet
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path.name
        if self.sheet is not None:
            where += f" sheet '{self.sheet}'"
            if self.line is not None:
                where += f" row {self.line}"
        elif self.line is not None:
            where += f" line {self.line}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"

    def __reduce__(self):  # keep picklable despite the custom __init__
        return (type(self), (self.path, self.line, self.field, self.message, self.sheet))
