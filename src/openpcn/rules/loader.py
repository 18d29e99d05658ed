"""Load rule files and ask them for values: the one API engines use for rates and rules.

Engines never hold a rate in code; they ask a :class:`RuleSet` for "the value of key K on
date D"::

    from openpcn.rules.loader import load_year

    rules = load_year("2024-25")                      # or a FinancialYear
    rate = rules.value("arrs_rate_per_weighted_patient", date(2024, 6, 1))
    rate.value       # Decimal('22.894')
    rate.verified    # True; False means "shown as unverified everywhere"
    rate.as_rule_ref()   # openpcn.core.figures.RuleRef for an explained Figure

    rules.roles_available(date(2024, 10, 1))          # [Role(id='clinical_pharmacist', ...), ...]
    rules.max_reimbursement("clinical_pharmacist", date(2024, 10, 1), region="london_inner")
    rules.reimbursement_pct("mental_health_practitioner", day)   # role row, else all_roles row
    rules.role_cap("advanced_practitioner", day, list_size=120_000)  # RuleValue or None (no cap)
    rules.rows("arrs_max_reimbursement.")            # every row whose key starts with the prefix

A missing value raises :class:`RuleNotFound` (a ``KeyError``) naming the key, the date and the
year; a bad file raises :class:`RuleFileError` naming the file, line, rule and field.
``value`` is an annual rate unless ``RuleValue.is_period_amount`` (units ending ``_for_period``:
the amount for the row's whole date range).  Files live in ``openpcn/rules/data``; the
directory can be overridden per call (tests) or with the env var ``OPENPCN_RULES_DIR``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from openpcn.core.figures import RuleRef
from openpcn.core.fyear import FinancialYear
from openpcn.rules.keys import ALL_ROLES, PERIOD_UNITS, REGIONS
from openpcn.rules.schema import RuleFile
from openpcn.rules.variation import Variation
from openpcn.rules.yaml_files import BadItem, explain_validation, item_lines, read_year_file

DATA_DIR = Path(__file__).parent / "data"
FIRST_YEAR = FinancialYear(2019)


class RuleFileError(ValueError):
    """A rule file failed validation; the message names file, line, rule and field."""


class RuleNotFound(KeyError):
    """No rule row for a key on a date (or an unknown role / year)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class RuleValue:
    """One rule row, resolved: the value of ``key`` from ``applies_from`` to ``applies_to``."""

    year: str
    key: str
    value: Decimal
    unit: str
    basis: str
    applies_from: date
    applies_to: date
    source: str
    source_tags: tuple[str, ...]
    verified: bool
    derivation: str = ""
    note: str = ""
    confidence: str = ""
    carried_from: str = ""

    @property
    def caveat(self) -> str:
        """What a reader must be told beside any figure that uses this row."""
        if self.unit == "none":
            return (
                "no maximum published for this role and period: capped by actual salary plus"
                " employer on-costs, within the PCN's ARRS sum"
            )
        if self.carried_from:
            return (
                f"assumed unchanged from {self.carried_from}: the {self.year} figure is not yet"
                " published"
            )
        return ""

    varied_by: Variation | None = None  # set on rows an ICB overlay put in (rules.overlays)

    @property
    def is_period_amount(self) -> bool:
        """True if ``value`` is the amount for the whole date range, not an annual rate."""
        return self.unit in PERIOD_UNITS

    @classmethod
    def from_row(cls, year: str, r, source: str, **more) -> RuleValue:
        """A validated rule row of a file (national or an ICB overlay), ``source`` its sources
        in words; ``more`` sets or overrides other fields."""
        fields = {
            "year": year, "key": r.key, "value": r.value, "unit": r.unit, "basis": r.basis,
            "applies_from": r.applies_from, "applies_to": r.applies_to, "source": source,
            "source_tags": tuple(r.source), "verified": r.verified,
            "derivation": r.derivation, "note": r.note,
        }  # fmt: skip
        return cls(**(fields | more))

    def as_rule_ref(self) -> RuleRef:
        return RuleRef(
            year=self.year,
            key=self.key,
            value=self.value,
            unit=self.unit,
            source=self.source,
            verified=self.verified,
            applies_from=self.applies_from,
            caveat=self.caveat,
            varied_by=self.varied_by.words() if self.varied_by else "",
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "key": self.key,
            "value": str(self.value),
            "unit": self.unit,
            "basis": self.basis,
            "applies_from": self.applies_from.isoformat(),
            "applies_to": self.applies_to.isoformat(),
            "verified": self.verified,
            "source_tags": list(self.source_tags),
            "source": self.source,
            "derivation": self.derivation,
            "note": self.note,
            "confidence": self.confidence,
            "carried_from": self.carried_from,
            "caveat": self.caveat,
            "varied_by": self.varied_by.words() if self.varied_by else "",
        }


