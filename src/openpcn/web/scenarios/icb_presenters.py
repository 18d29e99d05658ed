"""The ICB scenarios page's shapes: the ICB's totals beside its baseline (each with how it is
made), each touched PCN's differences (the PCN page's table), and the forms' choices."""

from __future__ import annotations

from datetime import date
from typing import Any

from openpcn.scenarios.effects import NOT_MONEY
from openpcn.scenarios.icb import IcbResult
from openpcn.web.scenarios.presenters import Column, _signed, _text, table

#: kind -> (heading, ((field, label, widget), ...)), as the PCN page's forms (forms.py)
ICB_FORMS = {
    "practice_moves": ("A practice moves to another PCN of the ICB", (
        ("practice", "Practice", "practices"), ("to_pcn", "Moves to (PCN)", "pcns"),
        ("start", "From (date)", "date"))),
    "care_home_realigned": ("A care home is realigned to another PCN", (
        ("location_id", "CQC location id of a home aligned to a PCN of the ICB", "text"),
        ("to_pcn", "Realigned to (PCN)", "pcns"), ("start", "From (date)", "date"),
        ("lead_practice", "Lead practice (needed to adopt; optional)", "practices_or_none"))),
    "rules_year": ("Another year's rules for every PCN", (
        ("year", "Financial year, like 2026-27", "text"),)),
    "rules_variant": ("Another local variation for every PCN", (
        ("icb", "ICB code whose variation applies (blank: the national rules; optional)",
         "text"),)),
}  # fmt: skip


def icb_fields() -> dict[str, tuple[str, ...]]:
    return {kind: tuple(f for f, _, _ in spec) for kind, (_, spec) in ICB_FORMS.items()}


def choices(icb_code: str, on: date) -> dict[str, list[tuple[str, str]]]:
    """The ICB's PCNs and their member practices as at ``on``, for the forms."""
    from openpcn.data.finance.register import member_practices
    from openpcn.data.scenarios.icb_store import pcns_of

    pcns = pcns_of(icb_code, on)
    practices = [(code, f"{name} ({code}), {p.code}") for p in pcns
                 for code, name in member_practices(p.code)]  # fmt: skip
    return {
        "pcns": [(p.code, f"{p.name} ({p.code})") for p in pcns],
        "practices": practices,
        "practices_or_none": [("", "Not yet known"), *practices],
    }


def totals(result: IcbResult, every: bool = False) -> list[dict[str, Any]]:
    """The ICB totals rows: baseline, scenario, difference and how the total is made."""
    out = []
    for r in result.rows:
        if not every and r.difference in ("", 0):
            continue
        money = not r.effect.startswith(NOT_MONEY)
        out.append({"effect": r.effect, "item": r.item, "baseline": _text(r.baseline, money),
                    "scenario": _text(r.scenario, money),
                    "difference": _signed(r.difference, money),
                    "how": result.explanations.get(r.effect, "")})  # fmt: skip
    return out


def pcn_tables(scenario, result: IcbResult, every: bool = False) -> list[dict[str, Any]]:
    """Each touched PCN: its name, its changes (as the PCN engine ran them), notes, messages and
    the PCN page's differences table."""
    out = []
    for code, r in result.pcns.items():
        out.append({
            "code": code, "name": result.inputs.names.get(code, code), "result": r,
            "rows": table([Column(scenario, r)], every=every),
        })  # fmt: skip
    return out
