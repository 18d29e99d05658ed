"""NHS England Digital ``gp-reg-pat-prac-all``: practice totals (SEX=ALL, AGE=ALL).

Records are :class:`~openpcn.registry.records.PracticePopulation` (age_kind "all" plus the
ALL rows). See :mod:`openpcn.registry.parsers._population` for columns and checks.
"""

from __future__ import annotations

from pathlib import Path

from openpcn.registry.parsers._common import ParsedFile
from openpcn.registry.parsers._population import parse_population

KIND = "gp_reg_all"


def parse(path: str | Path) -> ParsedFile:
    return parse_population(Path(path), KIND, "all")
