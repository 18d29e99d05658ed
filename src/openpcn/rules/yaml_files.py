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


@dataclass(frozen=True)
class BadItem:
    """One validation error inside an item of a top-level list: the list (``section``), the
    item's place and raw mapping, its line (None when not found), the field and the message."""

    section: str
    index: int
    item: dict
    line: int | None
    field: str
    msg: str


def explain_validation(
    text: str,
    raw: dict,
    exc: ValidationError,
    sections: tuple[str, ...],
    *,
    on_item: Callable[[BadItem], str],
    on_other: Callable[[tuple, str], str],
    words: Callable[[dict, str], str] | None = None,
) -> str:
    """Pydantic's errors in a rule-like file's words, one line each: a missing field "is
    required" (``words`` may reword others), an error in an item of one of ``sections`` as
    ``on_item`` says it (with the item's line), any other as ``on_other`` says it."""
    messages = []
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "is required"
        elif words is not None:
            msg = words(err, msg)
        section = loc[0] if loc else ""
        if section in sections and len(loc) >= 2 and isinstance(loc[1], int):
            index = loc[1]
            items = raw.get(section) or []
            item = items[index] if index < len(items) and isinstance(items[index], dict) else {}
            lines = item_lines(text, str(section))
            line = lines[index] if index < len(lines) else None
            field = loc[2] if len(loc) > 2 and isinstance(loc[2], str) else ""
            messages.append(on_item(BadItem(str(section), index, item, line, field, msg)))
            continue
        messages.append(on_other(loc, msg))
    return "\n".join(messages)
