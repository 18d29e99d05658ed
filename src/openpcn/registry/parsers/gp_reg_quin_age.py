"""NHS England Digital ``gp-reg-pat-prac-quin-age``: 5-year age band x sex.

Rows for practices (GP), PCNs, sub-ICB locations, ICBs and commissioning regions.

Records are :class:`~openpcn.registry.records.PracticePopulation` (age_kind "quinary" plus the
ALL rows). See :mod:`openpcn.registry.parsers._population` for columns and checks.
"""

from __future__ import annotations

from pathlib import Path

from openpcn.registry.parsers._common import ParsedFile
from openpcn.registry.parsers._population import parse_population

KIND = "gp_reg_quin_age"


def parse(path: str | Path) -> ParsedFile:
    return parse_population(Path(path), KIND, "quinary")
