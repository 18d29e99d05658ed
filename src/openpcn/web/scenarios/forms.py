"""The scenarios page's forms for the change kinds beyond a recruit and a practice leaving
(which have bespoke forms in the template): one form per kind, its fields named
``<kind>-<field>``, each a date, a number, text, or a choice from the PCN's own records."""

from __future__ import annotations

from openpcn.scenarios.changes import ROOM_SESSIONS

#: kind -> (heading, ((field, label, widget), ...)); a widget is "date", "number", "text" or
#: the name of a list of choices (see :func:`choices`); a label ending "(optional)" may be blank
KIND_FORMS = {
    "leave": ("A member of staff leaves", (
        ("staff_id", "Member of staff", "staff"), ("on", "Last day (date)", "date"))),
    "change_wte": ("A member of staff changes WTE", (
        ("staff_id", "Member of staff", "staff"), ("wte", "New WTE", "number"),
        ("start", "From (date)", "date"))),
    "vacancy_unfilled": ("A vacancy is not filled", (("vacancy_id", "Vacancy", "vacancies"),)),
    "practice_joins": ("A practice joins", (
        ("practice", "Practice (ODS code)", "text"), ("start", "Joins from (date)", "date"))),
    "care_home_aligned": ("A care home is aligned", (
        ("location_id", "CQC location id", "text"), ("start", "From (date)", "date"),
        ("lead_practice", "Lead practice (needed to adopt; optional)", "members_or_none"))),
    "care_home_unaligned": ("A care home's alignment ends", (
        ("location_id", "CQC location id", "text"), ("end", "Last day (date)", "date"))),
    "rules_variant": ("Another ICB's rules", (
        ("icb", "ICB code (blank: the national rules; optional)", "text"),)),
    "rules_year": ("Another year's rules", (("year", "Financial year, like 2026-27", "text"),)),
    "rooms": ("Rooms at a site change", (
        ("practice", "Practice", "members"), ("rooms", "Free clinical rooms", "number"),
        ("session", "Session", "sessions"), ("start", "From (date)", "date"))),
}  # fmt: skip


def field_names() -> dict[str, tuple[str, ...]]:
    return {kind: tuple(f for f, _, _ in spec) for kind, (_, spec) in KIND_FORMS.items()}


def choices(pcn_code: str, members: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """(value, text) choices for the forms, from the PCN's register, vacancies and members."""
    from openpcn.data.finance.models import StaffMember, Vacancy

    staff = [
        (s.staff_id, f"{s.staff_id}: {s.role.replace('_', ' ')}, {s.wte} WTE")
        for s in StaffMember.objects.filter(pcn__code=pcn_code).order_by("id")
    ]
    vacancies = [
        (v.vacancy_id, f"{v.vacancy_id}: {v.role.replace('_', ' ')}, {v.wte} WTE from"
                       f" {v.planned_start}")
        for v in Vacancy.objects.filter(pcn__code=pcn_code).order_by("id")
    ]  # fmt: skip
    practices = [(code, f"{name} ({code})") for code, name in members]
    return {
        "staff": staff,
        "vacancies": vacancies,
        "members": practices,
        "members_or_none": [("", "Not yet known"), *practices],
        "sessions": [("", "Morning and afternoon"), *((s, s.capitalize()) for s in ROOM_SESSIONS)],
    }
