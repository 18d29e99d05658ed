"""The pydantic v2 schema every rule file must satisfy.

A rule file (``data/<yyyy-yy>.yaml``) holds one financial year::

    year: 2024-25
    roles:
      - {id: clinical_pharmacist, name: Clinical pharmacist, afc_band: 7-8a,
         available_from: 2024-04-01, source: [S31], verified: true}
    rules:
      - {key: arrs_rate_per_weighted_patient, value: "22.894", unit: GBP_per_weighted_patient,
         basis: weighted, source: [S3, S20], verified: true}

Rows: ``key`` (see :mod:`openpcn.rules.keys`), ``value`` (a quoted decimal string or an integer,
never a float), ``unit``, ``basis``, optional ``applies_from`` / ``applies_to`` (default: the
year's first / last day), ``source`` (one or more tags from ``data/sources.yaml``), ``verified``
(required; must be false for derived rows and rows citing only ``REF``), optional ``derivation``
(the arithmetic, for derived rows), ``note``, ``confidence`` (O, Oq, S or D: S and D rows are
never verified) and ``carried_from`` (the earlier year whose figure the row repeats because the
year's own is unpublished; never verified).  No value is negative; a row of unit ``none``
(``arrs_max_none_published``: no figure published) holds 0.

Checks: every field above; known keys, units and bases (and the unit/basis each key allows);
dates inside the financial year with from <= to; no two rows of the same key overlapping;
role-family keys naming a role listed in that year's ``roles``.  Validation needs a context
``{"sources": set_of_known_tags}``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from openpcn.core.fyear import FinancialYear
from openpcn.rules.keys import ALL_ROLES, BASES, KEYS, ROLE_FAMILIES, UNITS
from openpcn.rules.schema_common import err, fill_dates, parse_year

#: Confidence codes of the December 2026 research note (nhs-rules-update-2026-12.md section 0).
CONFIDENCE = frozenset({"", "O", "Oq", "S", "D"})
UNVERIFIED_CONFIDENCE = frozenset({"S", "D"})

_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_ROLE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _tags(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


SourceTags = Annotated[list[str], BeforeValidator(_tags), Field(min_length=1)]


def _check_sources(tags: list[str], info: ValidationInfo) -> list[str]:
    known = (info.context or {}).get("sources")
    if known is not None:
        unknown = [t for t in tags if t not in known]
        if unknown:
            raise err("unknown_source", f"unknown source tag(s) {unknown}; see data/sources.yaml")
    return tags


class RuleRow(BaseModel):
    """One dated rule row."""

    model_config = ConfigDict(extra="forbid")

    key: str
    unit: str
    value: Decimal
    basis: str
    applies_from: date | None = None
    applies_to: date | None = None
    source: SourceTags
    verified: bool
    derivation: str = ""
    note: str = ""
    #: The research note's confidence code: O, Oq (verified), S, D (not verified), or "" (the
    #: original reference, whose own verified flag stands).
    confidence: str = ""
    #: The earlier year whose figure this row repeats because the year's own is not published.
    carried_from: str = ""

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_exact(cls, data: Any) -> Any:
        if isinstance(data, dict) and "value" in data:
            v = data["value"]
            if isinstance(v, (bool, float)) or v is None:
                raise err(
                    "value_type",
                    "field 'value' must be a quoted decimal string (e.g. '7.131') or an integer",
                )
        return data

    @field_validator("key")
    @classmethod
    def _key_known(cls, key: str) -> str:
        if not _KEY.match(key):
            raise err("key_format", f"'{key}' is not snake_case words joined by dots")
        if key in KEYS:
            return key
        family = key.split(".", 1)[0]
        if family not in ROLE_FAMILIES or "." not in key:
            raise err("unknown_key", f"unknown key '{key}'; see openpcn.rules.keys")
        parts = key.split(".")
        suffixes = ROLE_FAMILIES[family][0]
        suffix = ".".join(parts[2:])
        if len(parts) > 3 or suffix not in suffixes:
            raise err("unknown_key", f"'{key}': after the role id use one of {sorted(suffixes)}")
        return key

    @field_validator("unit")
    @classmethod
    def _unit_known(cls, unit: str) -> str:
        if unit not in UNITS:
            raise err("unknown_unit", f"unknown unit '{unit}'; known: {sorted(UNITS)}")
        return unit

    @field_validator("basis")
    @classmethod
    def _basis_known(cls, basis: str) -> str:
        if basis not in BASES:
            raise err("unknown_basis", f"unknown basis '{basis}'; known: {sorted(BASES)}")
        return basis

    @field_validator("source")
    @classmethod
    def _source_known(cls, tags: list[str], info: ValidationInfo) -> list[str]:
        return _check_sources(tags, info)

    @model_validator(mode="after")
    def _consistent(self) -> RuleRow:
        units, basis = _allowed(self.key)
        if self.unit not in units:
            raise err("unit_for_key", f"field 'unit': '{self.key}' takes {sorted(units)}")
        if self.basis != basis:
            raise err("basis_for_key", f"field 'basis': '{self.key}' takes '{basis}'")
        if self.verified and (self.derivation or self.source in (["REF"], ["UPD"])):
            raise err(
                "verified",
                "field 'verified' must be false for a derived row or one citing only REF",
            )
        if self.value < 0:
            raise err("negative", f"field 'value': {self.value} is negative; rates are >= 0")
        if self.unit == "none" and self.value != 0:
            raise err("none_value", "field 'value': a row of unit 'none' (no figure) holds 0")
        if self.confidence not in CONFIDENCE:
            raise err(
                "confidence",
                f"field 'confidence': '{self.confidence}' is not one of {sorted(CONFIDENCE)}",
            )
        if self.verified and self.confidence in UNVERIFIED_CONFIDENCE:
            raise err(
                "verified",
                f"field 'verified' must be false for a row of confidence '{self.confidence}'",
            )
        if self.carried_from:
            try:
                FinancialYear.parse(self.carried_from)
            except ValueError as exc:
                raise err("carried_from", f"field 'carried_from': {exc}") from None
            if self.verified:
                raise err(
                    "verified", "field 'verified' must be false for a row carried from another year"
                )
        return self

    @property
    def role(self) -> str | None:
        """The role id of a role-family key, else None."""
        return self.key.split(".")[1] if self.key.split(".", 1)[0] in ROLE_FAMILIES else None


def _allowed(key: str) -> tuple[frozenset[str], str]:
    if key in KEYS:
        return KEYS[key][0], KEYS[key][1]
    _, units, basis = ROLE_FAMILIES[key.split(".", 1)[0]]
    return units, basis


class RoleEntry(BaseModel):
    """An ARRS role reimbursable in the year, from ``available_from`` (default: 1 April)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    afc_band: str
    available_from: date | None = None
    source: SourceTags
    verified: bool
    note: str = ""

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not _ROLE_ID.match(value) or value == ALL_ROLES:
            raise err("role_id", f"'{value}' is not a snake_case role id")
        return value

    @field_validator("afc_band", mode="before")
    @classmethod
    def _band_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("source")
    @classmethod
    def _source_known(cls, tags: list[str], info: ValidationInfo) -> list[str]:
        return _check_sources(tags, info)


