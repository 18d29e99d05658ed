"""Financial years (1 April to 31 March) as a type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"^(\d{4})[-/](\d{2}|\d{4})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The NHS financial year that starts on 1 April of ``start_year``."""

    start_year: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Parse '2024-25', '2024/25' or '2024-2025'."""
        m = _PATTERN.match(text.strip())
        if not m:
            raise ValueError(f"'{text}' is not a financial year; write it like 2024-25")
        start = int(m.group(1))
        end = m.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_year != start + 1:
            raise ValueError(f"'{text}' is not a financial year: the end must be the year after")
        return cls(start)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def current(cls, today: date | None = None) -> FinancialYear:
        """The financial year today's date falls in: the default year everywhere."""
        return cls.containing(today or date.today())

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return str(self)
