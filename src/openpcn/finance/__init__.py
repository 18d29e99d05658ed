"""PCN finance engines (pure Python, no Django): entitlements, ARRS claims, year-end forecast
and headroom, income split between member practices.

Money is Decimal rounded to pennies (see :mod:`openpcn.finance.money`); every rate comes from
:mod:`openpcn.rules`; figures users see travel as :class:`openpcn.core.figures.Figure`.

- :mod:`~openpcn.finance.entitlements`: ``entitlements(pcn, year, populations, beds)``,
  ``all_entitlements(year, populations)`` -> ``StreamFigure`` per payment stream.
- :mod:`~openpcn.finance.populations`: PCN populations from NHS England's DES file.
- :mod:`~openpcn.finance.claims`: monthly ARRS claim per staff member, role caps.
- :mod:`~openpcn.finance.claim_status`: draft -> submitted -> approved/rejected.
- :mod:`~openpcn.finance.claims_export`: the monthly claim schedule as Excel.
- :mod:`~openpcn.finance.forecast`: committed spend, underspend alert, headroom.
- :mod:`~openpcn.finance.split`: income split to the penny.
"""

from openpcn.finance.claim_status import AuditEntry, ClaimState, StaleClaim, Status, transition
from openpcn.finance.claims import (
    ClaimError,
    ClaimLine,
    MonthlyPay,
    StaffContract,
    claim_month,
    claimable_wtes,
    claims_for_month,
)
from openpcn.finance.claims_export import schedule_workbook, schedule_xlsx
from openpcn.finance.entitlements import (
    StreamFigure,
    StreamPart,
    all_entitlements,
    entitlements,
    months_covered,
)
from openpcn.finance.errors import FinanceError, IllegalTransition
from openpcn.finance.forecast import (
    Forecast,
    Post,
    PotForecast,
    Vacancy,
    forecast,
    with_sums_from,
)
from openpcn.finance.headroom import HeadroomRow, cost_per_wte, headroom
from openpcn.finance.populations import (
    PcnPopulation,
    Populations,
    find_population_files,
    from_records,
    read_population_file,
)
from openpcn.finance.split import (
    Share,
    by_list,
    by_percentages,
    by_points,
    equally,
    practice_lists,
    split,
)
from openpcn.finance.streams import STREAM_IDS, STREAMS

__all__ = [
    "STREAMS",
    "STREAM_IDS",
    "AuditEntry",
    "ClaimError",
    "ClaimLine",
    "ClaimState",
    "FinanceError",
    "Forecast",
    "HeadroomRow",
    "IllegalTransition",
    "MonthlyPay",
    "PcnPopulation",
    "Populations",
    "Post",
    "PotForecast",
    "Share",
    "StaffContract",
    "StaleClaim",
    "Status",
    "StreamFigure",
    "StreamPart",
    "Vacancy",
    "all_entitlements",
    "by_list",
    "by_percentages",
    "by_points",
    "claim_month",
    "claimable_wtes",
    "claims_for_month",
    "cost_per_wte",
    "entitlements",
    "equally",
    "find_population_files",
    "forecast",
    "from_records",
    "headroom",
    "months_covered",
    "practice_lists",
    "read_population_file",
    "schedule_workbook",
    "schedule_xlsx",
    "split",
    "transition",
    "with_sums_from",
]