class RuleFile(BaseModel):
    """A whole year's rule file."""

    model_config = ConfigDict(extra="forbid")

    year: str
    roles: list[RoleEntry] = []
    rules: list[RuleRow]

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> str:
        return parse_year(value)

    @model_validator(mode="after")
    def _fill_and_check(self) -> RuleFile:
        fy = FinancialYear.parse(self.year)
        seen_roles: set[str] = set()
        for i, role in enumerate(self.roles):
            where = f"role #{i} '{role.id}'"
            if role.id in seen_roles:
                raise err("duplicate_role", f"{where}: field 'id' is listed twice")
            seen_roles.add(role.id)
            role.available_from = role.available_from or fy.start
            if role.available_from not in fy:
                raise err(
                    "date", f"{where}: field 'available_from' {role.available_from} is outside {fy}"
                )
        for i, row in enumerate(self.rules):
            where = f"rule #{i} '{row.key}'"
            fill_dates(row, fy, where)
            role = row.role
            if role is not None and role != ALL_ROLES and role not in seen_roles:
                raise err("role", f"{where}: field 'key' names role '{role}' not listed in roles")
        _check_overlaps(self.rules)
        return self


def _check_overlaps(rows: list[RuleRow]) -> None:
    by_key: dict[str, list[tuple[int, RuleRow]]] = {}
    for i, row in enumerate(rows):
        by_key.setdefault(row.key, []).append((i, row))
    for key, items in by_key.items():
        items.sort(key=lambda item: item[1].applies_from)
        for (i, a), (j, b) in zip(items, items[1:], strict=False):
            if b.applies_from <= a.applies_to:
                raise err(
                    "overlap",
                    f"rule #{j} '{key}': field 'applies_from' {b.applies_from} overlaps rule #{i} "
                    f"'{key}' ({a.applies_from} to {a.applies_to})",
                )
