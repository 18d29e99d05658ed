"""PCN DES rules as dated data: one YAML file per financial year, one small API.

Engines ask for "the value of key K on date D" and never hold a rate in code::

    from openpcn.rules import load_year

    rules = load_year("2024-25")
    row = rules.value("arrs_rate_per_weighted_patient", date(2024, 6, 1))   # RuleValue
    row.value, row.unit, row.verified, row.source, row.as_rule_ref()

See :mod:`openpcn.rules.loader` for the API, :mod:`openpcn.rules.keys` for every key,
:mod:`openpcn.rules.schema` for the file format and ``docs/reference/rules.md``.
"""

from openpcn.rules.diff import RuleDiff, diff
from openpcn.rules.loader import (
    Role,
    RuleFileError,
    RuleNotFound,
    RuleSet,
    RuleValue,
    as_rule_ref,
    load_all,
    load_file,
    load_year,
)

__all__ = [
    "Role",
    "RuleDiff",
    "RuleFileError",
    "RuleNotFound",
    "RuleSet",
    "RuleValue",
    "as_rule_ref",
    "diff",
    "load_all",
    "load_file",
    "load_year",
]
