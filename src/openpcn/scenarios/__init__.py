"""What-if scenarios (issue 16): named lists of changes to a PCN's engine inputs, and their
effects computed by each domain's own engine on the baseline and on the changed inputs.

Pure Python: the Django side (``openpcn.data.scenarios``) stores scenarios and builds the
inputs from the database; nothing here reads or writes it.
"""

from openpcn.scenarios.changes import (
    KINDS,
    CareHomeAligned,
    CareHomeUnaligned,
    Change,
    ChangeError,
    ChangeWte,
    Leave,
    PracticeJoins,
    PracticeLeaves,
    Recruit,
    Rooms,
    RulesVariant,
    RulesYear,
    VacancyUnfilled,
    as_list,
    from_dict,
    from_list,
)
from openpcn.scenarios.effects import Effects, Result, Row, differences, effects, run
from openpcn.scenarios.inputs import Inputs, apply

__all__ = [
    "KINDS",
    "CareHomeAligned",
    "CareHomeUnaligned",
    "Change",
    "ChangeError",
    "ChangeWte",
    "Effects",
    "Inputs",
    "Leave",
    "PracticeJoins",
    "PracticeLeaves",
    "Recruit",
    "Result",
    "Rooms",
    "Row",
    "RulesVariant",
    "RulesYear",
    "VacancyUnfilled",
    "apply",
    "as_list",
    "differences",
    "effects",
    "from_dict",
    "from_list",
    "run",
]
