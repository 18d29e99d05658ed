"""JSON instance and solution files for the PCN rota (schema: docs/reference/).

Errors name the file, the line of the offending JSON object and the field.
"""

from __future__ import annotations

import json
from datetime import date, time
from json.decoder import JSONObject  # type: ignore[attr-defined]
from json.scanner import py_make_scanner
from pathlib import Path
from typing import Any

from openpcn.rota.errors import RotaInputError
from openpcn.rota.pcn.instance import (
    CareHome,
    Demand,
    EnhancedAccess,
    Fairness,
    Practice,
    Request,
    RotaInstance,
    Session,
    Site,
    Slot,
    Staff,
    Weights,
)
from openpcn.rota.pcn.model import Assignment, RotaResult


class _Obj(dict):
    line: int = 0


def _loads_with_lines(text: str) -> Any:
    def parse_object(s_and_end, *args, **kw):
        s, end = s_and_end
        obj, new_end = JSONObject(s_and_end, *args, **kw)
        o = _Obj(obj)
        o.line = s.count("\n", 0, end) + 1
        return o, new_end

    dec = json.JSONDecoder()
    dec.parse_object = parse_object  # type: ignore[attr-defined]
    dec.scan_once = py_make_scanner(dec)  # the C scanner ignores parse_object
    return dec.decode(text)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.lines: dict[str, int] = {"__source__": source}  # type: ignore[dict-item]

    def err(self, obj: Any, msg: str, fld: str = "") -> RotaInputError:
        return RotaInputError(msg, self.source, getattr(obj, "line", None), fld)

    def get(self, obj: Any, key: str, kind: type | tuple = object, default: Any = ...) -> Any:
        if not isinstance(obj, dict):
            raise self.err(obj, "expected a JSON object")
        if key not in obj:
            if default is ...:
                raise self.err(obj, "missing required field", key)
            return default
        v = obj[key]
        if kind is not object and not isinstance(v, kind):
            raise self.err(obj, f"wrong type {type(v).__name__}", key)
        return v

    def date(self, obj: Any, key: str, default: Any = ...) -> date | None:
        v = self.get(obj, key, (str, type(None)), default)
        if v is None:
            return None
        try:
            return date.fromisoformat(v)
        except ValueError:
            raise self.err(obj, f"not a date (YYYY-MM-DD): {v!r}", key) from None

    def dates(self, obj: Any, key: str) -> list[date]:
        out = []
        for v in self.get(obj, key, list, []):
            try:
                out.append(date.fromisoformat(v))
            except (TypeError, ValueError):
                raise self.err(obj, f"not a date (YYYY-MM-DD): {v!r}", key) from None
        return out

    def time(self, obj: Any, key: str) -> time:
        v = self.get(obj, key, str)
        try:
            return time.fromisoformat(v)
        except ValueError:
            raise self.err(obj, f"not a time (HH:MM): {v!r}", key) from None

    def list(self, obj: Any, key: str, name: str) -> list:
        items = self.get(obj, key, list, [])
        for i, item in enumerate(items):
            self.lines[f"{name}[{i}]"] = getattr(item, "line", 0)
        return items


