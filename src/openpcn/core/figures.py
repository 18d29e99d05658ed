"""Explained figures: a number together with the rule rows and data it came from.

Every figure OpenPCN shows travels as a :class:`Figure`, so that pages, the API and
exports can all answer "how was this worked out?" from one object, rendered by one
renderer (``openpcn.web.explain``).  This module imports no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class RuleRef:
    """The rule row a figure used: financial year, key, value, source and verified flag."""

    year: str
    key: str
    value: Any
    unit: str = ""
    source: str = ""
    verified: bool = True
    applies_from: date | None = None
    #: Words a reader must see beside the figure: "assumed unchanged from 2025-26 (the 2026-27
    #: figure is not yet published)", "national rule, varied by ICB X from D".
    caveat: str = ""
    varied_by: str = ""  # "national rule, varied by <ICB> from <date> (...)" for ICB overlays

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "key": self.key,
            "value": _jsonable(self.value),
            "unit": self.unit,
            "source": self.source,
            "verified": self.verified,
            "applies_from": self.applies_from.isoformat() if self.applies_from else None,
            "caveat": self.caveat,
            "varied_by": self.varied_by,
        }


@dataclass(frozen=True)
class DataRef:
    """The data a figure used: a file (or dataset) and its as-of date.

    ``patients`` is the number of patients counted for patient-level figures; the
    patients themselves are listed by the audited patient views, never here.
    """

    source: str
    as_of: date | None = None
    description: str = ""
    patients: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "description": self.description,
            "patients": self.patients,
        }


@dataclass(frozen=True)
class Figure:
    """A computed number with its unit, the rules and data it used, and its inputs."""

    label: str
    value: Any
    unit: str = ""
    method: str = ""
    rules: tuple[RuleRef, ...] = ()
    data: tuple[DataRef, ...] = ()
    inputs: tuple[Figure, ...] = field(default_factory=tuple)

    @property
    def verified(self) -> bool:
        """False if any rule it used, directly or through its inputs, is unverified."""
        return all(r.verified for r in self.rules) and all(i.verified for i in self.inputs)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": _jsonable(self.value),
            "unit": self.unit,
            "method": self.method,
            "verified": self.verified,
            "rules": [r.as_dict() for r in self.rules],
            "data": [d.as_dict() for d in self.data],
            "inputs": [i.as_dict() for i in self.inputs],
        }


#: money units that are sums of money (shown to the penny); other GBP units are rates
AMOUNTS = ("GBP", "GBP per year", "GBP per month", "GBP a year", "GBP a month")
PERCENT = ("%", "percent", "per cent")
NOT_AVAILABLE = "not available"


def _trim(value: Decimal, places: str = "0.01") -> str:
    """A number to at most 2 (or ``places``) decimal places, with thousands separators, no
    trailing zeros."""
    q = value.quantize(Decimal(places))
    text = f"{q:,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _ordinal(n: str) -> str:
    if "." in n:
        return n + "th"
    last2 = int(n) % 100
    suffix = "th" if 10 <= last2 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(last2 % 10, "th")
    return n + suffix


def shown(value: Any, unit: str = "") -> str:
    """A figure's value as people read it: money to the penny (rates keep their digits),
    percentages to 2 places, percentiles as ordinals, counts with thousands separators,
    other numbers to at most 2 places, and "not available" for None (never "None")."""
    unit = (unit or "").strip()
    if value is None:
        return NOT_AVAILABLE
    if unit == "none":  # a rule row saying no figure is published (arrs_max_none_published)
        return "no figure published"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return f"{value} {unit}".strip()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, int | float | Decimal):
        return str(value)
    number = value if isinstance(value, int) else Decimal(str(value))
    if unit.startswith("GBP"):
        rest = unit[3:].replace("_", " ").strip()
        if unit in AMOUNTS or isinstance(number, int):
            money = f"£{Decimal(number).quantize(Decimal('0.01')):,}"
        else:  # a rate per patient or bed: keep its published digits, at least pennies
            exact = Decimal(number).normalize()
            if -exact.as_tuple().exponent < 2:
                exact = exact.quantize(Decimal("0.01"))
            money = f"£{exact:,}"
        return f"{money} {rest}".strip()
    if unit == "percentile":
        return f"{_ordinal(_trim(Decimal(number), '0.1'))} percentile"
    if unit in PERCENT:
        return f"{_trim(Decimal(number))}%"
    if unit == "WTE":  # whole-time equivalents: a clinical director's 0.145 is not 0.14
        return f"{_trim(Decimal(number), '0.001')} WTE"
    text = f"{number:,}" if isinstance(number, int) else _trim(number)
    return f"{text} {unit}".strip()


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
