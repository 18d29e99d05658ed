"""Every PCN's IIF results for a year from an achievement file, the membership and the PCN
list sizes as at the achievement date (pure: the caller asks the registry for both).

The one place the web pages, the API and ``openpcn iif payments`` compute IIF figures:
practice measures roll up to the PCNs their practices belonged to on the achievement date;
every payment names the achievement file, the membership file and date, and the list sizes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from openpcn.core.figures import DataRef
from openpcn.registry.membership import Membership
from openpcn.rules.iif_schema import YearDefinitions
from openpcn.services.errors import ServicesError
from openpcn.services.iif.achievement_file import AchievementFile, indicator_measures
from openpcn.services.iif.payments import IndicatorResult, compute_payments, roll_up


@dataclass(frozen=True)
class ListSizes:
    """PCN registered lists as at the achievement date, and where they came from."""

    sizes: Mapping[str, int]
    source: str
    as_of: date | None

    def data_ref(self, on: date) -> DataRef:
        return DataRef(
            source=self.source or "no registered population file",
            as_of=self.as_of,
            description=f"PCN list sizes as at {on}: sum of member practices' registered "
            "patients (each practice's newest count at or before that date)",
        )


@dataclass
class IifResults:
    results: list[IndicatorResult]
    file: AchievementFile
    membership: Membership
    list_sizes: ListSizes
    unmapped_practices: list[str]

    @property
    def members(self) -> Mapping[str, str]:
        return self.membership

    def for_pcn(self, pcn_code: str) -> list[IndicatorResult]:
        code = pcn_code.strip().upper()
        mine = [r for r in self.results if r.pcn_code == code]
        if not mine:
            raise ServicesError(f"no IIF results for PCN {code} in {self.file.achievement_date}")
        return mine


def pcn_results(
    file: AchievementFile,
    definitions: YearDefinitions,
    membership: Membership,
    list_sizes: ListSizes,
    source: str,
    as_awarded: bool = False,
) -> IifResults:
    """Results per PCN per indicator. ``membership`` must be the membership as at the file's
    achievement date (a ServicesError otherwise: the figure would use another date's PCNs);
    with no membership loaded every practice is unmapped and the figures say so. ``source``
    names the achievement file."""
    if membership.on != file.achievement_date:
        raise ServicesError(
            f"IIF achievement at {file.achievement_date} needs the membership as at that date,"
            f" not as at {membership.on}"
        )
    rolled = roll_up(indicator_measures(file, definitions), membership)
    on = file.achievement_date
    data = (
        DataRef(source=source, as_of=on, description="IIF achievement measures"),
        membership.data_ref(),
        list_sizes.data_ref(on),
    )
    results = compute_payments(
        definitions, rolled.measures, list_sizes.sizes, data, as_awarded=as_awarded
    )
    return IifResults(results, file, membership, list_sizes, rolled.unmapped_practices)
