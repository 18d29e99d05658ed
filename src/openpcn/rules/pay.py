"""Load the pay files (``data/pay/<yyyy-yy>.yaml``) and ask them for the figures that cost a post.

::

    from openpcn.rules.pay import load_pay

    pay = load_pay("2024-25")
    pay.pay_point("7", 2, date(2024, 6, 1))      # PayValue: value Decimal('48526'), line, source
    pay.points("7", date(2024, 6, 1))            # [1, 2, 3]
    pay.hcas("london_inner", day)                 # (percent, minimum, maximum) PayValues
    pay.salaried_gp("london_weighting", day)
    pay.employer_ni(day)                          # (rate, threshold) PayValues
    pay.employer_ni_rows()                        # every dated NI row (rates change in-year)
    pay.employer_pension(day)

A year with no pay file raises :class:`PayFileMissing` naming the file it looked for; a bad file
raises :class:`PayFileError` naming the file, line, row and field; a figure the file lacks raises
:class:`PayNotFound`.  Each :class:`PayValue` knows its file, line, year, source and verified flag
and turns into a :class:`openpcn.core.figures.RuleRef` for an explained Figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from openpcn.core.figures import DataRef, RuleRef
from openpcn.core.fyear import FinancialYear
from openpcn.rules.loader import RuleFileError, RuleNotFound, load_sources, rules_dir
from openpcn.rules.pay_schema import AFC_BANDS, SECTIONS, PayFile
from openpcn.rules.yaml_files import BadItem, explain_validation, item_lines, read_year_file


class PayFileError(RuleFileError):
    """A pay file failed validation; the message names file, line, row and field."""


class PayNotFound(RuleNotFound):
    """The pay file has no figure for what was asked (band, point, date)."""


class PayFileMissing(PayNotFound):
    """No pay file for the year."""


@dataclass(frozen=True)
class PayValue:
    """One figure of a pay file, with where it came from."""

    year: str
    key: str  # e.g. "afc.band_7.point_2", "employer_ni.rate"
    value: Decimal
    unit: str  # "GBP a year" or "percent"
    file: str  # e.g. "pay/2024-25.yaml"
    line: int
    applies_from: date
    applies_to: date
    source: str
    source_tags: tuple[str, ...]
    verified: bool
    note: str = ""

    def as_rule_ref(self) -> RuleRef:
        return RuleRef(
            year=self.year,
            key=f"pay.{self.key}",
            value=self.value,
            unit=self.unit,
            source=self.source,
            verified=self.verified,
            applies_from=self.applies_from,
            caveat=self.caveat,
        )

    @property
    def caveat(self) -> str:
        """Words a reader must see beside a figure that is assumed, not published (decision
        0015): the note of an unverified row that says it was carried or assumed."""
        note = self.note.lower()
        if not self.verified and ("assumed" in note or "carried" in note):
            return self.note
        return ""

    def as_data_ref(self) -> DataRef:
        return DataRef(source=f"{self.file} line {self.line}", description=self.note)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "key": self.key,
            "value": str(self.value),
            "unit": self.unit,
            "file": self.file,
            "line": self.line,
            "applies_from": self.applies_from.isoformat(),
            "applies_to": self.applies_to.isoformat(),
            "source": self.source,
            "source_tags": list(self.source_tags),
            "verified": self.verified,
            "note": self.note,
        }


@dataclass(frozen=True)
class PayTable:
    """Every figure of one year's pay file."""

    year: FinancialYear
    path: Path
    values: tuple[PayValue, ...]

    def _check_day(self, on: date) -> None:
        if on not in self.year:
            raise PayNotFound(
                f"{self.file}: {on} is outside financial year {self.year}"
                f" ({self.year.start} to {self.year.end})"
            )

    @property
    def file(self) -> str:
        return f"pay/{self.path.name}"

    def _find(self, key: str, on: date, what: str) -> PayValue:
        self._check_day(on)
        rows = [v for v in self.values if v.key == key]
        for v in rows:
            if v.applies_from <= on <= v.applies_to:
                return v
        held = ", ".join(f"{v.applies_from} to {v.applies_to}" for v in rows)
        raise PayNotFound(
            f"{self.file} has no {what} on {on}" + (f" (rows for {held})" if held else "")
        )

    def bands(self) -> list[str]:
        held = {
            v.key.split(".")[1].removeprefix("band_") for v in self.values if v.key[:4] == "afc."
        }
        return [b for b in AFC_BANDS if b in held]

    def points(self, band: str, on: date) -> list[int]:
        self._check_day(on)
        prefix = f"afc.band_{band}."
        return sorted(
            {
                int(v.key.rsplit("_", 1)[1])
                for v in self.values
                if v.key.startswith(prefix) and v.applies_from <= on <= v.applies_to
            }
        )

    def pay_point(self, band: str, point: int, on: date) -> PayValue:
        band = str(band).lower()
        if band not in AFC_BANDS:
            raise PayNotFound(f"'{band}' is not an Agenda for Change band ({', '.join(AFC_BANDS)})")
        points = self.points(band, on)
        if not points:
            raise PayNotFound(f"{self.file} has no pay points for band {band} on {on}")
        if point not in points:
            raise PayNotFound(
                f"band {band} has points {', '.join(map(str, points))} on {on} in {self.file},"
                f" not point {point}"
            )
        return self._find(f"afc.band_{band}.point_{point}", on, f"band {band} point {point}")

    def hcas(self, area: str, on: date) -> tuple[PayValue, PayValue, PayValue]:
        what = f"high cost area supplement for {area}"
        return (
            self._find(f"hcas.{area}.percent", on, what),
            self._find(f"hcas.{area}.minimum", on, what),
            self._find(f"hcas.{area}.maximum", on, what),
        )

    def salaried_gp(self, item: str, on: date) -> PayValue:
        return self._find(f"salaried_gp.{item}", on, f"salaried GP {item.replace('_', ' ')}")

    def has_salaried_gp(self, item: str, on: date) -> bool:
        try:
            self.salaried_gp(item, on)
        except PayNotFound:
            return False
        return True

    def employer_ni(self, on: date) -> tuple[PayValue, PayValue]:
        return (
            self._find("employer_ni.rate", on, "employer NI rate"),
            self._find("employer_ni.threshold", on, "employer NI threshold"),
        )

    def employer_ni_rows(self) -> list[tuple[PayValue, PayValue]]:
        rates = sorted((v for v in self.values if v.key == "employer_ni.rate"), key=_start)
        return [(r, self.employer_ni(r.applies_from)[1]) for r in rates]

    def employer_pension(self, on: date) -> PayValue:
        return self._find("employer_pension.rate", on, "employer pension rate")