def load_instance(text: str, source: str = "<json>") -> RotaInstance:
    """Parse a JSON instance; raise :class:`RotaInputError` naming the line and field."""
    try:
        doc = _loads_with_lines(text)
    except json.JSONDecodeError as exc:
        raise RotaInputError(f"not valid JSON: {exc.msg}", source, exc.lineno) from None
    r = _Reader(source)
    r.lines["days"] = getattr(doc, "line", 0)
    sessions = []
    for s in r.list(doc, "sessions", "sessions"):
        sessions.append(
            Session(
                r.get(s, "id", str),
                r.time(s, "start"),
                r.time(s, "end"),
                r.get(s, "days", str, "weekdays"),
            )
        )
        if sessions[-1].days not in ("weekdays", "saturday"):
            raise r.err(s, "must be 'weekdays' or 'saturday'", "days")
    r.lines["sessions"] = getattr(doc, "line", 0)
    practices = [
        Practice(
            r.get(p, "id", str), r.get(p, "name", str, r.get(p, "id")), r.get(p, "list_size", int)
        )
        for p in r.list(doc, "practices", "practices")
    ]
    sites = []
    for s in r.list(doc, "sites", "sites"):
        overrides = {}
        for o in r.get(s, "room_overrides", list, []):
            overrides[Slot(r.date(o, "date"), r.get(o, "session", str))] = r.get(o, "rooms", int)
        sites.append(
            Site(
                r.get(s, "id", str),
                r.get(s, "name", str, r.get(s, "id")),
                r.get(s, "practice", str),
                dict(r.get(s, "rooms", dict)),
                overrides,
            )
        )
    staff = []
    for e in r.list(doc, "staff", "staff"):
        avail = frozenset(
            (r.get(a, "weekday", int), r.get(a, "session", str))
            for a in r.get(e, "available", list, [])
        )
        staff.append(
            Staff(
                id=r.get(e, "id", str),
                name=r.get(e, "name", str, r.get(e, "id")),
                role=r.get(e, "role", str),
                wte=float(r.get(e, "wte", (int, float))),
                base_site=r.get(e, "base_site", str),
                skills=frozenset(r.get(e, "skills", list, [])),
                allowed_sites=frozenset(r.get(e, "allowed_sites", list, [])),
                available=avail,
                leave=frozenset(r.dates(e, "leave")),
                max_sites_per_day=r.get(e, "max_sites_per_day", int, 1),
                max_consecutive_days=r.get(e, "max_consecutive_days", int, 5),
                rest_after_evening=r.get(e, "rest_after_evening", bool, True),
                clinical=r.get(e, "clinical", bool, True),
            )
        )
    demand = [
        Demand(
            site=r.get(d, "site", str),
            session=r.get(d, "session", str),
            min=r.get(d, "min", int, 0),
            target=r.get(d, "target", int, 0),
            role=r.get(d, "role", (str, type(None)), None),
            skill=r.get(d, "skill", (str, type(None)), None),
            weekday=r.get(d, "weekday", (int, type(None)), None),
            date=r.date(d, "date", None),
        )
        for d in r.list(doc, "demand", "demand")
    ]
    ea = None
    if (e := r.get(doc, "enhanced_access", (dict, type(None)), None)) is not None:
        r.lines["enhanced_access"] = getattr(e, "line", 0)
        ea = EnhancedAccess(
            tuple(r.get(e, "sites", list)),
            r.get(e, "adjusted_population", int),
            r.get(e, "minutes_per_1000", int, 60),
            r.get(e, "gp_role", str, "gp"),
        )
    homes = [
        CareHome(
            r.get(h, "id", str),
            r.get(h, "name", str, r.get(h, "id")),
            r.get(h, "site", str),
            tuple(r.get(h, "roles", list, ["gp"])),
            r.get(h, "sessions_per_week", int, 1),
        )
        for h in r.list(doc, "care_homes", "care_homes")
    ]
    fairness = None
    if (f := r.get(doc, "fairness", (dict, type(None)), None)) is not None:
        fairness = Fairness(tuple(r.get(f, "roles", list)), r.get(f, "tolerance_percent", int, 10))
    requests = [
        Request(
            staff=r.get(q, "staff", str),
            date=r.date(q, "date"),
            kind=r.get(q, "kind", str),
            session=r.get(q, "session", (str, type(None)), None),
            site=r.get(q, "site", (str, type(None)), None),
            weight=r.get(q, "weight", int, 5),
        )
        for q in r.list(doc, "requests", "requests")
    ]
    w = r.get(doc, "weights", dict, {})
    weights = Weights(**{k: int(v) for k, v in w.items() if k in Weights.__dataclass_fields__})
    return RotaInstance(
        name=r.get(doc, "name", str, Path(source).stem),
        start=r.date(doc, "start"),
        days=r.get(doc, "days", int),
        sessions=sessions,
        practices=practices,
        sites=sites,
        staff=staff,
        demand=demand,
        enhanced_access=ea,
        care_homes=homes,
        fairness=fairness,
        requests=requests,
        weights=weights,
        closed=frozenset(r.dates(doc, "closed")),
        lines=r.lines,
    )


