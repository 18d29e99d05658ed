"""Integrated neighbourhood teams (issue 18 part 3), pure rules only.

A team belongs to a neighbourhood; its members come from several employers (the
neighbourhood's partners, the PCNs that serve it and their practices); it meets, holds a
caseload of patients under proactive care (drawn from population cohorts, as in the Kent and
Medway scheme: severe frailty, care home residents, housebound, high multimorbidity) and
records actions per patient or per topic.

Everything here takes plain data and returns a list of problems in words (empty: fine), so
the data layer can refuse a whole write before saving anything.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from openpcn.core.actions import ACTION_STATUSES, action_basics


@dataclass(frozen=True)
class CohortSource:
    """Where a caseload's patients come from: a population definition's column."""

    key: str
    definition: str
    column: str  # a cohort, or an eFI deficit column (c_<name>)
    label: str


#: the proactive-care cohorts a caseload can be drawn from (Kent and Medway's four groups)
CASELOAD_SOURCES: dict[str, CohortSource] = {
    s.key: s
    for s in (
        CohortSource("severe_frailty", "efi", "severe", "Severe frailty (eFI over 0.36)"),
        CohortSource("care_home", "smr", "care_home", "Care home resident"),
        CohortSource(
            "housebound", "efi", "c_housebound", "Housebound (coded housebound, eFI deficit)"
        ),
        CohortSource(
            "multimorbid_high", "cms", "multimorbid_high", "High multimorbidity (CMS 2 or more)"
        ),
    )
}
ADDED_AT_MEETING = "meeting"  # a patient added by hand at a meeting (source)

__all__ = ["ACTION_STATUSES"]  # the shared statuses (openpcn.core.actions), re-exported

#: why a member needs the team's caseload (asked before any patient is shown; audited)
CASELOAD_PURPOSES = {
    "proactive_care": "Proactive care: preparing or holding the team's meeting",
    "direct_care": "Direct care: following up an action for a patient",
}


def member_problems(
    name: str, role: str, employer_code: str, allowed: Mapping[str, str]
) -> list[str]:
    """A member needs a name, a role and an employer among ``allowed`` (code -> name: the
    neighbourhood's partners, its PCNs and their practices, as at the day)."""
    problems = []
    if not (name or "").strip():
        problems.append("the member needs a name")
    if not (role or "").strip():
        problems.append("say what the member does in the team (their role)")
    code = (employer_code or "").strip().upper()
    if not code:
        problems.append("choose the member's employer")
    elif code not in allowed:
        problems.append(
            f"{code} is not a partner of this neighbourhood, nor one of its PCNs or their "
            "practices: add it as a partner of the neighbourhood first"
        )
    return problems


def meeting_problems(
    day: date | None, agenda: str, attendees: Collection[int], members: Collection[int]
) -> list[str]:
    problems = []
    if day is None:
        problems.append("enter the meeting's date, like 2026-04-01")
    if not (agenda or "").strip():
        problems.append("write the meeting's agenda")
    if not attendees:
        problems.append("tick at least one member who attended")
    strangers = sorted(set(attendees) - set(members))
    if strangers:
        problems.append(f"attendees {strangers} are not members of this team")
    return problems


def action_problems(
    *,
    text: str,
    owner: int | None,
    members: Collection[int],
    topic: str,
    patient: int | None,
    caseload: Collection[int],
    due: date | None,
    status: str,
) -> list[str]:
    """An action needs words, an owner who is a member, a topic or a patient on the team's
    caseload (not both), a due date and a known status."""
    problems = action_basics(
        text, owner is not None, due, status, "choose the member who owns the action"
    )
    if owner is not None and owner not in members:
        problems.append("the action's owner is not a member of this team")
    has_topic = bool((topic or "").strip())
    if has_topic and patient is not None:
        problems.append("an action is about one patient or one topic, not both")
    elif not has_topic and patient is None:
        problems.append("say which patient on the caseload or which topic the action is about")
    elif patient is not None and patient not in caseload:
        problems.append("that patient is not on the team's caseload")
    return problems