def _start(v: PayValue) -> date:
    return v.applies_from


def pay_dir(directory: Path | str | None = None) -> Path:
    return rules_dir(directory) / "pay"


def available_years(directory: Path | str | None = None) -> list[str]:
    return sorted(
        p.stem for p in pay_dir(directory).glob("*.yaml") if re.match(r"^\d{4}-\d{2}$", p.stem)
    )


def load_pay(fy: FinancialYear | str, directory: Path | str | None = None) -> PayTable:
    """The validated :class:`PayTable` of one financial year (cached per file)."""
    year = FinancialYear.parse(fy) if isinstance(fy, str) else fy
    path = pay_dir(directory) / f"{year}.yaml"
    if not path.exists():
        held = ", ".join(available_years(directory)) or "none"
        raise PayFileMissing(
            f"no pay file for {year}: rules/data/pay/{year}.yaml not found (pay files exist for"
            f" {held})"
        )
    return load_pay_file(path)


def load_pay_file(path: Path | str) -> PayTable:
    path = Path(path).resolve()
    return _load_cached(path, path.stat().st_mtime_ns)


@cache
def _load_cached(path: Path, _mtime: int) -> PayTable:
    name = f"pay/{path.name}"
    read = read_year_file(
        path,
        name,
        PayFile,
        PayFileError,
        expected=f"'year' and {', '.join(SECTIONS)}",
        sources=load_sources(path.parent.parent),
        explain=lambda text, raw, exc: _explain(name, text, raw, exc),
    )
    text, year, parsed, cite = read.text, read.year, read.parsed, read.cite
    lines = {s: item_lines(text, s) for s in SECTIONS}

    values: list[PayValue] = []

    def add(section: str, i: int, row: Any, key: str, value: Decimal, unit: str) -> None:
        section_lines = lines[section]
        values.append(
            PayValue(
                year=str(year),
                key=key,
                value=value,
                unit=unit,
                file=name,
                line=section_lines[i] if i < len(section_lines) else 0,
                applies_from=row.applies_from,
                applies_to=row.applies_to,
                source=cite(row.source),
                source_tags=tuple(row.source),
                verified=row.verified,
                note=row.note,
            )
        )

    money, pct = "GBP a year", "percent"
    for i, p in enumerate(parsed.afc_pay_points):
        add("afc_pay_points", i, p, f"afc.band_{p.band}.point_{p.point}", p.annual, money)
    for i, h in enumerate(parsed.hcas):
        add("hcas", i, h, f"hcas.{h.area}.percent", h.percent, pct)
        add("hcas", i, h, f"hcas.{h.area}.minimum", h.minimum, money)
        add("hcas", i, h, f"hcas.{h.area}.maximum", h.maximum, money)
    for i, g in enumerate(parsed.salaried_gp):
        add("salaried_gp", i, g, f"salaried_gp.{g.item}", g.annual, money)
    for i, n in enumerate(parsed.employer_ni):
        add("employer_ni", i, n, "employer_ni.rate", n.rate, pct)
        add("employer_ni", i, n, "employer_ni.threshold", n.threshold, money)
    for i, e in enumerate(parsed.employer_pension):
        add("employer_pension", i, e, "employer_pension.rate", e.rate, pct)
    return PayTable(year=year, path=path, values=tuple(values))


def _explain(name: str, text: str, raw: dict, exc: ValidationError) -> str:
    def on_item(bad: BadItem) -> str:
        line = f" line {bad.line}" if bad.line is not None else ""
        what = _describe(bad.section, bad.item)
        field = ""
        if bad.field and f"field '{bad.field}'" not in bad.msg:
            field = f"field '{bad.field}' "
        return f"{name}{line}, {bad.section} #{bad.index}{what}: {field}{bad.msg}"

    def on_other(loc: tuple, msg: str) -> str:
        m = re.match(r"^(\w+) #(\d+)", msg)
        if m and m.group(1) in SECTIONS:
            lines = item_lines(text, m.group(1))
            index = int(m.group(2))
            if index < len(lines):
                return f"{name} line {lines[index]}, {msg}"
        where = f"field '{'.'.join(str(p) for p in loc)}' " if loc else ""
        return f"{name}: {where}{msg}"

    return explain_validation(text, raw, exc, tuple(SECTIONS), on_item=on_item, on_other=on_other)


def _describe(section: str, item: dict) -> str:
    if section == "afc_pay_points":
        return f" (band {item.get('band', '?')} point {item.get('point', '?')})"
    if section == "hcas":
        return f" ({item.get('area', '?')})"
    if section == "salaried_gp":
        return f" ({item.get('item', '?')})"
    return ""
