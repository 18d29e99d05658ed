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

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "key": self.key,
            "value": _jsonable(self.value),
            "unit": self.unit,
            "source": self.source,
            "verified": self.verified,
            "applies_from": self.applies_from.isoformat() if self.applies_from else None,
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


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
