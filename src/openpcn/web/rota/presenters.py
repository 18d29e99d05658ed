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


def _events(plan: RotaPlan, staff_id: str | None = None) -> list[dict]:
    """The plan's sessions (one person's when staff_id is given) as calendar events."""
    inst = instance_of(plan)
    times = {s.id: (s.start, s.end) for s in inst.sessions}
    names = {s.id: s.name for s in inst.staff}
    sites = {s.id: s.name for s in inst.sites}
    assignments = assignments_of(plan)
    rooms = room_numbers(assignments)
    return [
        {
            "uid": f"openpcn-plan{plan.pk}-{i}@openpcn",
            "date": a.slot.date,
            "session": a.slot.session,
            "times": times[a.slot.session],
            "who": names[a.staff],
            "staff": a.staff,
            "site_id": a.site,
            "site": sites.get(a.site, a.site),
            "room": room_label(rooms[(a.staff, a.slot)]),
            "care_home": a.care_home,
        }
        for i, a in enumerate(assignments)
        if not staff_id or a.staff == staff_id
    ]


def _calendar(events: list[dict]) -> str:
    stamp = datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")  # noqa: DTZ003
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//OpenPCN//Rota//EN", "CALSCALE:GREGORIAN"]
    for e in events:
        (start, end), day = e["times"], e["date"].strftime("%Y%m%d")
        what = f"Care home round: {e['care_home']}" if e["care_home"] else e["site"]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e['uid']}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID=Europe/London:{day}T{start:%H%M}00",
            f"DTEND;TZID=Europe/London:{day}T{end:%H%M}00",
            f"SUMMARY:{e['who']} at {what}".replace(",", "\\,"),
            f"LOCATION:{e['site']} {e['room']}".strip().replace(",", "\\,"),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def ical(plan: RotaPlan, staff_id: str | None = None) -> str:
    """An iCalendar file of the plan's sessions (one person's when staff_id is given)."""
    return _calendar(_events(plan, staff_id))


def _published(pcn, keep) -> list[dict]:
    """Events of the PCN's published plans that ``keep`` accepts: where two published plans
    cover the same dates, the one published later wins on those dates."""
    plans = RotaPlan.objects.filter(
        pcn=pcn, status="published", published_at__isnull=False
    ).order_by("-published_at", "-pk")
    covered: list[tuple[date, date]] = []
    events: list[dict] = []
    for plan in plans:
        end = plan.start + timedelta(days=7 * plan.weeks - 1)
        events += [
            e
            for e in _events(plan, None)
            if keep(e) and not any(lo <= e["date"] <= hi for lo, hi in covered)
        ]
        covered.append((plan.start, end))
    return sorted(events, key=lambda e: (e["date"], e["times"]))


def own_events(user) -> list[dict]:
    """Every published session of the signed-in member of staff, across plans."""
    account = getattr(user, "staff_account", None)
    if account is None:
        return []
    staff = str(account.staff_id)
    return _published(account.staff.pcn, lambda e: e["staff"] == staff)


def practice_sessions(pcn, practice_code: str) -> list[dict]:
    """Every published session held at a practice (its rota site ``S-<code>``)."""
    site = f"S-{practice_code}"
    return _published(pcn, lambda e: e["site_id"] == site)


def own_sessions(user) -> list[tuple]:
    """(date, session, site, care home, room) of :func:`own_events`, for the caseload page."""
    return [
        (e["date"], e["session"], e["site"], e["care_home"], e["room"]) for e in own_events(user)
    ]


def own_ical(user) -> str | None:
    events = own_events(user)
    return _calendar(events) if events else None
