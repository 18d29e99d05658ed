"""Small-number suppression for the ICB's neighbourhood aggregates (issue 18 part 5).

The ICB view shows counts about patients (a team's caseload) only as aggregates, and a count
of 1 to 4 is shown as "fewer than 5", never as the number: a reader could otherwise pick out
one or two patients in a small neighbourhood. Zero is shown (nobody is revealed by it)."""

from __future__ import annotations

SMALL = 5
FEWER = f"fewer than {SMALL}"


def suppressed(count: int) -> int | None:
    """``count`` unless it is 1-4 (then None: show :data:`FEWER`)."""
    if count < 0:
        raise ValueError("counts are never negative")
    return None if 0 < count < SMALL else count


def shown(count: int) -> str:
    """The words for a count a page or export shows: "fewer than 5" for 1-4."""
    value = suppressed(count)
    return FEWER if value is None else f"{value:,}"


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage to 1 place; None when there is no whole."""
    return round(part / whole * 100, 1) if whole else None
