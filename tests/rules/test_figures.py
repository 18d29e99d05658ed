"""Key figures per year, checked against nhs-rules-reference.md (a table per topic)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.rules.loader import RuleNotFound, load_year

# (year, key, date, value, verified) -- straight from the reference's tables.
ARRS_RATES = [
    ("2020-21", "arrs_rate_per_weighted_patient", date(2020, 6, 1), "7.131", True),
    ("2021-22", "arrs_rate_per_weighted_patient", date(2021, 6, 1), "12.372", False),
    ("2022-23", "arrs_rate_per_weighted_patient", date(2022, 6, 1), "17.018", False),
    ("2023-24", "arrs_rate_per_weighted_patient", date(2023, 6, 1), "22.671", True),
    ("2024-25", "arrs_rate_per_weighted_patient", date(2024, 6, 1), "22.894", True),
    ("2024-25", "arrs_gp_rate_per_weighted_patient", date(2024, 10, 1), "1.303", True),
    ("2025-26", "arrs_rate_per_weighted_patient", date(2025, 6, 1), "26.631", True),
    ("2019-20", "arrs_national_max", date(2019, 6, 1), "110000000", False),
    ("2020-21", "arrs_national_max", date(2020, 6, 1), "430000000", True),
    ("2021-22", "arrs_national_max", date(2021, 6, 1), "746000000", True),
    ("2022-23", "arrs_national_max", date(2022, 6, 1), "1020000000", True),
    ("2023-24", "arrs_national_max", date(2023, 6, 1), "1400000000", True),
    ("2025-26", "arrs_national_max", date(2025, 6, 1), "1711000000", True),
]

OTHER_STREAMS = [
    ("2019-20", "core_pcn_funding_per_registered_patient", date(2019, 4, 1), "1.50", True),
    ("2023-24", "core_pcn_funding_per_registered_patient", date(2023, 4, 1), "1.50", True),
    ("2024-25", "core_pcn_funding_per_registered_patient", date(2024, 4, 1), "2.218", True),
    ("2024-25", "core_pcn_funding_per_adjusted_patient", date(2024, 4, 1), "0.698", True),
    ("2024-25", "core_pcn_funding_combined_per_patient", date(2024, 4, 1), "2.967", True),
    ("2025-26", "core_pcn_funding_per_registered_patient", date(2025, 4, 1), "2.266", True),
    ("2025-26", "core_pcn_funding_per_adjusted_patient", date(2025, 4, 1), "0.733", True),
    ("2019-20", "clinical_director_per_registered_patient", date(2019, 7, 1), "0.51430", True),
    ("2020-21", "clinical_director_per_registered_patient", date(2020, 4, 1), "0.722", True),
    ("2021-22", "clinical_director_per_registered_patient", date(2021, 4, 1), "0.722", True),
    ("2023-24", "clinical_director_per_registered_patient", date(2023, 4, 1), "0.72963", True),
    ("2022-23", "leadership_management_per_adjusted_patient", date(2022, 4, 1), "0.699", True),
    ("2023-24", "leadership_management_per_adjusted_patient", date(2023, 4, 1), "0.684", True),
    ("2019-20", "extended_hours_per_registered_patient", date(2019, 7, 1), "1.45", True),
    ("2020-21", "extended_hours_per_registered_patient", date(2020, 4, 1), "1.45", True),
    ("2021-22", "extended_hours_per_registered_patient", date(2021, 4, 1), "1.44", False),
    ("2022-23", "extended_hours_per_registered_patient", date(2022, 9, 30), "0.720", True),
    ("2022-23", "enhanced_access_per_adjusted_patient", date(2022, 10, 1), "7.46", False),
    ("2023-24", "enhanced_access_per_adjusted_patient", date(2023, 4, 1), "7.578", True),
    ("2024-25", "enhanced_access_per_adjusted_patient", date(2024, 4, 1), "7.975", True),
    ("2025-26", "enhanced_access_per_adjusted_patient", date(2025, 4, 1), "8.427", True),
    ("2020-21", "care_home_premium_per_bed", date(2020, 8, 1), "60", True),
    ("2021-22", "care_home_premium_per_bed", date(2021, 4, 1), "120", True),
    ("2024-25", "care_home_premium_per_bed", date(2024, 4, 1), "127.20", True),
    ("2025-26", "care_home_premium_per_bed", date(2025, 4, 1), "130.253", True),
    ("2020-21", "pcn_support_per_weighted_patient", date(2020, 9, 30), "0.27", True),
    ("2022-23", "capacity_access_support_per_adjusted_patient", date(2022, 10, 1), "2.765", False),
    ("2023-24", "capacity_access_support_per_adjusted_patient", date(2023, 4, 1), "2.765", True),
    ("2024-25", "capacity_access_support_per_adjusted_patient", date(2024, 4, 1), "3.248", True),
    ("2025-26", "capacity_access_support_per_adjusted_patient", date(2025, 4, 1), "3.208", True),
    (
        "2023-24",
        "capacity_access_improvement_max_per_adjusted_patient",
        date(2023, 4, 1),
        "1.185",
        True,
    ),
    (
        "2024-25",
        "capacity_access_improvement_max_per_adjusted_patient",
        date(2024, 4, 1),
        "1.392",
        True,
    ),
    (
        "2025-26",
        "capacity_access_improvement_max_per_adjusted_patient",
        date(2025, 4, 1),
        "1.375",
        True,
    ),
    ("2019-20", "network_participation_per_weighted_patient", date(2019, 4, 1), "1.761", True),
    ("2022-23", "network_participation_per_weighted_patient", date(2022, 4, 1), "1.761", True),
    ("2020-21", "iif_gbp_per_point", date(2020, 10, 1), "111", True),
    ("2021-22", "iif_gbp_per_point", date(2021, 4, 1), "200", True),
    ("2024-25", "iif_gbp_per_point", date(2024, 4, 1), "198", True),
    ("2025-26", "iif_max_points", date(2025, 4, 1), "58", False),
]

# (year, role, date, region, max per WTE, verified) -- section 1.4 of the reference.
MAXIMA = [
    ("2019-20", "social_prescribing_link_worker", date(2019, 7, 1), "national", "34113", True),
    ("2020-21", "clinical_pharmacist", date(2020, 4, 1), "national", "55670", True),
    ("2020-21", "pharmacy_technician", date(2020, 4, 1), "national", "35389", True),
    ("2020-21", "care_coordinator", date(2020, 4, 1), "national", "29135", True),
    ("2020-21", "nursing_associate", date(2020, 10, 1), "national", "29135", True),
    ("2020-21", "trainee_nursing_associate", date(2020, 10, 1), "national", "25671", True),
    ("2021-22", "care_coordinator", date(2021, 4, 1), "national", "29726", True),
    ("2021-22", "advanced_practitioner", date(2021, 4, 1), "national", "62705", True),
    ("2022-23", "clinical_pharmacist", date(2022, 9, 30), "national", "57318", True),
    ("2022-23", "clinical_pharmacist", date(2022, 10, 1), "national", "59312", True),
    ("2022-23", "clinical_pharmacist", date(2022, 10, 1), "london_inner", "68768", True),
    ("2022-23", "pharmacy_technician", date(2022, 10, 1), "national", "38187", False),
    ("2023-24", "first_contact_physiotherapist", date(2023, 6, 30), "national", "59312", True),
    ("2023-24", "first_contact_physiotherapist", date(2023, 7, 1), "national", "62340", True),
    ("2023-24", "care_coordinator", date(2023, 7, 1), "national", "33396", True),
    ("2024-25", "clinical_pharmacist", date(2024, 9, 30), "national", "62340", False),
    ("2024-25", "clinical_pharmacist", date(2024, 10, 1), "national", "65838", True),
    ("2024-25", "clinical_pharmacist", date(2024, 10, 1), "london_outer", "73189", True),
    ("2024-25", "clinical_pharmacist", date(2024, 10, 1), "london_inner", "76313", True),
    ("2024-25", "advanced_practitioner", date(2024, 9, 30), "national", "68315", False),
    ("2024-25", "advanced_practitioner", date(2024, 10, 1), "london_inner", "82616", True),
    ("2024-25", "pharmacy_technician", date(2024, 10, 1), "london_outer", "48991", True),
    ("2024-25", "enhanced_practice_nurse", date(2024, 4, 1), "national", "60401", True),
    ("2024-25", "enhanced_practice_nurse", date(2024, 4, 1), "london_inner", "70330", True),
    ("2024-25", "gp", date(2024, 10, 1), "national", "92462", True),
    ("2024-25", "gp", date(2025, 3, 31), "london_outer", "95233", True),
    ("2025-26", "clinical_pharmacist", date(2025, 4, 1), "london_inner", "77545", True),
    ("2025-26", "pharmacy_technician", date(2025, 4, 1), "london_outer", "49967", True),
    ("2025-26", "advanced_practitioner", date(2025, 4, 1), "national", "73334", True),
    ("2025-26", "gp", date(2025, 4, 1), "national", "105882", True),
    ("2025-26", "gpn_new_to_gp", date(2025, 4, 1), "national", "43352", True),
    ("2025-26", "gpn_experienced", date(2025, 4, 1), "national", "53319", True),
    ("2025-26", "consultant_nurse", date(2025, 4, 1), "national", "102683", True),
    ("2025-26", "healthcare_support_worker", date(2025, 4, 1), "national", "32159", True),
]


@pytest.mark.parametrize(("year", "key", "on", "value", "verified"), ARRS_RATES + OTHER_STREAMS)
def test_rate(year, key, on, value, verified):
    rule = load_year(year).value(key, on)
    assert rule.value == Decimal(value)
    assert isinstance(rule.value, Decimal)
    assert rule.verified is verified
    assert rule.source.startswith("[") and rule.source_tags


@pytest.mark.parametrize(("year", "role", "on", "region", "value", "verified"), MAXIMA)
def test_max_reimbursement(year, role, on, region, value, verified):
    rule = load_year(year).max_reimbursement(role, on, region=region)
    assert (rule.value, rule.verified, rule.unit) == (
        Decimal(value),
        verified,
        "GBP_per_wte_per_year",
    )


# (year, role, date, list size, cap in WTE or None for "no cap")
CAPS = [
    ("2019-20", "clinical_pharmacist", date(2019, 7, 1), 40_000, "1"),
    ("2020-21", "pharmacy_technician", date(2020, 5, 1), 99_999, "1"),
    ("2020-21", "pharmacy_technician", date(2020, 5, 1), 100_000, "2"),
    ("2021-22", "advanced_practitioner", date(2021, 5, 1), 150_000, "1"),
    ("2021-22", "mental_health_practitioner", date(2021, 5, 1), 150_000, "2"),
    ("2022-23", "advanced_practitioner", date(2022, 5, 1), 50_000, "2"),
    ("2022-23", "advanced_practitioner", date(2022, 5, 1), 120_000, "3"),
    ("2022-23", "mental_health_practitioner", date(2022, 5, 1), 120_000, "4"),
    ("2022-23", "digital_transformation_lead", date(2022, 10, 1), 50_000, "1"),
    ("2023-24", "advanced_practitioner", date(2023, 5, 1), 99_999, "3"),
    ("2023-24", "advanced_practitioner", date(2023, 5, 1), 100_000, "6"),
    ("2023-24", "mental_health_practitioner", date(2023, 5, 1), 50_000, None),
    ("2024-25", "advanced_practitioner", date(2024, 5, 1), 50_000, None),
    ("2024-25", "enhanced_practice_nurse", date(2024, 5, 1), 50_000, "1"),
    ("2024-25", "enhanced_practice_nurse", date(2024, 5, 1), 100_000, "2"),
    ("2025-26", "enhanced_practice_nurse", date(2025, 5, 1), 100_000, None),
]


@pytest.mark.parametrize(("year", "role", "on", "size", "cap"), CAPS)
def test_role_caps(year, role, on, size, cap):
    found = load_year(year).role_cap(role, on, list_size=size)
    assert (found.value if found else None) == (Decimal(cap) if cap else None)


# (year, role, date, reimbursement %, MHP PCN share % or None where no MHP)
PERCENTAGES = [
    ("2019-20", "clinical_pharmacist", date(2019, 8, 1), "70", None),
    ("2019-20", "social_prescribing_link_worker", date(2019, 8, 1), "100", None),
    ("2020-21", "clinical_pharmacist", date(2020, 8, 1), "100", None),
    ("2021-22", "mental_health_practitioner", date(2021, 8, 1), "100", "50"),
    ("2023-24", "mental_health_practitioner", date(2023, 8, 1), "100", "50"),
    ("2024-25", "mental_health_practitioner", date(2024, 8, 1), "100", "100"),
    ("2025-26", "mental_health_practitioner", date(2025, 8, 1), "100", "100"),
]


@pytest.mark.parametrize(("year", "role", "on", "pct", "mhp_share"), PERCENTAGES)
def test_reimbursement_and_mhp_split(year, role, on, pct, mhp_share):
    rules = load_year(year)
    assert rules.reimbursement_pct(role, on).value == Decimal(pct)
    if mhp_share is not None:
        pcn = rules.value("arrs_mhp_split.pcn_pct", on).value
        provider = rules.value("arrs_mhp_split.provider_pct", on).value
        assert (pcn, pcn + provider) == (Decimal(mhp_share), Decimal(100))


# (year, roles in that year's list, the role ids added since the year before)
ROLE_COUNTS = [
    ("2019-20", 2, {"clinical_pharmacist", "social_prescribing_link_worker"}),
    ("2020-21", 12, {"physician_associate", "nursing_associate", "trainee_nursing_associate"}),
    ("2021-22", 15, {"paramedic", "advanced_practitioner", "mental_health_practitioner"}),
    ("2022-23", 17, {"gp_assistant", "digital_transformation_lead"}),
    ("2023-24", 19, {"apprentice_physician_associate", "advanced_clinical_practitioner_nurse"}),
    ("2024-25", 22, {"enhanced_practice_nurse", "gp", "other_direct_patient_care"}),
    ("2025-26", 26, {"gpn_new_to_gp", "consultant_nurse", "healthcare_support_worker"}),
]


@pytest.mark.parametrize(("year", "count", "some_ids"), ROLE_COUNTS)
def test_roles_by_year(year, count, some_ids):
    rules = load_year(year)
    assert len(rules.roles) == count
    assert some_ids <= {r.id for r in rules.roles}


def test_gaps_are_missing_not_guessed():
    """Figures the reference lacks are absent: asking for them fails clearly."""
    gaps = [
        ("2019-20", "arrs_rate_per_weighted_patient", date(2019, 7, 1)),
        ("2022-23", "clinical_director_per_registered_patient", date(2022, 7, 1)),
        ("2024-25", "network_participation_per_weighted_patient", date(2024, 7, 1)),
        # unfound maxima have no figure, only an arrs_max_none_published row
        ("2024-25", "arrs_max_reimbursement.care_coordinator", date(2024, 10, 1)),
        ("2022-23", "arrs_max_reimbursement.physician_associate", date(2022, 7, 1)),
    ]
    for year, key, on in gaps:
        with pytest.raises(RuleNotFound):
            load_year(year).value(key, on)


def test_every_row_has_a_resolved_source_and_money_is_decimal():
    from openpcn.rules.loader import load_all

    for rules in load_all().values():
        for row in rules.rules:
            assert isinstance(row.value, Decimal)
            for tag in row.source_tags:
                assert f"[{tag}] " in row.source
            if row.derivation or row.source_tags == ("REF",):
                assert row.verified is False