def as_rule_ref(rule: RuleValue) -> RuleRef:
    """Convert a :class:`RuleValue` to the :class:`openpcn.core.figures.RuleRef` of a Figure."""
    return rule.as_rule_ref()


@dataclass(frozen=True)
class Role:
    """An ARRS role reimbursable in the year from ``available_from``."""

    id: str
    name: str
    afc_band: str
    available_from: date
    source: str
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class RuleSet:
    """Every rule row and ARRS role of one financial year."""

    year: FinancialYear
    path: Path
    rules: tuple[RuleValue, ...]
    roles: tuple[Role, ...]
    _by_key: dict[str, tuple[RuleValue, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        for row in self.rules:
            self._by_key[row.key] = (*self._by_key.get(row.key, ()), row)

    def _check_day(self, on: date, what: str) -> None:
        if on not in self.year:
            raise RuleNotFound(f"{what}: {on} is outside financial year {self.year}")

    def value(self, key: str, on: date) -> RuleValue:
        """The row of ``key`` in force on ``on``; RuleNotFound if none."""
        self._check_day(on, f"rule '{key}'")
        series = self._by_key.get(key, ())
        for row in series:
            if row.applies_from <= on <= row.applies_to:
                return row
        dated = [f"{r.applies_from} to {r.applies_to}" for r in series]
        held = f" (rows exist for {', '.join(dated)})" if dated else ""
        raise RuleNotFound(f"no rule '{key}' on {on} in {self.year}{held}")

    def get(self, key: str, on: date) -> RuleValue | None:
        """Like :meth:`value` but None when there is no row."""
        try:
            return self.value(key, on)
        except RuleNotFound:
            return None

    def rows(self, prefix: str = "") -> list[RuleValue]:
        """Every row whose key starts with ``prefix``, in key then date order."""
        return sorted(
            (r for r in self.rules if r.key.startswith(prefix)),
            key=lambda r: (r.key, r.applies_from),
        )

    def keys(self) -> list[str]:
        return sorted({r.key for r in self.rules})

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise RuleNotFound(f"role '{role_id}' is not reimbursable under ARRS in {self.year}")

    def roles_available(self, on: date) -> list[Role]:
        """ARRS roles reimbursable on ``on`` (available_from on or before it)."""
        self._check_day(on, "roles_available")
        return [r for r in self.roles if r.available_from <= on]

    def _available_role(self, role_id: str, on: date) -> Role:
        role = self.role(role_id)
        if on < role.available_from:
            raise RuleNotFound(
                f"role '{role_id}' is reimbursable in {self.year} only from {role.available_from},"
                f" not on {on}"
            )
        return role

    def max_reimbursement(self, role: str, on: date, region: str = "national") -> RuleValue:
        """Maximum reimbursable £ per WTE per year for ``role`` on ``on`` in ``region``."""
        if region not in REGIONS:
            raise ValueError(f"region must be one of {REGIONS}, not '{region}'")
        self._check_day(on, f"max_reimbursement '{role}'")
        self._available_role(role, on)
        suffix = "" if region == "national" else f".{region}"
        return self.value(f"arrs_max_reimbursement.{role}{suffix}", on)

    def reimbursement_pct(self, role: str, on: date) -> RuleValue:
        """Percentage of pay + on-costs reimbursed: the role's row, else the all_roles row."""
        self._check_day(on, f"reimbursement_pct '{role}'")
        self._available_role(role, on)
        found = self.get(f"arrs_reimbursement_pct.{role}", on)
        return found or self.value(f"arrs_reimbursement_pct.{ALL_ROLES}", on)

    def role_cap(self, role: str, on: date, list_size: int | None = None) -> RuleValue | None:
        """The WTE cap for ``role`` on ``on`` (None if uncapped).

        Size-banded caps need ``list_size``; it is compared with
        ``arrs_role_cap_population_threshold``.
        """
        self._check_day(on, f"role_cap '{role}'")
        self._available_role(role, on)
        flat = self.get(f"arrs_role_cap.{role}", on)
        if flat is not None:
            return flat
        small = self.get(f"arrs_role_cap.{role}.population_under_100k", on)
        large = self.get(f"arrs_role_cap.{role}.population_100k_plus", on)
        if small is None and large is None:
            return None
        if list_size is None:
            raise ValueError(f"role cap for '{role}' in {self.year} depends on list size")
        threshold = self.value("arrs_role_cap_population_threshold", on).value
        return large if list_size >= threshold else small


def rules_dir(directory: Path | str | None = None) -> Path:
    if directory is not None:
        return Path(directory)
    return Path(os.environ.get("OPENPCN_RULES_DIR") or DATA_DIR)


def load_sources(directory: Path | str | None = None) -> dict[str, str]:
    path = rules_dir(directory) / "sources.yaml"
    if not path.exists():
        path = DATA_DIR / "sources.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data["sources"].items()}


def load_year(fy: FinancialYear | str, directory: Path | str | None = None) -> RuleSet:
    """The validated :class:`RuleSet` of one financial year (cached per file)."""
    year = FinancialYear.parse(fy) if isinstance(fy, str) else fy
    path = rules_dir(directory) / f"{year}.yaml"
    if not path.exists():
        raise RuleNotFound(f"no rule file for {year} ({path.name} not found)")
    return load_file(path)


def load_all(directory: Path | str | None = None) -> dict[str, RuleSet]:
    """Every year's RuleSet, keyed by '2019-20' etc., oldest first."""
    base = rules_dir(directory)
    paths = sorted(p for p in base.glob("*.yaml") if re.match(r"^\d{4}-\d{2}$", p.stem))
    return {p.stem: load_file(p) for p in paths}


def load_file(path: Path | str) -> RuleSet:
    path = Path(path).resolve()
    return _load_cached(path, path.stat().st_mtime_ns)


@cache
def _load_cached(path: Path, _mtime: int) -> RuleSet:
    read = read_year_file(
        path,
        path.name,
        RuleFile,
        RuleFileError,
        expected="'year', 'roles' and 'rules'",
        sources=load_sources(path.parent),
        explain=lambda text, raw, exc: _explain(path, text, raw, exc),
    )
    year, parsed, cite = read.year, read.parsed, read.cite

    rules = tuple(
        RuleValue.from_row(
            str(year), r, cite(r.source), confidence=r.confidence, carried_from=r.carried_from
        )
        for r in parsed.rules
    )
    roles = tuple(
        Role(
            id=r.id,
            name=r.name,
            afc_band=r.afc_band,
            available_from=r.available_from,
            source=cite(r.source),
            verified=r.verified,
            note=r.note,
        )
        for r in parsed.roles
    )
    return RuleSet(year=year, path=path, rules=rules, roles=roles)


def _explain(path: Path, text: str, raw: dict, exc: ValidationError) -> str:
    def on_item(bad: BadItem) -> str:
        name = bad.item.get("key" if bad.section == "rules" else "id", "?")
        line = f"line {bad.line}, " if bad.line is not None else ""
        label = "rule" if bad.section == "rules" else "role"
        field = f"field '{bad.field}' " if bad.field else ""
        return f"{path.name} {line}{label} '{name}' (#{bad.index}): {field}{bad.msg}"

    def on_other(loc: tuple, msg: str) -> str:
        m = re.match(r"^(rule|role) #(\d+)", msg)
        if m:
            lines = item_lines(text, m.group(1) + "s")
            index = int(m.group(2))
            if index < len(lines):
                return f"{path.name} line {lines[index]}, {msg}"
        where = f"field '{'.'.join(str(p) for p in loc)}' " if loc else ""
        return f"{path.name}: {where}{msg}"

    return explain_validation(
        text, raw, exc, ("rules", "roles"), on_item=on_item, on_other=on_other
    )
