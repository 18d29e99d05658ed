"""The rules in force on a date, or, when OpenPCN has no file for that year yet, the newest
year's rules at that year's end, with a note saying so (pages show the note)."""

from __future__ import annotations

from datetime import date

from openpcn.core.fyear import FinancialYear
from openpcn.rules.loader import RuleNotFound, RuleSet, load_all, load_year


def rules_for(on: date) -> tuple[RuleSet, date, str]:
    """(rules, the date to ask them for, a note: empty when the year's own file is used)."""
    year = FinancialYear.containing(on)
    try:
        return load_year(year), on, ""
    except RuleNotFound:
        sets = load_all()
        newest = max(sets)
        if FinancialYear.parse(newest) > year:
            raise
        end = FinancialYear.parse(newest).end
        return sets[newest], end, (f"OpenPCN has no {year} rules yet; the {newest} figure is used.")
