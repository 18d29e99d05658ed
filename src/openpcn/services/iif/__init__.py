"""Investment and Impact Fund (IIF): the achievement file, the sliding scale and payments.
Pure Python. The indicator definitions per year are rules: :mod:`openpcn.rules.iif`
(``rules/data/iif/<yyyy-yy>.yaml``), read here through :func:`iif_definitions`.

- :mod:`.achievement_file`: NHS England Digital "Network Contract DES (MI) IIF" CSV
- :mod:`.scale`: achievement, points on the sliding scale, patients to the next threshold
- :mod:`.payments`: roll-up of practice measures to PCNs and £ per PCN per indicator
"""

from __future__ import annotations

from openpcn.core.fyear import FinancialYear
from openpcn.rules.iif import load_year
from openpcn.rules.iif_schema import YearDefinitions
from openpcn.rules.loader import RuleFileError
from openpcn.services.errors import ServicesError


def iif_definitions(year: str | FinancialYear) -> YearDefinitions:
    """The year's IIF definitions; a missing or invalid file is a ServicesError (bad input
    to the services engines, reported to the user as such)."""
    try:
        return load_year(year)
    except RuleFileError as exc:
        raise ServicesError(str(exc)) from None
