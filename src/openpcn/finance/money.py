"""Money as Decimal, rounded to pennies one way everywhere.

Rounding rule (documented once, used by every engine): amounts are computed exactly in
Decimal from the rule value and the population (or pay), then rounded **once** per part to
whole pennies with ROUND_HALF_UP (0.005 -> 0.01). A stream made of several parts (e.g. core
PCN funding = registered part + adjusted part) is the sum of its rounded parts, so the parts
shown always add up to the total shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
_MONEY = re.compile(r"^-?\d+(\.\d+)?$")


def pennies(value: Decimal | int) -> Decimal:
    """Round to whole pennies, half up."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """What the amounts add up to, in pounds and pence (0.00 when there are none)."""
    return sum(amounts, ZERO)


def to_money(value: object, field: str, where: str = "") -> Decimal:
    """Read a money figure (Decimal, int or text like '2,345.67' or '£2345'); reject anything else.

    Floats are rejected (they are not exact); text with letters in it is rejected with a message
    naming the field and, when given, the record (``where``).
    """
    prefix = f"{where}: " if where else ""
    if isinstance(value, bool | float):
        raise ValueError(f"{prefix}{field} must be a Decimal or text, not {type(value).__name__}")
    if isinstance(value, Decimal | int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").removeprefix("£").strip()
        if not _MONEY.match(text):
            raise ValueError(f"{prefix}{field} is not an amount of money: {value!r}")
        result = Decimal(text)
    else:
        raise ValueError(f"{prefix}{field} must be an amount of money, not {type(value).__name__}")
    try:
        if not result.is_finite():
            raise ValueError(f"{prefix}{field} is not a finite amount: {value!r}")
    except InvalidOperation:  # pragma: no cover - defensive
        raise ValueError(f"{prefix}{field} is not an amount of money: {value!r}") from None
    return result
