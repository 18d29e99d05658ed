"""The scenarios page's shapes: up to four scenarios beside the baseline, one row per figure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpcn.scenarios.effects import NOT_MONEY, Result

MAX_COMPARED = 4


@dataclass(frozen=True)
class Column:
    scenario: Any  # the stored Scenario
    result: Result | None
    problem: str = ""


def _text(value: Any, money: bool) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal) and money:
        return f"£{value:,.2f}"
    if isinstance(value, int | Decimal):
        return f"{value:,}"
    return str(value)


def _signed(value: Any, money: bool) -> str:
    if value in ("", None) or value == 0:
        return ""
    if isinstance(value, int | Decimal):
        sign = "+" if value > 0 else "-"
        return sign + _text(abs(value), money)
    return str(value)


def table(columns: list[Column], every: bool = False) -> list[dict]:
    """Rows: effect, item, baseline, then (scenario, difference) per column; only rows where a
    scenario differs unless ``every``. The baseline is the first column that ran (every
    scenario of one PCN and date shares it; scenarios of other dates show their own)."""
    ran = [c for c in columns if c.result is not None]
    if not ran:
        return []
    keys: list[tuple[str, str]] = []
    by_col = []
    for c in ran:
        rows = {(r.effect, r.item): r for r in c.result.rows}
        by_col.append(rows)
        keys += [k for k in rows if k not in keys]
    out = []
    for key in keys:
        money = not key[0].startswith(NOT_MONEY)
        first = next(rows[key] for rows in by_col if key in rows)
        cells = []
        differs = False
        for rows in by_col:
            r = rows.get(key)
            if r is None:  # this scenario leaves the item as it is in the baseline
                cells.append((_text(first.baseline, money), _signed(0, money)))
                continue
            differs = differs or r.difference not in ("", 0)
            cells.append((_text(r.scenario, money), _signed(r.difference, money)))
        if every or differs:
            out.append({"effect": key[0], "item": key[1],
                        "baseline": _text(first.baseline, money), "cells": cells})  # fmt: skip
    return out


def rota_view(run, current_version: int) -> dict | None:
    """A scenario's latest sample-week rota for the page: its state, progress, and when solved
    the baseline and scenario weeks side by side (practice rows joined on the practice)."""
    if run is None:
        return None
    out = {"run": run, "stale": run.version != current_version, "practices": []}
    weeks = (run.result or {}).get("rota") or {}
    base, scen = weeks.get("baseline"), weeks.get("scenario")
    if not (base and scen):
        return out
    before = {p["practice"]: p for p in base["practices"]}
    for p in scen["practices"] or base["practices"]:
        b = before.get(p["practice"], {})
        out["practices"].append({
            "practice": p["practice"], "name": p["name"],
            "baseline": b.get("sessions", "-"), "baseline_share": b.get("share", "-"),
            "scenario": p["sessions"] if scen["practices"] else "-",
            "scenario_share": p["share"] if scen["practices"] else "-",
            "list_share": p["list_share"],
        })  # fmt: skip
    out |= {"baseline": base, "scenario": scen}
    return out
