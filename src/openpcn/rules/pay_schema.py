"""The pydantic v2 schema every pay file (``data/pay/<yyyy-yy>.yaml``) must satisfy.

A pay file holds one financial year's figures for costing a post: Agenda for Change pay
points, London high cost area supplements, the salaried GP pay range, employer National
Insurance and employer NHS pension.  Every row carries ``source`` (tags from
``data/sources.yaml``) and ``verified``; optional ``applies_from`` / ``applies_to`` (default:
the year's first / last day) date a row that changed during the year; ``note`` says why a row
is unverified or how it was derived::

    year: 2024-25
    afc_pay_points:
      - {band: "7", point: 1, annual: "46148", source: [P2], verified: true}
    hcas:
      - {area: london_inner, percent: "20", minimum: "5414", maximum: "8171", source: [P8],
         verified: false, note: "2023/24 x 1.055"}
    salaried_gp:
      - {item: minimum, annual: "73113", source: [G32], verified: true}
    employer_ni:
      - {rate: "13.8", threshold: "9100", source: [P11], verified: true}
    employer_pension:
      - {rate: "14.38", source: [S8], verified: true}

Checks: known fields only; money and rates as quoted decimal strings or integers (never
floats), none negative, percentages at most 100; AfC bands 2-9 (8a-8d) with points from 1;
HCAS minimum <= maximum; dates inside the year, from <= to, and no two rows of the same thing
overlapping; every section present.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from openpcn.core.fyear import FinancialYear
from openpcn.rules.schema import SourceTags, _check_sources
from openpcn.rules.schema_common import err, fill_dates, parse_year

#: Agenda for Change bands in order (band 1 closed to new entrants in December 2018).
AFC_BANDS: tuple[str, ...] = ("2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")
HCAS_AREAS: tuple[str, ...] = ("london_inner", "london_outer")
GP_ITEMS: tuple[str, ...] = ("minimum", "maximum", "london_weighting", "arrs_salary")
SECTIONS: tuple[str, ...] = (
    "afc_pay_points",
    "hcas",
    "salaried_gp",
    "employer_ni",
    "employer_pension",
)


def _exact(data: Any, names: tuple[str, ...]) -> Any:
    if isinstance(data, dict):
        for name in names:
            v = data.get(name)
            if name in data and (isinstance(v, bool | float) or v is None):
                raise err(
                    "value_type",
                    f"field '{name}' must be a quoted decimal string (e.g. '13.8') or an integer",
                )
    return data


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")

    applies_from: date | None = None
    applies_to: date | None = None
    source: SourceTags
    verified: bool
    note: str = ""

    @field_validator("source")
    @classmethod
    def _source_known(cls, tags: list[str], info: ValidationInfo) -> list[str]:
        return _check_sources(tags, info)

    @staticmethod
    def _not_negative(value: Decimal, name: str) -> Decimal:
        if value < 0:
            raise err("negative", f"field '{name}' is {value}: it must not be negative")
        return value

    @staticmethod
    def _percent(value: Decimal, name: str) -> Decimal:
        _Row._not_negative(value, name)
        if value > 100:
            raise err("percent", f"field '{name}' is {value}: a percentage is at most 100")
        return value

    def label(self) -> str:  # what the row is, for messages
        return ""

    def series(self) -> str:  # rows of the same series must not overlap in time
        return self.label()


class PayPoint(_Row):
    """One AfC pay point: the full-time annual basic salary of ``band`` at ``point``."""

    band: str
    point: int
    annual: Decimal

    @model_validator(mode="before")
    @classmethod
    def _numbers(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("band"), int):
            data = {**data, "band": str(data["band"])}
        return _exact(data, ("annual",))

    @field_validator("band")
    @classmethod
    def _band(cls, value: str) -> str:
        if value not in AFC_BANDS:
            raise err("band", f"field 'band' is '{value}'; AfC bands are {', '.join(AFC_BANDS)}")
        return value

    @field_validator("point")
    @classmethod
    def _point(cls, value: int) -> int:
        if value < 1:
            raise err("point", f"field 'point' is {value}: points are numbered from 1 (entry)")
        return value

    @field_validator("annual")
    @classmethod
    def _annual(cls, value: Decimal) -> Decimal:
        return cls._not_negative(value, "annual")

    def label(self) -> str:
        return f"band {self.band} point {self.point}"


class Hcas(_Row):
    """A London high cost area supplement: ``percent`` of basic pay, between minimum and maximum."""

    area: Literal["london_inner", "london_outer"]
    percent: Decimal
    minimum: Decimal
    maximum: Decimal

    @model_validator(mode="before")
    @classmethod
    def _numbers(cls, data: Any) -> Any:
        return _exact(data, ("percent", "minimum", "maximum"))

    @field_validator("percent")
    @classmethod
    def _pct(cls, value: Decimal) -> Decimal:
        return cls._percent(value, "percent")

    @field_validator("minimum", "maximum")
    @classmethod
    def _money(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        return cls._not_negative(value, str(info.field_name))

    @model_validator(mode="after")
    def _range(self) -> Hcas:
        if self.minimum > self.maximum:
            raise err("range", f"field 'minimum' {self.minimum} is above 'maximum' {self.maximum}")
        return self

    def label(self) -> str:
        return f"HCAS {self.area}"


class SalariedGp(_Row):
    """A salaried GP figure: the DDRB range minimum / maximum, London weighting, or the salary
    NHS England used for the ARRS GP maximum (``arrs_salary``)."""

    item: Literal["minimum", "maximum", "london_weighting", "arrs_salary"]
    annual: Decimal

    @model_validator(mode="before")
    @classmethod
    def _numbers(cls, data: Any) -> Any:
        return _exact(data, ("annual",))

    @field_validator("annual")
    @classmethod
    def _annual(cls, value: Decimal) -> Decimal:
        return cls._not_negative(value, "annual")

    def label(self) -> str:
        return f"salaried GP {self.item}"


class EmployerNi(_Row):
    """Employer (secondary Class 1) National Insurance: ``rate`` % of pay above ``threshold`` £ a
    year."""

    rate: Decimal
    threshold: Decimal

    @model_validator(mode="before")
    @classmethod
    def _numbers(cls, data: Any) -> Any:
        return _exact(data, ("rate", "threshold"))

    @field_validator("rate")
    @classmethod
    def _rate(cls, value: Decimal) -> Decimal:
        return cls._percent(value, "rate")

    @field_validator("threshold")
    @classmethod
    def _threshold(cls, value: Decimal) -> Decimal:
        return cls._not_negative(value, "threshold")

    def label(self) -> str:
        return "employer NI"


class EmployerPension(_Row):
    """Employer NHS pension contribution a GP-practice employer pays, % of pensionable pay."""

    rate: Decimal

    @model_validator(mode="before")
    @classmethod
    def _numbers(cls, data: Any) -> Any:
        return _exact(data, ("rate",))

    @field_validator("rate")
    @classmethod
    def _rate(cls, value: Decimal) -> Decimal:
        return cls._percent(value, "rate")

    def label(self) -> str:
        return "employer pension"


class PayFile(BaseModel):
    """A whole year's pay file."""

    model_config = ConfigDict(extra="forbid")

    year: str
    afc_pay_points: list[PayPoint]
    hcas: list[Hcas]
    salaried_gp: list[SalariedGp]
    employer_ni: list[EmployerNi]
    employer_pension: list[EmployerPension]

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> str:
        return parse_year(value)

    @model_validator(mode="after")
    def _dates(self) -> PayFile:
        fy = FinancialYear.parse(self.year)
        for section in SECTIONS:
            rows: list[_Row] = getattr(self, section)
            for i, row in enumerate(rows):
                fill_dates(row, fy, f"{section} #{i} ({row.label()})", span=True)
            by_series: dict[str, list[tuple[int, _Row]]] = {}
            for i, row in enumerate(rows):
                by_series.setdefault(row.series(), []).append((i, row))
            for items in by_series.values():
                items.sort(key=lambda item: item[1].applies_from)
                for (i, a), (j, b) in zip(items, items[1:], strict=False):
                    if b.applies_from <= a.applies_to:
                        raise err(
                            "overlap",
                            f"{section} #{j} ({b.label()}): field 'applies_from' "
                            f"{b.applies_from} overlaps {section} #{i} "
                            f"({a.applies_from} to {a.applies_to})",
                        )
        return self
