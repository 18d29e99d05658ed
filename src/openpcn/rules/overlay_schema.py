"""The pydantic v2 schema of an ICB rule overlay: a local variation of one year's national rules.

An overlay (``data/overlays/<yyyy-yy>/<ICB ODS code>.yaml``, or a version saved through the
product) holds the rows one ICB varies for one financial year::

    icb: QKS
    icb_name: NHS Kent and Medway Integrated Care Board
    year: 2026-27
    title: Kent and Medway Local Variation Agreement
    approved_on: 2026-04-20          # NHS England's approval (optional)
    source: "Local Variation Agreement, approved by NHS England"
    verified: false                  # the overlay as a whole; false marks every row unverified
    sources:                         # the overlay's own source tags (beside data/sources.yaml)
      LVA: "Kent and Medway ICB, Local Variation Agreement 2026/27"
    rows:
      - {key: care_home_premium_per_bed, value: "150.00", unit: GBP_per_bed, basis: beds,
         applies_from: 2026-05-01, source: [LVA], verified: false}

Rows use the national row schema (:class:`openpcn.rules.schema.RuleRow`) with these checks
more: the value is not negative; ``applies_from`` / ``applies_to`` (default: the year's first /
last day) lie inside the year; rows of one key do not overlap; a role-family key names a role
of that year's national rules; a key with basis ``national`` (a national total) is not an
ICB's to vary; the ARRS sum rate (never pro-rated) is varied for the whole year only; a period
amount (``..._for_period``) is varied over the national row's whole range or not at all.

Validation needs a context ``{"sources": set_of_known_tags, "national": RuleSet}``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from openpcn.core.fyear import FinancialYear
from openpcn.rules.keys import ALL_ROLES, PERIOD_UNITS
from openpcn.rules.schema import RuleRow, _check_overlaps
from openpcn.rules.schema_common import err, fill_dates, parse_year

_ICB = re.compile(r"^Q[A-Z0-9]{2}$")
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

#: Keys whose value is one sum for the whole year (the entitlement is never pro-rated).
WHOLE_YEAR_KEYS = frozenset({"arrs_rate_per_weighted_patient"})


class OverlayRow(RuleRow):
    """A national-schema rule row, varied by an ICB: never negative."""

    @field_validator("value")
    @classmethod
    def _not_negative(cls, value: Decimal) -> Decimal:
        if value < 0:
            raise err("negative", f"field 'value' must not be negative (it is {value})")
        return value


class OverlayFile(BaseModel):
    """One ICB's overlay for one financial year."""

    model_config = ConfigDict(extra="forbid")

    icb: str
    icb_name: str = ""
    year: str
    title: str = Field(min_length=1)
    approved_on: date | None = None
    source: str = Field(min_length=1)
    verified: bool
    sources: dict[str, str] = {}
    rows: list[OverlayRow] = Field(min_length=1)

    @field_validator("icb", mode="before")
    @classmethod
    def _icb(cls, value: Any) -> str:
        code = str(value).strip().upper()
        if not _ICB.match(code):
            raise err("icb", f"'{value}' is not an ICB ODS code (Q and two letters or digits)")
        return code

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> str:
        return parse_year(value)

    @field_validator("sources")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [t for t in value if not _TAG.match(str(t))]
        if bad:
            raise err("source_tag", f"source tag(s) {bad} must be letters, digits, - or _")
        return value

    @model_validator(mode="after")
    def _fill_and_check(self, info: ValidationInfo) -> OverlayFile:
        fy = FinancialYear.parse(self.year)
        national = (info.context or {}).get("national")
        roles = {r.id for r in national.roles} if national is not None else None
        for i, row in enumerate(self.rows):
            where = f"row #{i} '{row.key}'"
            fill_dates(row, fy, where)
            role = row.role
            if roles is not None and role is not None and role != ALL_ROLES and role not in roles:
                raise err(
                    "role",
                    f"{where}: field 'key' names role '{role}', which is not an ARRS role in {fy}",
                )
            if row.basis == "national":
                raise err(
                    "national",
                    f"{where}: field 'key' is a national total; an ICB cannot vary it",
                )
            whole = (row.applies_from, row.applies_to) == (fy.start, fy.end)
            if row.key in WHOLE_YEAR_KEYS and not whole:
                raise err(
                    "whole_year",
                    f"{where}: field 'applies_from' must be {fy.start} and 'applies_to' {fy.end}:"
                    " this sum is for the whole year and is never pro-rated",
                )
            if national is not None:
                _check_period(where, row, national)
        _check_overlaps(self.rows)
        return self


def _check_period(where: str, row: OverlayRow, national) -> None:
    """A national period amount is replaced over its whole range, never split."""
    for n in national.rows(row.key):
        if n.key != row.key or n.unit not in PERIOD_UNITS:
            continue
        touches = not (n.applies_to < row.applies_from or n.applies_from > row.applies_to)
        covers = row.applies_from <= n.applies_from and row.applies_to >= n.applies_to
        if touches and not covers:
            raise err(
                "period",
                f"{where}: field 'applies_from' must cover the national row's whole range"
                f" ({n.applies_from} to {n.applies_to}): it is an amount for that period",
            )
