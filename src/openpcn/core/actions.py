"""An action: something a named owner will do, for an organisation, by a due date, with a
status. Neighbourhood teams (owner: a team member) and a PCN's governance meetings (owner: a
named person at a member practice or the PCN) both record them; the rules they share are
here, in words, so the two never drift apart. Pure: no Django."""

from __future__ import annotations

from datetime import date

ACTION_STATUSES = ("open", "in progress", "done", "cancelled")


def status_problems(status: str) -> list[str]:
    if status not in ACTION_STATUSES:
        return [f"the status must be one of: {', '.join(ACTION_STATUSES)}"]
    return []


def action_basics(
    text: str, has_owner: bool, due: date | None, status: str, no_owner: str
) -> list[str]:
    """What every action needs: words, an owner (``no_owner`` is the message when there is
    none, saying how to choose one), a due date and a known status. Returns the problems in
    words (empty: fine)."""
    problems = []
    if not (text or "").strip():
        problems.append("say what the action is")
    if not has_owner:
        problems.append(no_owner)
    if due is None:
        problems.append("enter the date the action is due, like 2026-04-15")
    return problems + status_problems(status)
