"""The network agreement: the practices that signed it (its parties) and the dates it runs.

A PCN has one agreement in force on any day, so two of its agreements never overlap (the
shared rule of :mod:`openpcn.core.periods`), and every party must be one of the PCN's member
practices as at the agreement's start (the data layer asks the registry and hands the answer
in as ``members``: code -> name)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from openpcn.core.periods import Period, overlap_message


def agreement_problems(
    *,
    pcn: str,
    start: date | None,
    end: date | None,
    signed: date | None,
    parties: Collection[str],
    members: Mapping[str, str],
    existing: Collection[Period],
) -> list[str]:
    """Everything wrong with an agreement, in words (empty: it may be saved)."""
    problems = []
    if start is None:
        problems.append("enter the date the agreement starts, like 2026-04-01")
    if end is not None and start is not None and end < start:
        problems.append(f"the agreement's end {end} is before its start {start}")
    if signed is not None and end is not None and signed > end:
        problems.append(f"the agreement was signed on {signed}, after it ended on {end}")
    codes = sorted({(c or "").strip().upper() for c in parties if (c or "").strip()})
    if not codes:
        problems.append("tick at least one member practice that signed the agreement (a party)")
    strangers = [c for c in codes if c not in members]
    if strangers and start is not None:
        problems.append(
            f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not a member "
            f"practice of {pcn} as at {start} (the agreement's start), so cannot be a party"
        )
    if start is not None and not problems:
        clash = overlap_message(list(existing), Period(start, end), "the agreement")
        if clash:
            problems.append(clash)
    return problems


def in_force(periods: Mapping[int, Period], on: date) -> int | None:
    """The id of the agreement in force on ``on`` (there is at most one), or None."""
    return next((key for key, p in periods.items() if p.covers(on)), None)
