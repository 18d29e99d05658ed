"""The checks on a role-cost request, each refusal worded so a person can correct it: a date in
the pay file's year, whole months inside it, a WTE between 0 and 10, a known region, a role
the year's rules fund (and from when), a salary of 0 or more."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpcn.finance.role_cost_pay import _roles_line, normalise_region
from openpcn.finance.role_cost_types import MAX_WTE, RoleCostError
from openpcn.rules.loader import Role, RuleNotFound, RuleSet
from openpcn.rules.pay import PayTable


def checked_inputs(
    rules: RuleSet,
    pay: PayTable,
    role: str,
    *,
    salary: Decimal | None,
    wte: Decimal,
    region: str,
    start: date | None,
    months: int | None,
) -> tuple[date, int, Decimal, str, Role, Decimal | None]:
    """(start, months, wte, region, the role's row, salary), checked and defaulted; a
    RoleCostError names what is wrong and what would be accepted."""
    year = pay.year
    if rules.year != year:
        raise RoleCostError(f"the pay file {pay.file} is for {year}, the rules for {rules.year}")

    start = start or year.start
    if start not in year:
        raise RoleCostError(
            f"{start} is outside {year} ({year.start} to {year.end}): choose a date in the year"
            f" or the year that contains it"
        )
    left = (year.end.year - start.year) * 12 + year.end.month - start.month + 1
    months = left if months is None else months
    if not isinstance(months, int) or months < 1:
        raise RoleCostError(f"months must be a whole number from 1 to {left}, not {months!r}")
    if months > left:
        raise RoleCostError(
            f"{months} months from {start:%B %Y} run past 31 March {year.end.year}, the end of"
            f" {year}: the date range must lie inside the year (at most {left} months)"
        )
    try:
        wte = Decimal(str(wte))
    except ArithmeticError:
        raise RoleCostError(f"WTE must be a number, not {wte!r}") from None
    if not wte.is_finite() or wte <= 0 or wte > MAX_WTE:
        raise RoleCostError(f"WTE must be more than 0 and at most {MAX_WTE}, not {wte}")
    region = normalise_region(region)
    try:
        role_row = rules.role(role)
    except RuleNotFound:
        known = ", ".join(sorted(r.id for r in rules.roles))
        raise RoleCostError(
            f"role '{role}' is not an ARRS role in {year} ({rules.path.name}"
            f"{_roles_line(rules.path)}, field 'roles'); roles that year: {known}"
        ) from None
    if start < role_row.available_from:
        raise RoleCostError(
            f"{role_row.name} is reimbursable in {year} only from {role_row.available_from}"
            f" ({rules.path.name}), not from {start}: start on or after that date"
        )
    if salary is not None:
        try:
            salary = Decimal(str(salary))
        except ArithmeticError:
            raise RoleCostError(f"salary must be an amount of money, not {salary!r}") from None
        if not salary.is_finite() or salary < 0:
            raise RoleCostError(f"salary must be 0 or more, not {salary}")
    return start, months, wte, region, role_row, salary
