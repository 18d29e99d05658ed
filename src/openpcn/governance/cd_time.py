"""The clinical director's time against the time the Network Contract DES funds.

The DES funds Clinical Director time at a WTE per 50,000 patients (0.25 in every year's
rules file: ``clinical_director_wte_per_50000_patients``, with its source and whether it is
verified). For a PCN of P patients (its adjusted population, from the NHS England PCN
population file summed over the members as at the date) that is

    funded WTE = rule x P / 50,000, funded hours a week = funded WTE x 37.5

(1.0 WTE = 37.5 hours a week, the NHS full-time week the workforce files use). The director's
recorded hours come from the PCN's own record: spells of time (from, to, hours a week) that
never overlap (:mod:`openpcn.core.periods`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from openpcn.core.figures import DataRef, Figure, RuleRef
from openpcn.core.periods import Period, overlap_message

RULE_KEY = "clinical_director_wte_per_50000_patients"
PER_PATIENTS = 50_000
HOURS_PER_WTE = Decimal("37.5")
MAX_HOURS = Decimal("37.5")  # a full-time week: more is not one person's time


def hours_value(text: str) -> tuple[Decimal | None, str | None]:
    """Hours a week from a form's text: (hours, None) or (None, the problem in words)."""
    try:
        hours = Decimal(str(text or "").strip())
    except InvalidOperation:
        return None, "enter the clinical director's hours a week as a number, like 9.5"
    if not hours.is_finite() or hours <= 0:
        return None, "the hours a week must be more than 0"
    if hours.as_tuple().exponent < -2:
        return None, "write the hours a week with at most 2 decimal places, like 9.25"
    if hours > MAX_HOURS:
        return None, f"the hours a week must be at most {MAX_HOURS} (a full-time week)"
    return hours, None


def spell_problems(
    director: str,
    start: date | None,
    end: date | None,
    hours: str,
    existing: Collection[Period],
) -> list[str]:
    """A spell needs the director's name, a start, an end (if any) after it, hours a week
    as typed (see :func:`hours_value`) and dates clear of the PCN's other spells."""
    problems = []
    if not (director or "").strip():
        problems.append("name the clinical director")
    if start is None:
        problems.append("enter the date these hours start, like 2026-04-01")
    elif end is not None and end < start:
        problems.append(f"the end {end} is before the start {start}")
    problem = hours_value(hours)[1]
    if problem:
        problems.append(problem)
    if not problems:
        clash = overlap_message(list(existing), Period(start, end), "the clinical director's time")
        if clash:
            problems.append(clash)
    return problems


@dataclass(frozen=True)
class CdTime:
    funded_wte: Figure
    funded_hours: Figure
    recorded_hours: Figure | None  # None: no spell covers the date
    difference: Figure | None  # recorded minus funded hours a week

    def as_dict(self) -> dict:
        return {
            "funded_wte": self.funded_wte.as_dict(),
            "funded_hours": self.funded_hours.as_dict(),
            "recorded_hours": self.recorded_hours.as_dict() if self.recorded_hours else None,
            "difference": self.difference.as_dict() if self.difference else None,
        }


def cd_time(
    *,
    rule: RuleRef,
    population: int,
    population_ref: DataRef,
    recorded: Decimal | None,
    recorded_ref: DataRef,
) -> CdTime:
    """The funded time for ``population`` patients under ``rule`` beside the ``recorded`` hours
    a week (None when the PCN has recorded none for the date)."""
    per = Decimal(str(rule.value))
    wte = per * Decimal(population) / PER_PATIENTS
    pop = Figure("Adjusted population", population, "patients", data=(population_ref,))
    funded_wte = Figure(
        "Clinical director time funded",
        wte.quantize(Decimal("0.001"), ROUND_HALF_UP),
        "WTE",
        method=f"{per} WTE x {population:,} patients / {PER_PATIENTS:,}, shown to 0.001 WTE",
        rules=(rule,),
        inputs=(pop,),
    )
    hours = wte * HOURS_PER_WTE
    funded_hours = Figure(
        "Funded hours a week",
        hours,
        "hours a week",
        method=f"{wte.normalize():f} WTE x {HOURS_PER_WTE} hours a week (1.0 WTE = 37.5 hours)",
        inputs=(funded_wte,),
    )
    if recorded is None:
        return CdTime(funded_wte, funded_hours, None, None)
    rec = Figure("Recorded hours a week", recorded, "hours a week", data=(recorded_ref,))
    diff = Figure(
        "Recorded minus funded",
        recorded - hours,
        "hours a week",
        method=f"{recorded} recorded - {hours.normalize():f} funded hours a week "
        "(more than 0: the director gives more time than the DES funds)",
        inputs=(rec, funded_hours),
    )
    return CdTime(funded_wte, funded_hours, rec, diff)
