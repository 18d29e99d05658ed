"""ICB local variations: an overlay of rule rows applied on top of one year's national rules.

From 1 May 2026 an ICB may, with NHS England's approval, vary parts of the Network Contract
DES for its PCNs (a Local Variation Agreement). OpenPCN holds each variation as an overlay:
the national row schema, one file or saved version per (ICB, year), with its own source and
verified flag (:mod:`openpcn.rules.overlay_schema`)::

    from openpcn.rules import load_year
    from openpcn.rules.overlays import apply, load_overlay_file

    national = load_year("2026-27")
    overlay = load_overlay_file("data/overlays/2026-27/QKS.yaml")
    rules = apply(national, overlay)          # a RuleSet: the same API as the national one
    row = rules.value("care_home_premium_per_bed", date(2026, 6, 1))
    row.varied_by.words()   # 'national rule, varied by NHS Kent and Medway ... from 1 May 2026'

Applying an overlay row replaces the national rows of its key over the row's dates (a national
row that runs past them keeps its value on the days outside); rows the overlay does not name
stay national. Every varied row carries a :class:`~openpcn.rules.variation.Variation`, so its
:class:`~openpcn.core.figures.RuleRef` (and so every explanation) names the ICB and the date.

A bad overlay raises :class:`OverlayError` naming the file, line, row and field; nothing is
applied or saved. Files live in ``openpcn/rules/data/overlays/<yyyy-yy>/<ICB>.yaml`` (the
directory follows ``OPENPCN_RULES_DIR`` like the year files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import yaml
from pydantic import ValidationError

from openpcn.core.fyear import FinancialYear
from openpcn.rules.loader import (
    RuleFileError,
    RuleNotFound,
    RuleSet,
    RuleValue,
    load_sources,
    load_year,
    rules_dir,
)
from openpcn.rules.overlay_schema import OverlayFile
from openpcn.rules.variation import Variation
from openpcn.rules.yaml_files import BadItem, explain_validation, item_lines

OVERLAY_DIRNAME = "overlays"


class OverlayError(ValueError):
    """An overlay failed validation; the message names file, line, row and field."""


@dataclass(frozen=True)
class Overlay:
    """One ICB's validated variation of one year's rules."""

    icb: str
    icb_name: str
    year: FinancialYear
    title: str
    approved_on: date | None
    source: str
    verified: bool
    rows: tuple[RuleValue, ...]  # each with ``varied_by`` set
    version: str  # "file QKS.yaml", "version 3"
    text: str

    @property
    def who(self) -> str:
        return f"{self.icb_name} ({self.icb})" if self.icb_name else self.icb


def overlays_dir(directory: Path | str | None = None) -> Path:
    return rules_dir(directory) / OVERLAY_DIRNAME


def overlay_path(icb: str, year: FinancialYear | str, directory: Path | str | None = None) -> Path:
    fy = FinancialYear.parse(year) if isinstance(year, str) else year
    return overlays_dir(directory) / str(fy) / f"{icb.strip().upper()}.yaml"


def overlay_files(directory: Path | str | None = None) -> list[Path]:
    """Every overlay file, year then ICB order."""
    base = overlays_dir(directory)
    return sorted(p for p in base.glob("*/*.yaml") if re.match(r"^\d{4}-\d{2}$", p.parent.name))


def parse_overlay(
    text: str,
    name: str,
    *,
    national: RuleSet | None = None,
    version: str = "",
    directory: Path | str | None = None,
    expect_icb: str | None = None,
    expect_year: FinancialYear | str | None = None,
) -> Overlay:
    """Validate overlay YAML ``text`` (``name`` is the file or version named in errors).

    ``national``: the year's national rules (default: loaded for the overlay's year).
    ``expect_icb`` / ``expect_year``: what the file name or the page says it must be.
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise OverlayError(f"{name}{line}: not valid YAML: {problem}") from None
    if not isinstance(raw, dict):
        raise OverlayError(
            f"{name} line 1: expected a mapping with 'icb', 'year', 'title', 'source',"
            " 'verified' and 'rows'"
        )
    year_text = str(raw.get("year", ""))
    if national is None:
        try:
            national = load_year(FinancialYear.parse(year_text), directory)
        except ValueError as exc:
            line = _top_line(text, "year")
            raise OverlayError(f"{name} line {line}: field 'year': {exc}") from None
        except (RuleNotFound, RuleFileError) as exc:
            raise OverlayError(
                f"{name} line {_top_line(text, 'year')}: field 'year': no national rules to"
                f" vary ({exc})"
            ) from None
    own = raw.get("sources") if isinstance(raw.get("sources"), dict) else {}
    known = load_sources(directory)
    context = {"sources": set(known) | {str(t) for t in own}, "national": national}
    try:
        parsed = OverlayFile.model_validate(raw, context=context)
    except ValidationError as exc:
        raise OverlayError(_explain(name, text, raw, exc)) from None
    fy = FinancialYear.parse(parsed.year)
    if fy != national.year:
        raise OverlayError(
            f"{name} line {_top_line(text, 'year')}: field 'year' is {fy}, but the national"
            f" rules given are {national.year}"
        )
    if expect_year is not None and str(fy) != str(expect_year):
        raise OverlayError(
            f"{name} line {_top_line(text, 'year')}: field 'year' is {fy}, not {expect_year}"
        )
    if expect_icb is not None and parsed.icb != expect_icb.strip().upper():
        raise OverlayError(
            f"{name} line {_top_line(text, 'icb')}: field 'icb' is {parsed.icb},"
            f" not {expect_icb.strip().upper()}"
        )
    cited = {**known, **{str(k): str(v) for k, v in parsed.sources.items()}}
    have = set(national.keys())
    rows = tuple(
        RuleValue.from_row(
            str(fy),
            r,
            "; ".join(f"[{t}] {cited[t]}" for t in r.source),
            verified=r.verified and parsed.verified,
            varied_by=Variation(
                icb_code=parsed.icb,
                icb_name=parsed.icb_name,
                applies_from=r.applies_from,
                version=version,
                source=parsed.source,
                title=parsed.title,
                national=r.key in have,
            ),
        )
        for r in parsed.rows
    )
    return Overlay(
        icb=parsed.icb,
        icb_name=parsed.icb_name,
        year=fy,
        title=parsed.title,
        approved_on=parsed.approved_on,
        source=parsed.source,
        verified=parsed.verified,
        rows=rows,
        version=version,
        text=text,
    )


