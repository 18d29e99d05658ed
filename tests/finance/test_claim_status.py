"""The claim workflow: allowed moves, illegal moves, audit entries, concurrent edits."""

from __future__ import annotations

from datetime import datetime

import pytest

from openpcn.finance.claim_status import ClaimState, StaleClaim, Status, transition
from openpcn.finance.errors import FinanceError, IllegalTransition

AT = datetime(2024, 11, 5, 10, 30)
MOVES = [
    ("draft", "submitted", True),
    ("draft", "approved", False),
    ("draft", "rejected", False),
    ("submitted", "approved", True),
    ("submitted", "rejected", True),
    ("submitted", "draft", False),
    ("approved", "draft", False),
    ("approved", "rejected", False),
    ("approved", "submitted", False),
    ("rejected", "draft", True),
    ("rejected", "approved", False),
    ("rejected", "submitted", False),
]


@pytest.mark.parametrize(("start", "to", "ok"), MOVES)
def test_moves(start, to, ok):
    state = ClaimState(Status(start), version=3)
    if ok:
        new, entry = transition(state, to, by="user@pcn", at=AT, reason="checked")
        assert new == ClaimState(Status(to), 4)
        assert (entry.from_status, entry.to_status, entry.by, entry.at, entry.version) == (
            Status(start), Status(to), "user@pcn", AT, 4,
        )  # fmt: skip
    else:
        with pytest.raises(IllegalTransition, match=f"a {start} claim cannot become {to}"):
            transition(state, to, by="user@pcn", at=AT, reason="x")


def test_rejection_needs_a_reason_and_a_person():
    state = ClaimState(Status.submitted)
    with pytest.raises(FinanceError, match="rejection needs a reason"):
        transition(state, "rejected", by="icb@nhs", at=AT)
    with pytest.raises(FinanceError, match="must say who"):
        transition(state, "approved", by=" ", at=AT)


def test_unknown_status():
    with pytest.raises(IllegalTransition, match="unknown claim status 'paid'"):
        transition(ClaimState(), "paid", by="x", at=AT)


def test_stale_copy_cannot_overwrite():
    state = ClaimState()
    state, _ = transition(state, "submitted", by="a", at=AT, expected_version=0)
    with pytest.raises(StaleClaim, match="version 1, not 0"):
        transition(state, "approved", by="b", at=AT, expected_version=0)
    state, _ = transition(state, "approved", by="b", at=AT, expected_version=1)
    assert state == ClaimState(Status.approved, 2)
