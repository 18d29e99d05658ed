"""The IIF sliding scale (nhs-rules-reference.md section 3 and modelling note 5).

``points = clamp((achievement - LT) / (UT - LT), 0, 1) x max points``: nothing at or below the
lower threshold, all points at or above the upper one, linear between. For a "down"
indicator LT > UT and the same formula holds. Achievement is a percentage, exact Decimal.
"""

from __future__ import annotations

from decimal import Decimal

from openpcn.rules.iif_schema import Indicator
from openpcn.services.errors import ServicesError

HUNDRED = Decimal(100)


def achievement_pct(numerator: Decimal | int, denominator: Decimal | int) -> Decimal | None:
    """100 x numerator / denominator; None when the denominator is 0."""
    num, den = Decimal(numerator), Decimal(denominator)
    if num < 0 or den < 0:
        raise ServicesError("numerator and denominator must be 0 or more")
    if num > den:
        raise ServicesError(f"numerator {num} is larger than denominator {den}")
    if den == 0:
        return None
    return num * HUNDRED / den


def points(indicator: Indicator, achievement: Decimal | None) -> Decimal:
    """Points earned on the sliding scale (0 if achievement is None)."""
    if not indicator.payable:
        raise ServicesError(f"{indicator.code} has no known points and thresholds")
    if achievement is None:
        return Decimal(0)
    lt, ut = indicator.lower_threshold, indicator.upper_threshold
    fraction = (Decimal(achievement) - lt) / (ut - lt)
    fraction = min(Decimal(1), max(Decimal(0), fraction))
    return fraction * indicator.points


def patients_to_next_threshold(
    indicator: Indicator, numerator: int | Decimal, denominator: int | Decimal
) -> tuple[str, int] | None:
    """(threshold name, count) still needed to reach the next threshold, or None at the top.

    The count is in the unit the indicator's numerator counts (``indicator.counts``:
    appointments, referrals, patients). For an "up" indicator it is extra numerator
    items; for "down", items to move out of the numerator. "lower" is where points start to accrue;
    reaching it earns nothing yet, each patient beyond it earns points; "upper" is full points.
    """
    if not indicator.payable:
        return None
    num, den = Decimal(numerator), Decimal(denominator)
    if den == 0:
        return None
    for name, t in (("lower", indicator.lower_threshold), ("upper", indicator.upper_threshold)):
        target = t * den / HUNDRED
        if indicator.direction == "up":
            if num * HUNDRED < t * den:
                return name, _ceil(target - num)
        else:
            if num * HUNDRED > t * den:
                return name, _ceil(num - target)
    return None


def _ceil(x: Decimal) -> int:
    i = int(x)
    return i + 1 if Decimal(i) < x else i
