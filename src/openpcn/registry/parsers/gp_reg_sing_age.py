"""NHS England Digital ``gp-reg-pat-prac-sing-age-*``: single year of age x sex.

The "-regions" file has PCN rows and above; older per-sex files have practice rows.

Records are :class:`~openpcn.registry.records.PracticePopulation` (age_kind "single" plus the
ALL rows). See :mod:`openpcn.registry.parsers._population` for columns and checks.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpcn.registry.parsers._common import ParsedFile
from openpcn.registry.parsers._population import parse_population

KIND = "gp_reg_sing_age"


def parse(path: str | Path, extract_date: date | None = None) -> ParsedFile:
    """``extract_date=`` is needed for the wide layout of before April 2017 (no EXTRACT_DATE)."""
    return parse_population(Path(path), KIND, "single", extract_date)