def read_instance(path: str | Path) -> RotaInstance:
    path = Path(path)
    return load_instance(path.read_text(encoding="utf-8"), str(path))


def dump_instance(inst: RotaInstance) -> dict[str, Any]:
    return {
        "name": inst.name,
        "start": inst.start.isoformat(),
        "days": inst.days,
        "closed": sorted(d.isoformat() for d in inst.closed),
        "sessions": [
            {
                "id": s.id,
                "start": s.start.strftime("%H:%M"),
                "end": s.end.strftime("%H:%M"),
                "days": s.days,
            }
            for s in inst.sessions
        ],
        "practices": [
            {"id": p.id, "name": p.name, "list_size": p.list_size} for p in inst.practices
        ],
        "sites": [
            {
                "id": s.id,
                "name": s.name,
                "practice": s.practice,
                "rooms": s.rooms,
                "room_overrides": [
                    {"date": k.date.isoformat(), "session": k.session, "rooms": v}
                    for k, v in s.room_overrides.items()
                ],
            }
            for s in inst.sites
        ],
        "staff": [
            {
                "id": e.id,
                "name": e.name,
                "role": e.role,
                "wte": e.wte,
                "base_site": e.base_site,
                "skills": sorted(e.skills),
                "allowed_sites": sorted(e.allowed_sites),
                "available": [{"weekday": w, "session": s} for w, s in sorted(e.available)],
                "leave": sorted(d.isoformat() for d in e.leave),
                "max_sites_per_day": e.max_sites_per_day,
                "max_consecutive_days": e.max_consecutive_days,
                "rest_after_evening": e.rest_after_evening,
                "clinical": e.clinical,
            }
            for e in inst.staff
        ],
        "demand": [
            {
                k: v
                for k, v in {
                    "site": d.site,
                    "session": d.session,
                    "min": d.min,
                    "target": d.target,
                    "role": d.role,
                    "skill": d.skill,
                    "weekday": d.weekday,
                    "date": d.date.isoformat() if d.date else None,
                }.items()
                if v is not None
            }
            for d in inst.demand
        ],
        "enhanced_access": None
        if inst.enhanced_access is None
        else {
            "sites": list(inst.enhanced_access.sites),
            "adjusted_population": inst.enhanced_access.adjusted_population,
            "minutes_per_1000": inst.enhanced_access.minutes_per_1000,
            "gp_role": inst.enhanced_access.gp_role,
        },
        "care_homes": [
            {
                "id": h.id,
                "name": h.name,
                "site": h.site,
                "roles": list(h.roles),
                "sessions_per_week": h.sessions_per_week,
            }
            for h in inst.care_homes
        ],
        "fairness": None
        if inst.fairness is None
        else {
            "roles": list(inst.fairness.roles),
            "tolerance_percent": inst.fairness.tolerance_percent,
        },
        "requests": [
            {
                k: v
                for k, v in {
                    "staff": q.staff,
                    "date": q.date.isoformat(),
                    "kind": q.kind,
                    "session": q.session,
                    "site": q.site,
                    "weight": q.weight,
                }.items()
                if v is not None
            }
            for q in inst.requests
        ],
        "weights": dict(inst.weights.__dict__),
    }


def assignment_doc(a: Assignment) -> dict:
    """One assignment as the solution file holds it (no care_home key off a round)."""
    doc = {
        "staff": a.staff,
        "date": a.slot.date.isoformat(),
        "session": a.slot.session,
        "site": a.site,
        "care_home": a.care_home,
    }
    return {k: v for k, v in doc.items() if v is not None}


def dump_solution(
    inst: RotaInstance, res: RotaResult, objective: int | None = None
) -> dict[str, Any]:
    return {
        "instance": inst.name,
        "status": res.status,
        "objective": res.objective if objective is None else objective,
        "best_bound": res.best_bound,
        "seconds": round(res.seconds, 3),
        "assignments": [assignment_doc(a) for a in res.assignments],
        "unmet": [{"kind": u.kind, "text": u.text, "penalty": u.penalty} for u in res.unmet],
        "conflicts": [{"requirement": n} for n in res.conflict_names],
        "conflict_text": res.conflicts,
    }