def load_overlay_file(
    path: Path | str, *, national: RuleSet | None = None, directory: Path | str | None = None
) -> Overlay:
    """An overlay file; when it sits in ``overlays/<year>/<ICB>.yaml`` both must match."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OverlayError(f"{path.name}: cannot be read ({exc.strerror})") from None
    placed = re.match(r"^\d{4}-\d{2}$", path.parent.name) and path.parent.parent.name == (
        OVERLAY_DIRNAME
    )
    return parse_overlay(
        text,
        path.name if not placed else f"{path.parent.name}/{path.name}",
        national=national,
        version=f"file {path.name}",
        directory=directory,
        expect_icb=path.stem if placed else None,
        expect_year=path.parent.name if placed else None,
    )


def overlay_for(
    icb: str, year: FinancialYear | str, directory: Path | str | None = None
) -> Overlay | None:
    """The overlay file of ``icb`` for ``year``, or None when it has none."""
    path = overlay_path(icb, year, directory)
    if not path.exists():
        return None
    try:
        national = load_year(FinancialYear.parse(path.parent.name), directory)
    except (ValueError, RuleNotFound):  # RuleFileError is a ValueError
        return load_overlay_file(path, directory=directory)  # raises a clear OverlayError
    key = (path.resolve(), path.stat().st_mtime_ns, id(national))
    found = _FILES.get(key)
    if found is None or found[0] is not national:  # holding the RuleSet keeps its id unique
        if len(_FILES) > 128:
            _FILES.clear()
        found = _FILES[key] = (
            national,
            load_overlay_file(path, national=national, directory=directory),
        )
    return found[1]


_FILES: dict[tuple, tuple[RuleSet, Overlay]] = {}


def apply(national: RuleSet, overlay: Overlay | None) -> RuleSet:
    """The national rules with the overlay's rows in place; the national RuleSet when None."""
    if overlay is None:
        return national
    if overlay.year != national.year:
        raise OverlayError(f"the {overlay.who} overlay is for {overlay.year}, not {national.year}")
    rows = list(national.rules)
    for varied in overlay.rows:
        kept: list[RuleValue] = []
        for row in rows:
            if row.key != varied.key or row.varied_by is not None:
                kept.append(row)
                continue
            if row.applies_to < varied.applies_from or row.applies_from > varied.applies_to:
                kept.append(row)
                continue
            day = timedelta(days=1)
            if row.applies_from < varied.applies_from and not row.is_period_amount:
                kept.append(replace(row, applies_to=varied.applies_from - day))
            if row.applies_to > varied.applies_to and not row.is_period_amount:
                kept.append(replace(row, applies_from=varied.applies_to + day))
        rows = [*kept, varied]
    return RuleSet(year=national.year, path=national.path, rules=tuple(rows), roles=national.roles)


