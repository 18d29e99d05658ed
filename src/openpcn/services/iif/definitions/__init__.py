"""Loading the IIF definitions files (one YAML per financial year)."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from openpcn.core.fyear import FinancialYear
from openpcn.services.errors import ServicesError
from openpcn.services.iif.schema import YearDefinitions

HERE = Path(__file__).parent


def available_years() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.yaml"))


def load_year(year: str | FinancialYear, directory: Path = HERE) -> YearDefinitions:
    """The definitions for a year ('2023-24'); ServicesError if absent or invalid."""
    fy = year if isinstance(year, FinancialYear) else FinancialYear.parse(str(year))
    path = directory / f"{fy}.yaml"
    if not path.exists():
        raise ServicesError(
            f"no IIF definitions for {fy}; available: {', '.join(available_years()) or 'none'}"
        )
    return load_file(path)


def load_file(path: Path) -> YearDefinitions:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return YearDefinitions.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise ServicesError(f"{path.name}: invalid IIF definitions: {exc}") from None
