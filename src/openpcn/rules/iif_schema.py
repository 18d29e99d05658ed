"""Pydantic schema of an IIF definitions file (``definitions/<yyyy-yy>.yaml``).

Thresholds are percentages. ``direction: up`` means higher achievement is better
(lower_threshold < upper_threshold); ``down`` the reverse (lower_threshold > upper_threshold).
Payment indicators need thresholds and points; management indicators carry none (no money).
An indicator whose points or thresholds are not known from a source has ``verified: false``;
one with unknown points cannot be paid and is reported without an amount.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from openpcn.core.fyear import FinancialYear

MEASURE_ROLES = ("numerator", "denominator")


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]{2,4}-\d{2}[A-Za-z]?$")
    file_codes: tuple[str, ...] = ()  # IND_CODE values in the achievement file
    kind: Literal["payment", "management"]
    description: str
    numerator: str  # meaning
    denominator: str  # meaning
    #: what the numerator counts, plural ("appointments", "referrals", "patients"): the unit of
    #: "N more ... to reach the threshold"
    counts: str = Field(min_length=1, pattern=r"^[a-z][a-z ]*$")
    #: MEASURE names in the achievement file, by role (numerator, denominator, others)
    measures: dict[str, str] = Field(default_factory=dict)
    level: Literal["practice", "pcn"] = "pcn"  # where the file publishes the measures
    direction: Literal["up", "down"] = "up"
    lower_threshold: Decimal | None = None
    upper_threshold: Decimal | None = None
    points: int | None = None
    list_size_adjustment: bool = False
    prevalence_adjustment: bool = False
    #: the year's published outcome awarded every PCN full points regardless of achievement
    awarded_in_full: bool = False
    source: tuple[str, ...] = Field(min_length=1)
    verified: bool
    note: str = ""

    @field_validator("lower_threshold", "upper_threshold", mode="before")
    @classmethod
    def _no_float(cls, v):
        if isinstance(v, float):
            raise ValueError("write thresholds as quoted decimals or integers, not floats")
        return v

    @model_validator(mode="after")
    def _check(self) -> Indicator:
        lt, ut = self.lower_threshold, self.upper_threshold
        for t in (lt, ut):
            if t is not None and not Decimal(0) <= t <= Decimal(100):
                raise ValueError(f"{self.code}: threshold {t} is not a percentage 0-100")
        if (lt is None) != (ut is None):
            raise ValueError(f"{self.code}: give both thresholds or neither")
        if lt is not None:
            if self.direction == "up" and not lt < ut:
                raise ValueError(f"{self.code}: direction up needs lower < upper threshold")
            if self.direction == "down" and not lt > ut:
                raise ValueError(f"{self.code}: direction down needs lower > upper threshold")
        if self.kind == "management" and (self.points or lt is not None):
            raise ValueError(f"{self.code}: a management indicator has no points or thresholds")
        if self.points is not None and self.points <= 0:
            raise ValueError(f"{self.code}: points must be positive")
        if self.kind == "payment" and (self.points is None or lt is None) and self.verified:
            raise ValueError(f"{self.code}: unknown points or thresholds must be verified: false")
        return self

    @property
    def payable(self) -> bool:
        return (
            self.kind == "payment" and self.points is not None and self.lower_threshold is not None
        )


class Money(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Decimal
    unit: str = "GBP_per_point"
    source: tuple[str, ...] = Field(min_length=1)
    verified: bool
    note: str = ""

    @field_validator("value", mode="before")
    @classmethod
    def _no_float(cls, v):
        if isinstance(v, float):
            raise ValueError("write money as a quoted decimal, not a float")
        return v


class YearDefinitions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    year: str
    achievement_date: date
    pound_per_point: Money
    #: money rounding: quantum and mode, applied to each PCN x indicator amount
    rounding: Literal["penny_half_up"] = "penny_half_up"
    rounding_source: tuple[str, ...] = ("REF",)
    rounding_verified: bool = False
    list_size_basis: str
    prevalence_basis: str
    indicators: tuple[Indicator, ...]

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, v):
        return str(FinancialYear.parse(str(v)))

    @model_validator(mode="after")
    def _check(self) -> YearDefinitions:
        fy = FinancialYear.parse(self.year)
        if self.achievement_date not in fy:
            raise ValueError(f"achievement date {self.achievement_date} is outside {self.year}")
        codes = [i.code for i in self.indicators]
        dupes = {c for c in codes if codes.count(c) > 1}
        if dupes:
            raise ValueError(f"indicator listed twice: {', '.join(sorted(dupes))}")
        return self

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(f"no indicator {code} in {self.year}")