@dataclass(frozen=True)
class Change:
    """One overlay row against the national rows it replaces, in words."""

    key: str
    sentence: str
    national: tuple[RuleValue, ...]
    varied: RuleValue


def changes(national: RuleSet, overlay: Overlay) -> list[Change]:
    """What the overlay changes, one sentence per row (for the overlay page and the CLI)."""
    from openpcn.rules.diff_words import amount, topic_label

    out = []
    for row in overlay.rows:
        before = tuple(
            n
            for n in national.rows(row.key)
            if n.key == row.key
            and not (n.applies_to < row.applies_from or n.applies_from > row.applies_to)
        )
        span = _span(row, national.year)
        label = topic_label(row.key)
        now = amount(row.value, row.unit)
        if before:
            was = " or ".join(dict.fromkeys(amount(n.value, n.unit) for n in before))
            pct = _pct(before[-1], row)
            text = f"{label}: {now} {span} instead of the national {was}{pct}"
        else:
            text = f"{label}: {now} {span}, a local rule (the national rules hold none)"
        if not row.verified:
            text += "; unverified"
        out.append(Change(row.key, text + ".", before, row))
    return out


def _span(row: RuleValue, fy: FinancialYear) -> str:
    from openpcn.rules.variation import long_date

    if (row.applies_from, row.applies_to) == (fy.start, fy.end):
        return f"for all of {fy}"
    if row.applies_to == fy.end:
        return f"from {long_date(row.applies_from)}"
    return f"from {long_date(row.applies_from)} to {long_date(row.applies_to)}"


def _pct(before: RuleValue, after: RuleValue) -> str:
    if before.unit != after.unit or not before.value:
        return ""
    change = (after.value - before.value) / before.value * 100
    return f" ({change:+.1f}%)"


def _top_line(text: str, field: str) -> int:
    for i, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^{re.escape(field)}\s*:", line):
            return i
    return 1


def _explain(name: str, text: str, raw: dict, exc: ValidationError) -> str:
    lines = item_lines(text, "rows")

    def words(err: dict, msg: str) -> str:
        if err["type"] != "extra_forbidden":
            return msg
        return "is not a field of an overlay" if len(err["loc"]) == 1 else "is not a field of a row"

    def on_item(bad: BadItem) -> str:
        line = f" line {bad.line}," if bad.line is not None else ""
        field = f"field '{bad.field}': " if bad.field else ""
        if field and bad.msg.startswith(field.rstrip(": ")):
            field = ""
        key = bad.item.get("key", "?")
        return f"{name}{line} row '{key}' (#{bad.index}): {field}{bad.msg}"

    def on_other(loc: tuple, msg: str) -> str:
        m = re.match(r"^(?:row|rule) #(\d+) '([^']*)': (.*)$", msg)
        if m:
            index = int(m.group(1))
            line = f" line {lines[index]}," if index < len(lines) else ""
            return f"{name}{line} row '{m.group(2)}' (#{index}): {m.group(3)}"
        if loc:
            top = str(loc[0])
            where = f" line {_top_line(text, top)}:" if top != "rows" else ":"
            return f"{name}{where} field '{'.'.join(str(p) for p in loc)}' {msg}"
        return f"{name}: {msg}"

    return explain_validation(
        text, raw, exc, ("rows",), on_item=on_item, on_other=on_other, words=words
    )
