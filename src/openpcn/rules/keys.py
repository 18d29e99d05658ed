"""The rule keys a rule file may use, with the unit(s) and basis each must carry.

Constants live here, in one place; the schema rejects any key, unit or basis not listed.
Four key families are parameterised by an ARRS role id (see ``RoleEntry`` in the schema):

* ``arrs_max_reimbursement.<role>`` (national), ``arrs_max_reimbursement.<role>.london_inner``,
  ``arrs_max_reimbursement.<role>.london_outer``: maximum reimbursable £ per WTE per year,
  including employer on-costs.
* ``arrs_max_none_published.<role>``: an explicit, sourced statement that no maximum for the role
  was published (or found) for the row's dates.  Its unit is ``none`` and its value 0; its
  ``note`` says what caps a claim then (actual salary plus employer on-costs, within the PCN's
  ARRS sum) and its ``source`` says where the figure was looked for.  Every role in every year
  has, on each day from its ``available_from``, exactly one of a national
  ``arrs_max_reimbursement.<role>`` row or an ``arrs_max_none_published.<role>`` row.
* ``arrs_reimbursement_pct.<role>`` or ``arrs_reimbursement_pct.all_roles``: percentage of actual
  pay plus on-costs that ARRS reimburses (before the cap).
* ``arrs_role_cap.<role>`` (one cap for every PCN) or ``arrs_role_cap.<role>.population_under_100k``
  / ``arrs_role_cap.<role>.population_100k_plus``: maximum WTE of that role per PCN.

Units ending ``_for_period`` are amounts for the whole dated range of the row (e.g. the 2024/25
GP sum of £1.303 per weighted patient for 1 Oct 2024 to 31 Mar 2025): multiply by the
population, do not pro-rate.  All other ``GBP_per_..._patient`` and ``GBP_per_bed`` units are
annual rates: pro-rate by the part of the year the row covers.
"""

from __future__ import annotations

UNITS: frozenset[str] = frozenset(
    {
        "GBP",
        "GBP_per_registered_patient",
        "GBP_per_weighted_patient",
        "GBP_per_adjusted_patient",
        "GBP_per_patient",
        "GBP_per_registered_patient_for_period",
        "GBP_per_weighted_patient_for_period",
        "GBP_per_bed",
        "GBP_per_bed_for_period",
        "GBP_per_wte_per_year",
        "GBP_per_point",
        "percent",
        "count",
        "wte",
        "points",
        "minutes_per_1000_patients_per_week",
        "none",
    }
)

#: Units whose value is money and must be written as a quoted decimal string or an integer.
MONEY_UNITS: frozenset[str] = frozenset(u for u in UNITS if u.startswith("GBP"))

#: Units whose value is an amount for the row's whole date range (not an annual rate).
PERIOD_UNITS: frozenset[str] = frozenset(u for u in UNITS if u.endswith("_for_period"))

BASES: frozenset[str] = frozenset(
    {"registered", "weighted", "adjusted", "mixed", "beds", "wte", "fixed", "national", "points"}
)

