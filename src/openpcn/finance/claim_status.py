"""The claim workflow as a pure state machine: draft -> submitted -> approved / rejected.

::

    state = ClaimState()                                   # draft, version 0
    state, entry = transition(state, "submitted", by="pm@pcn", at=now, expected_version=0)

Allowed: draft -> submitted (PCN); submitted -> approved or rejected (ICB commissioner;
rejection needs a reason); rejected -> draft (the PCN corrects it). Approved is final.
Anything else raises :class:`IllegalTransition`. Every step returns an :class:`AuditEntry`
(who, when, from, to, reason). ``expected_version`` guards against concurrent edits: a change
made from a stale copy raises :class:`StaleClaim` instead of silently overwriting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from openpcn.finance.errors import FinanceError, IllegalTransition


class Status(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"


ALLOWED: dict[Status, frozenset[Status]] = {
    Status.draft: frozenset({Status.submitted}),
    Status.submitted: frozenset({Status.approved, Status.rejected}),
    Status.rejected: frozenset({Status.draft}),
    Status.approved: frozenset(),
}
#: who may make each move: the PCN prepares, the ICB commissioner decides
ACTOR_ROLE: dict[Status, str] = {
    Status.submitted: "pcn",
    Status.approved: "icb_commissioner",
    Status.rejected: "icb_commissioner",
    Status.draft: "pcn",
}


class StaleClaim(FinanceError):
    """The claim changed since it was read: reload it and try again."""


@dataclass(frozen=True)
class ClaimState:
    status: Status = Status.draft
    version: int = 0


@dataclass(frozen=True)
class AuditEntry:
    from_status: Status
    to_status: Status
    by: str
    at: datetime
    version: int  # the version the change produced
    reason: str = ""


def transition(
    state: ClaimState,
    to: Status | str,
    *,
    by: str,
    at: datetime,
    reason: str = "",
    expected_version: int | None = None,
) -> tuple[ClaimState, AuditEntry]:
    """Move a claim to ``to``; raises IllegalTransition, StaleClaim or FinanceError."""
    try:
        target = Status(to)
    except ValueError:
        raise IllegalTransition(
            f"unknown claim status {to!r}; expected one of {', '.join(Status)}"
        ) from None
    if expected_version is not None and expected_version != state.version:
        raise StaleClaim(
            f"the claim is at version {state.version}, not {expected_version}: someone else"
            " changed it; reload and try again"
        )
    if target not in ALLOWED[state.status]:
        allowed = ", ".join(sorted(ALLOWED[state.status])) or "nothing (final)"
        raise IllegalTransition(
            f"a {state.status} claim cannot become {target}; it can become {allowed}"
        )
    if not by.strip():
        raise FinanceError("a claim status change must say who made it")
    if target == Status.rejected and not reason.strip():
        raise FinanceError("a rejection needs a reason")
    new = ClaimState(status=target, version=state.version + 1)
    return new, AuditEntry(state.status, target, by, at, new.version, reason)
