"""Tiny PCN rota instances for spec tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from openpcn.rota.pcn.generate import STANDARD_SESSIONS
from openpcn.rota.pcn.instance import Practice, RotaInstance, Site, Staff

MONDAY = date(2025, 1, 6)


def tiny(days: int = 1, rooms: int = 2, staff: list[Staff] | None = None, **kw) -> RotaInstance:
    """One practice and site, weekday morning/afternoon only unless sessions given."""
    sessions = kw.pop("sessions", STANDARD_SESSIONS[:2])
    sites = kw.pop(
        "sites",
        [Site("A", "Site A", "P1", {s.id: rooms for s in sessions})],
    )
    practices = kw.pop("practices", [Practice("P1", "Practice 1", 10000)])
    return RotaInstance(
        name="tiny",
        start=MONDAY,
        days=days,
        sessions=sessions,
        practices=practices,
        sites=sites,
        staff=staff if staff is not None else [person("G1")],
        **kw,
    )


def person(pid: str, role: str = "gp", wte: float = 1.0, base: str = "A", **kw) -> Staff:
    return replace(Staff(pid, f"Dr {pid}" if role == "gp" else pid, role, wte, base), **kw)
