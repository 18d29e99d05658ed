"""NHS England Digital ``gp-reg-pat-prac-quin-age``: 5-year age band x sex.

Rows for practices (GP), PCNs, sub-ICB locations, ICBs and commissioning regions.

Records are :class:`~openpcn.registry.records.PracticePopulation` (age_kind "quinary" plus the
ALL rows). See :mod:`openpcn.registry.parsers._population` for columns and checks.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpcn.registry.parsers._common import ParsedFile
from openpcn.registry.parsers._population import parse_population

KIND = "gp_reg_quin_age"


def parse(path: str | Path, extract_date: date | None = None) -> ParsedFile:
    """``extract_date=`` is needed for the wide layout of before April 2017 (no EXTRACT_DATE)."""
    return parse_population(Path(path), KIND, "quinary", extract_date)
