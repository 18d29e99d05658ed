"""Dated periods (inclusive; an open end is None) and the overlap rule dated records keep: two
versions of a neighbourhood's footprint, two rows of the same partner in the same role, two
network agreements of one PCN or two spells of its clinical director's time never cover the
same day. Shared by the neighbourhoods and governance engines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"the end {self.end} is before the start {self.start}")

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, other: Period) -> bool:
        return (other.end is None or self.start <= other.end) and (
            self.end is None or other.start <= self.end
        )

    def label(self) -> str:
        return f"{self.start} to {self.end}" if self.end else f"from {self.start} (open)"


def overlap_message(existing: list[Period], new: Period, what: str) -> str | None:
    """A message naming the first existing period ``new`` overlaps, or None."""
    for old in sorted(existing, key=lambda p: p.start):
        if new.overlaps(old):
            return (
                f"{what} {new.label()} overlaps the one {old.label()}: end that one first "
                "or choose dates that do not overlap"
            )
    return None


def end_problems(start: date, end: date | None, others: list[Period], what: str) -> list[str]:
    """Ending (or re-ending) a period that starts on ``start`` on ``end``: the end must be a
    date on or after the start, and the shortened period must still clear the ``others``."""
    if end is None:
        return [f"enter the date {what} ends, like 2026-03-31"]
    if end < start:
        return [f"the end {end} is before {what}'s start {start}"]
    clash = overlap_message(others, Period(start, end), what)
    return [clash] if clash else []
