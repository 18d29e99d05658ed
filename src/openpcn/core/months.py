"""Calendar months as the NHS finance rules count them: first and last days, stepping by
months, and the months of a financial year (April to March)."""

from __future__ import annotations

import calendar
from datetime import date

from openpcn.core.fyear import FinancialYear


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, n: int) -> date:
    """The first day of the month ``n`` months after ``day``'s (``n`` may be negative)."""
    y, m = divmod(day.month - 1 + n, 12)
    return date(day.year + y, m + 1, 1)


def months_of(fy: FinancialYear) -> list[date]:
    """The first days of the twelve months of ``fy``, April first."""
    return [add_months(fy.start, i) for i in range(12)]


def days_in_year(day: date) -> int:
    """Days in the financial year containing ``day`` (366 when it holds 29 February)."""
    fy = FinancialYear.containing(day)
    return (fy.end - fy.start).days + 1
