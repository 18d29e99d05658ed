"""Reading a year-shaped YAML file (rules, pay): parse, validate, check the file's name, and
name the line of a bad item.  The errors name the file, so a person can open it and fix it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from openpcn.core.fyear import FinancialYear


@dataclass(frozen=True)
class YearFile:
    """A validated year file: its text and raw mapping (for line numbers), the parsed model,
    its year and ``cite`` (source tags in words)."""

    text: str
    raw: dict
    parsed: Any
    year: FinancialYear
    cite: Callable[[list[str]], str]


def read_year_file(
    path: Path,
    name: str,
    model: type[BaseModel],
    error: type[Exception],
    *,
    expected: str,
    sources: dict[str, str],
    explain: Callable[[str, dict, ValidationError], str],
) -> YearFile:
    """Load ``path`` (called ``name`` in messages) as ``model``; any fault raises ``error``
    naming the file: not YAML, not a mapping of ``expected``, a field (``explain`` words the
    validation errors), or a year other than the one the file is named for."""
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise error(f"{name}: expected a mapping with {expected}")
    try:
        parsed = model.model_validate(raw, context={"sources": set(sources)})
    except ValidationError as exc:
        raise error(explain(text, raw, exc)) from None
    year = FinancialYear.parse(parsed.year)
    if path.stem != str(year):
        raise error(f"{name}: field 'year' is {year} but the file is named for another")

    def cite(tags: list[str]) -> str:
        return "; ".join(f"[{t}] {sources[t]}" for t in tags)

    return YearFile(text=text, raw=raw, parsed=parsed, year=year, cite=cite)


def item_lines(text: str, section: str) -> list[int]:
    """1-based line numbers of the items of a top-level list (best effort): how every rule-like
    file (rules, pay, overlays) names the line of a bad item."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if getattr(k, "value", None) == section and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []
