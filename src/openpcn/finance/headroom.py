"""Headroom: how many WTE of each ARRS role a PCN can still afford from a month to 31 March,
each role costed at its maximum and limited by any role cap."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from openpcn.finance.claims import (
    ClaimError,
    cap_group,
    max_per_wte,
    month_end,
    month_start,
    months_of_year,
)
from openpcn.finance.errors import FinanceError
from openpcn.finance.money import ZERO, pennies
from openpcn.rules import RuleNotFound, RuleSet

#: the separate GP sum (2024/25) that GPs are claimed from when it is given
GP_POT = "arrs_gp"


def pot_for(role: str, pots: Iterable[str]) -> str:
    """The pot a role is claimed from: the GP sum for GPs when there is one, else "arrs"."""
    return GP_POT if role == "gp" and GP_POT in pots else "arrs"


@dataclass(frozen=True)
class HeadroomRow:
    role: str
    pot: str
    from_month: date
    cost_per_wte: Decimal | None  # at the role maximum, start month to 31 March
    affordable_wte: Decimal | None  # 2 dp, rounded down
    cap_left: Decimal | None  # WTE still under a role cap; None = uncapped
    reason: str = ""


def cost_per_wte(rules: RuleSet, role: str, from_month: date, region: str = "national") -> Decimal:
    """Cost of 1 WTE of ``role`` at the role maximum from ``from_month`` to 31 March (pennies).

    Monthly convention: max/12 for each month, the maximum in force on the month's first day
    (or on the role's start date in the year, when later). Raises ClaimError or RuleNotFound.
    """
    role_row = rules.role(role)
    total = Decimal(0)
    for month in months_of_year(rules):
        if month < month_start(from_month):
            continue
        last = month_end(month)
        if role_row.available_from > last:
            continue
        on = max(month, role_row.available_from)
        row, _ = max_per_wte(rules, role, on, region)
        total += row.value / 12 * Decimal((last - on).days + 1) / last.day
    return pennies(total)


def headroom(
    rules: RuleSet,
    remaining: Mapping[str, Decimal],
    from_month: date,
    *,
    region: str = "national",
    wte_by_role: Mapping[str, Decimal] | None = None,
    list_size: int | None = None,
) -> list[HeadroomRow]:
    """How many WTE of each role the PCN can still afford from ``from_month`` to 31 March.

    ``remaining`` is the money left in each pot after committed spend ("arrs", and "arrs_gp"
    for GPs in 2024/25). Each role is costed at its maximum (the most a post can be
    reimbursed); the answer is rounded down to 2 dp and limited by any role cap.
    """
    from_month = month_start(from_month)
    if from_month not in rules.year:
        raise FinanceError(f"from_month {from_month} is outside financial year {rules.year}")
    wte_by_role = wte_by_role or {}
    rows = []
    for role in rules.roles:
        pot = pot_for(role.id, remaining)
        left = max(Decimal(remaining.get(pot, ZERO)), ZERO)
        start = max(from_month, month_start(role.available_from))
        try:
            cost = cost_per_wte(rules, role.id, start, region)
        except (ClaimError, RuleNotFound) as exc:
            rows.append(HeadroomRow(role.id, pot, start, None, None, None, str(exc)))
            continue
        cap_left = None
        try:
            group = cap_group(rules, role.id)
            cap = rules.role_cap(group, max(start, rules.role(group).available_from), list_size)
        except (RuleNotFound, ValueError) as exc:
            rows.append(HeadroomRow(role.id, pot, start, cost, None, None, str(exc)))
            continue
        wte = (left / cost).quantize(Decimal("0.01"), rounding=ROUND_DOWN) if cost else None
        if cap is not None:
            used = sum(
                (w for r, w in wte_by_role.items() if cap_group(rules, r) == group), Decimal(0)
            )
            cap_left = max(cap.value - used, Decimal(0))
            wte = None if wte is None else min(wte, cap_left)
        rows.append(HeadroomRow(role.id, pot, start, cost, wte, cap_left))
    return rows
