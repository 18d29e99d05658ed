"""Role cost: the constants, the error and the result type (see
:mod:`openpcn.finance.role_cost`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpcn.core.figures import DataRef, Figure, RuleRef
from openpcn.core.months import add_months, month_end, month_start
from openpcn.finance.errors import FinanceError

GP_ROLE = "gp"
REGION_ALIASES = {"inner_london": "london_inner", "outer_london": "london_outer"}
REGIONS = ("national", "london_outer", "london_inner")
REGION_NAMES = {
    "national": "outside London",
    "london_outer": "outer London",
    "london_inner": "inner London",
}
GBP_YEAR = "GBP a year"
MAX_WTE = Decimal(10)
HUNDRED = Decimal(100)
TWELVE = Decimal(12)
LINES = ("salary", "london", "employer_ni", "employer_pension")
LINE_LABELS = {
    "salary": "Salary",
    "london": "London supplement",
    "employer_ni": "Employer National Insurance",
    "employer_pension": "Employer NHS pension",
    "total": "Total cost",
}


class RoleCostError(FinanceError):
    """Bad input to the role cost calculator; the message says what to change."""


@dataclass(frozen=True)
class RoleCost:
    """A post's cost, line by line, and how it compares with the role maximum."""

    role: str
    role_name: str
    year: str
    start: date
    months: int
    wte: Decimal
    region: str
    band: str | None
    point: int | None
    pay_basis: str
    annual: dict[str, Figure]  # per WTE, a year at the rates on ``start``; keys LINES + total
    period: dict[str, Figure]  # ``months`` from ``start`` at ``wte``; keys LINES + total
    maximum_annual: Figure | None
    maximum: Figure | None
    reimbursable: Figure | None
    top_up: Figure | None
    gaps: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def end(self) -> date:
        last = add_months(month_start(self.start), self.months - 1)
        return month_end(last)

    @property
    def pay_description(self) -> str:
        """How the salary was chosen, in words."""
        if self.pay_basis == "pay point":
            return f"Agenda for Change band {self.band} point {self.point}"
        return {
            "arrs_salary": "the salary in NHS England's ARRS GP maximum",
            "minimum": "the salaried GP range minimum",
        }.get(self.pay_basis, self.pay_basis)

    @property
    def annual_total(self) -> Figure:
        return self.annual["total"]

    @property
    def total(self) -> Figure:
        return self.period["total"]

    @property
    def verified(self) -> bool:
        figures = [*self.period.values(), self.maximum]
        return all(f.verified for f in figures if f is not None)

    def sources(self) -> list[dict[str, Any]]:
        """Every rule and pay figure used, once each: year, key, value, unit, file/line, source,
        verified."""
        seen: dict[tuple[str, str, str], dict[str, Any]] = {}
        figures = [*self.annual.values(), *self.period.values()]
        figures += [f for f in (self.maximum_annual, self.maximum, self.reimbursable) if f]
        for fig in figures:
            for ref, data in _refs(fig):
                where = data.source if data else ""
                key = (ref.year, ref.key, str(ref.applies_from))
                if key not in seen:
                    seen[key] = {
                        "year": ref.year,
                        "key": ref.key,
                        "value": ref.value,
                        "unit": ref.unit,
                        "applies_from": ref.applies_from,
                        "where": where,
                        "source": ref.source,
                        "verified": ref.verified,
                    }
        return sorted(seen.values(), key=lambda s: (s["key"], str(s["applies_from"])))

    def as_dict(self) -> dict[str, Any]:
        def fig(f: Figure | None) -> dict[str, Any] | None:
            return f.as_dict() if f is not None else None

        return {
            "role": self.role,
            "role_name": self.role_name,
            "year": self.year,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "months": self.months,
            "wte": str(self.wte),
            "region": self.region,
            "band": self.band,
            "point": self.point,
            "pay_basis": self.pay_basis,
            "pay_description": self.pay_description,
            "annual_per_wte": {k: fig(v) for k, v in self.annual.items()},
            "period": {k: fig(v) for k, v in self.period.items()},
            "maximum_per_wte_per_year": fig(self.maximum_annual),
            "maximum": fig(self.maximum),
            "reimbursable": fig(self.reimbursable),
            "top_up": fig(self.top_up),
            "verified": self.verified,
            "gaps": list(self.gaps),
            "notes": list(self.notes),
            "sources": [
                {**s, "value": str(s["value"]), "applies_from": _iso(s["applies_from"])}
                for s in self.sources()
            ],
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _refs(fig: Figure) -> Iterable[tuple[RuleRef, DataRef | None]]:
    data = {d.source.split(" line ")[0]: d for d in fig.data}
    for i, ref in enumerate(fig.rules):
        yield ref, fig.data[i] if i < len(fig.data) else next(iter(data.values()), None)
    for sub in fig.inputs:
        yield from _refs(sub)
