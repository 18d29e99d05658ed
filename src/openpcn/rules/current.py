"""The year a page, API call or command works in when the user names none: the financial year
today's date falls in, never a constant; and the rules in force on a date. A year with no rule
file gets a message naming the missing file and the years there are."""

from __future__ import annotations

from datetime import date

from openpcn.core.fyear import FinancialYear
from openpcn.rules.loader import RuleNotFound, RuleSet, load_all, load_year, rules_dir


def missing_year_message(year: FinancialYear | str) -> str:
    years = list(load_all())
    have = f"{years[0]} to {years[-1]}" if years else "none"
    return (
        f"OpenPCN has no rule file for {year} ({year}.yaml is missing from"
        f" {rules_dir()}); years with rules: {have}."
    )


def chosen_year(text: str | None = None, today: date | None = None) -> str:
    """The year the user asked for (validated), else the current financial year; RuleNotFound
    (with :func:`missing_year_message`) when OpenPCN has no rule file for it, ValueError when
    the text is not a financial year."""
    year = FinancialYear.parse(text) if text else FinancialYear.current(today)
    try:
        load_year(year)
    except RuleNotFound:
        raise RuleNotFound(missing_year_message(year)) from None
    return str(year)


def rules_for(on: date) -> tuple[RuleSet, date, str]:
    """(rules, the date to ask them for, a note: empty when the year's own file is used).

    With no rule file for the date's year, RuleNotFound names the missing file."""
    year = FinancialYear.containing(on)
    try:
        return load_year(year), on, ""
    except RuleNotFound:
        raise RuleNotFound(missing_year_message(year)) from None
