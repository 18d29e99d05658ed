"""A PCN's decisions, meetings and actions, as rules in words.

- A decision says what was decided, when, by whom (the board, the clinical directors' group)
  and for which practices: the member practices as at its date (all of them, or some).
- A meeting has a date and a title; its attendees and minutes are words.
- An action is the shared idea of :mod:`openpcn.core.actions` (words, an owner, a due date, a
  status); here its owner is a named person and its organisation one of the PCN's member
  practices or the PCN itself, as at the due date."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from openpcn.core.actions import action_basics


def decision_problems(
    *,
    pcn: str,
    day: date | None,
    what: str,
    made_by: str,
    practices: Collection[str],
    members: Mapping[str, str],
) -> list[str]:
    problems = []
    if day is None:
        problems.append("enter the date of the decision, like 2026-04-01")
    if not (what or "").strip():
        problems.append("say what was decided")
    if not (made_by or "").strip():
        problems.append("say who made the decision (the board, the clinical directors' group)")
    if not practices:
        problems.append("tick the practices the decision is for (all of them, or some)")
    strangers = sorted(set(practices) - set(members))
    if strangers and day is not None:
        problems.append(
            f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not a member "
            f"practice of {pcn} on {day}"
        )
    return problems


def meeting_problems(day: date | None, title: str) -> list[str]:
    problems = []
    if day is None:
        problems.append("enter the meeting's date, like 2026-04-01")
    if not (title or "").strip():
        problems.append("give the meeting a title, like 'PCN board'")
    return problems


def action_problems(
    *,
    text: str,
    owner: str,
    organisation: str,
    organisations: Mapping[str, str],
    due: date | None,
    status: str,
) -> list[str]:
    """An action needs words, a named owner, an organisation among ``organisations`` (the PCN
    and its member practices as at the due date), a due date and a known status."""
    problems = action_basics(
        text,
        bool((owner or "").strip()),
        due,
        status,
        "name the person who owns the action (who will do it)",
    )
    code = (organisation or "").strip().upper()
    if not code:
        problems.append("choose the organisation the action's owner acts for")
    elif code not in organisations:
        problems.append(f"{code} is neither the PCN nor one of its member practices")
    return problems
