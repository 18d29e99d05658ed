"""Views of a rota plan: grid by site and week, by person, Enhanced Access minutes, exports."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from openpcn.data.rota.models import RotaPlan
from openpcn.data.rota.planning import assignments_of, instance_of
from openpcn.rota.pcn.rooms import room_label, room_numbers


def grid(plan: RotaPlan) -> dict:
    """{'dates': [...], 'sites': [(site, name)], 'cells': {(site, date, session): [names]},
    'people': {staff: [(date, session, site)]}, ...}"""
    inst = instance_of(plan)
    names = {s.id: s.name for s in inst.staff}
    roles = {s.id: s.role for s in inst.staff}
    cells: dict[tuple, list[str]] = defaultdict(list)
    people: dict[str, list] = defaultdict(list)
    assignments = assignments_of(plan)
    rooms = room_numbers(assignments)
    for a in assignments:
        where = f"round: {a.care_home}" if a.care_home else room_label(rooms[(a.staff, a.slot)])
        cells[(a.site, a.slot.date.isoformat(), a.slot.session)].append(
            f"{names[a.staff]} ({where})"
        )
        people[a.staff].append((a.slot.date, a.slot.session, a.site, a.care_home))
    dates = [inst.start + timedelta(days=i) for i in range(inst.days)]
    weeks = [dates[i : i + 7] for i in range(0, len(dates), 7)]
    return {
        "weeks": weeks,
        "sessions": [s.id for s in inst.sessions],
        "sites": [(s.id, s.name) for s in inst.sites],
        "cells": cells,
        "people": sorted(((names[k], roles[k], sorted(v)) for k, v in people.items())),
        "staff": sorted((s.id, s.name, s.role) for s in inst.staff),
        "site_names": {s.id: s.name for s in inst.sites},
    }


def enhanced_access(plan: RotaPlan) -> list[dict]:
    """Per week: minutes of clinical sessions planned in Network Standard Hours against the
    requirement (60 minutes per 1,000 adjusted population)."""
    inst = instance_of(plan)
    if inst.enhanced_access is None:
        return []
    clinical = {s.id for s in inst.staff if s.clinical}
    times = {s.id: (s.start, s.end) for s in inst.sessions}
    weeks: dict[int, int] = defaultdict(int)
    for a in assignments_of(plan):
        if a.staff in clinical and a.slot.session in ("evening", "saturday") and not a.care_home:
            start, end = times[a.slot.session]
            minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
            weeks[(a.slot.date - inst.start).days // 7] += minutes
    need = inst.enhanced_access.weekly_minutes
    return [
        {
            "week": w + 1,
            "planned": weeks.get(w, 0),
            "required": need,
            "met": weeks.get(w, 0) >= need,
        }
        for w in range(inst.days // 7)
    ]


def csv_rows(plan: RotaPlan):
    inst = instance_of(plan)
    names = {s.id: (s.name, s.role) for s in inst.staff}
    sites = {s.id: s.name for s in inst.sites}
    assignments = assignments_of(plan)
    rooms = room_numbers(assignments)
    for a in sorted(assignments, key=lambda a: (a.slot.date, a.slot.session, a.site)):
        yield [
            a.slot.date.isoformat(),
            a.slot.session,
            sites.get(a.site, a.site),
            rooms[(a.staff, a.slot)] or "",
            names[a.staff][0],
            names[a.staff][1],
            a.care_home or "",
        ]


def ical(plan: RotaPlan, staff_id: str | None = None) -> str:
    """An iCalendar file of the plan's sessions (one person's when staff_id is given)."""
    inst = instance_of(plan)
    times = {s.id: (s.start, s.end) for s in inst.sessions}
    names = {s.id: s.name for s in inst.staff}
    sites = {s.id: s.name for s in inst.sites}
    stamp = datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")  # noqa: DTZ003
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//OpenPCN//Rota//EN", "CALSCALE:GREGORIAN"]
    assignments = assignments_of(plan)
    rooms = room_numbers(assignments)
    for i, a in enumerate(assignments):
        if staff_id and a.staff != staff_id:
            continue
        start, end = times[a.slot.session]
        day = a.slot.date.strftime("%Y%m%d")
        what = f"Care home round: {a.care_home}" if a.care_home else sites.get(a.site, a.site)
        lines += [
            "BEGIN:VEVENT",
            f"UID:openpcn-plan{plan.pk}-{i}@openpcn",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID=Europe/London:{day}T{start:%H%M}00",
            f"DTEND;TZID=Europe/London:{day}T{end:%H%M}00",
            f"SUMMARY:{names[a.staff]} at {what}".replace(",", "\\,"),
            f"LOCATION:{sites.get(a.site, a.site)} {room_label(rooms[(a.staff, a.slot)])}".strip().replace(
                ",", "\\,"
            ),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def own_sessions(user) -> tuple[RotaPlan | None, list]:
    """The newest published plan's sessions of the signed-in member of staff."""
    account = getattr(user, "staff_account", None)
    if account is None:
        return None, []
    plan = RotaPlan.objects.filter(pcn=account.staff.pcn, status="published").first()
    if plan is None:
        return None, []
    sid = str(account.staff_id)
    sites = {s["id"]: s["name"] for s in plan.instance.get("sites", [])}
    rows = [
        (
            date.fromisoformat(a["date"]),
            a["session"],
            sites.get(a["site"], a["site"]),
            a.get("care_home"),
        )
        for a in plan.solution.get("assignments", [])
        if a["staff"] == sid
    ]
    return plan, sorted(rows)
