"""NHS England Digital ``gp-reg-pat-prac-all``: practice totals (SEX=ALL, AGE=ALL).

Records are :class:`~openpcn.registry.records.PracticePopulation` (age_kind "all" plus the
ALL rows). See :mod:`openpcn.registry.parsers._population` for columns and checks.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpcn.registry.parsers._common import ParsedFile
from openpcn.registry.parsers._population import parse_population

KIND = "gp_reg_all"


def parse(path: str | Path, extract_date: date | None = None) -> ParsedFile:
    """``extract_date=`` is needed for the wide layout of before April 2017 (no EXTRACT_DATE)."""
    return parse_population(Path(path), KIND, "all", extract_date)