#: Exact keys: key -> (allowed units, basis, description).
KEYS: dict[str, tuple[frozenset[str], str, str]] = {
    "arrs_rate_per_weighted_patient": (
        frozenset({"GBP_per_weighted_patient"}),
        "weighted",
        "ARRS sum per PCN = rate x PCN Contractor Weighted Population at 1 Jan before the year",
    ),
    "arrs_gp_rate_per_weighted_patient": (
        frozenset({"GBP_per_weighted_patient_for_period"}),
        "weighted",
        "2024/25 ring-fenced GP sum per weighted patient, for 1 Oct 2024 to 31 Mar 2025",
    ),
    "arrs_national_max": (frozenset({"GBP"}), "national", "national ARRS maximum for the year"),
    "core_pcn_funding_per_registered_patient": (
        frozenset({"GBP_per_registered_patient"}),
        "registered",
        "core PCN funding, registered-list part",
    ),
    "core_pcn_funding_per_adjusted_patient": (
        frozenset({"GBP_per_adjusted_patient"}),
        "adjusted",
        "core PCN funding, adjusted-population part (from 2024/25)",
    ),
    "core_pcn_funding_combined_per_patient": (
        frozenset({"GBP_per_patient"}),
        "mixed",
        "headline combined core PCN funding rate (registered part + adjusted part)",
    ),
    "clinical_director_per_registered_patient": (
        frozenset({"GBP_per_registered_patient", "GBP_per_registered_patient_for_period"}),
        "registered",
        "Clinical Director payment (merged into core PCN funding from 2024/25)",
    ),
    "clinical_director_wte_per_50000_patients": (
        frozenset({"wte"}),
        "adjusted",
        "Clinical Director time the DES funds: WTE per 50,000 patients (adjusted population)",
    ),
    "leadership_management_per_adjusted_patient": (
        frozenset({"GBP_per_adjusted_patient"}),
        "adjusted",
        "PCN Leadership and Management payment (2022/23 to 2023/24)",
    ),
    "extended_hours_per_registered_patient": (
        frozenset({"GBP_per_registered_patient", "GBP_per_registered_patient_for_period"}),
        "registered",
        "Extended Hours Access (1 Jul 2019 to 30 Sep 2022)",
    ),
    "extended_hours_minutes_per_1000_per_week": (
        frozenset({"minutes_per_1000_patients_per_week"}),
        "registered",
        "Extended Hours minimum: minutes per 1,000 registered patients per week",
    ),
    "enhanced_access_per_adjusted_patient": (
        frozenset({"GBP_per_adjusted_patient"}),
        "adjusted",
        "Enhanced Access (from 1 Oct 2022)",
    ),
    "enhanced_access_minutes_per_1000_per_week": (
        frozenset({"minutes_per_1000_patients_per_week"}),
        "adjusted",
        "Enhanced Access minimum: minutes per 1,000 adjusted population per week",
    ),
    "care_home_premium_per_bed": (
        frozenset({"GBP_per_bed", "GBP_per_bed_for_period"}),
        "beds",
        "Care Home Premium per bed in aligned CQC-registered care homes",
    ),
    "pcn_support_per_weighted_patient": (
        frozenset({"GBP_per_weighted_patient_for_period"}),
        "weighted",
        "2020/21 COVID PCN support payment",
    ),
    "capacity_access_support_per_adjusted_patient": (
        frozenset({"GBP_per_adjusted_patient"}),
        "adjusted",
        "Capacity and Access Support Payment (CASP)",
    ),
    "capacity_access_improvement_max_per_adjusted_patient": (
        frozenset({"GBP_per_adjusted_patient"}),
        "adjusted",
        "Capacity and Access Improvement Payment (CAIP), maximum",
    ),
    "network_participation_per_weighted_patient": (
        frozenset({"GBP_per_weighted_patient"}),
        "weighted",
        "Network Participation Payment to each member practice (practice weighted list)",
    ),
    "iif_gbp_per_point": (frozenset({"GBP_per_point"}), "points", "IIF £ per achievement point"),
    "iif_max_points": (frozenset({"points"}), "points", "IIF maximum achievement points"),
    "payment_instalments_per_year": (
        frozenset({"count"}),
        "fixed",
        "payment schedule: annual amounts paid in this many equal monthly instalments",
    ),
    "arrs_splw_subcontract_contribution_per_wte": (
        frozenset({"GBP_per_wte_per_year"}),
        "wte",
        "contribution to a subcontracted social prescribing provider's costs, per WTE",
    ),
    "arrs_role_cap_population_threshold": (
        frozenset({"count"}),
        "registered",
        "list size at which the larger role caps apply",
    ),
    "arrs_mhp_split.pcn_pct": (
        frozenset({"percent"}),
        "fixed",
        "share of a mental health practitioner's pay + on-costs the PCN pays (ARRS-claimable)",
    ),
    "arrs_mhp_split.provider_pct": (
        frozenset({"percent"}),
        "fixed",
        "share of a mental health practitioner's pay + on-costs the mental health provider pays",
    ),
}

#: Role-parameterised families: prefix -> (allowed suffixes after the role id, units, basis).
ROLE_FAMILIES: dict[str, tuple[frozenset[str], frozenset[str], str]] = {
    "arrs_max_reimbursement": (
        frozenset({"", "london_inner", "london_outer"}),
        frozenset({"GBP_per_wte_per_year"}),
        "wte",
    ),
    "arrs_max_none_published": (frozenset({""}), frozenset({"none"}), "fixed"),
    "arrs_reimbursement_pct": (frozenset({""}), frozenset({"percent"}), "fixed"),
    "arrs_role_cap": (
        frozenset({"", "population_under_100k", "population_100k_plus"}),
        frozenset({"wte"}),
        "fixed",
    ),
}

ALL_ROLES = "all_roles"
REGIONS: tuple[str, ...] = ("national", "london_inner", "london_outer")


def describe(key: str) -> str:
    """A one-line description of a key (exact or role family)."""
    if key in KEYS:
        return KEYS[key][2]
    family = key.split(".", 1)[0]
    return {
        "arrs_max_reimbursement": "ARRS maximum reimbursement per WTE per year",
        "arrs_max_none_published": "no ARRS maximum published: capped by actual pay + on-costs",
        "arrs_reimbursement_pct": "ARRS reimbursement percentage",
        "arrs_role_cap": "ARRS role cap (WTE per PCN)",
    }.get(family, "")
