"""IIF indicator definitions: one schema-validated YAML per financial year in ``data/iif/``.

The Investment and Impact Fund's indicators, thresholds, points and £ per point are rules like
the DES rates beside them: sourced, flagged when unverified, loaded here; the services domain
computes achievement and payments from them.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from openpcn.core.fyear import FinancialYear
from openpcn.rules.iif_schema import YearDefinitions
from openpcn.rules.loader import RuleFileError

HERE = Path(__file__).parent / "data" / "iif"


class IifRulesMissing(RuleFileError):
    """No IIF definitions file for a year."""


def available_years() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.yaml"))


def load_year(year: str | FinancialYear, directory: Path = HERE) -> YearDefinitions:
    """The definitions for a year ('2023-24'); IifRulesMissing if absent, RuleFileError if
    invalid."""
    fy = year if isinstance(year, FinancialYear) else FinancialYear.parse(str(year))
    path = directory / f"{fy}.yaml"
    if not path.exists():
        raise IifRulesMissing(
            f"no IIF definitions for {fy}; available: {', '.join(available_years()) or 'none'}"
        )
    return load_file(path)


def load_file(path: Path) -> YearDefinitions:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return YearDefinitions.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise RuleFileError(f"{path.name}: invalid IIF definitions: {exc}") from None
