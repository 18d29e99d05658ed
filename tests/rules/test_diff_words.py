"""Rule changes in words: one sentence per change, unit-aware, dated, verified flags noted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openpcn.core.fyear import FinancialYear
from openpcn.rules import diff
from openpcn.rules.diff_words import by_topic, sentences
from openpcn.rules.loader import Role, RuleSet, RuleValue


def row(year, key, value, unit, *, start=None, end=None, verified=True, basis="fixed"):
    fy = FinancialYear.parse(year)
    return RuleValue(
        year=year,
        key=key,
        value=Decimal(value),
        unit=unit,
        basis=basis,
        applies_from=start or fy.start,
        applies_to=end or fy.end,
        source="[T] test",
        source_tags=("T",),
        verified=verified,
    )


def role(year, rid, name, band, start=None):
    fy = FinancialYear.parse(year)
    return Role(rid, name, band, start or fy.start, "[T] test", True)


def ruleset(year, rows, roles=()):
    return RuleSet(FinancialYear.parse(year), Path(f"{year}.yaml"), tuple(rows), tuple(roles))


A, B = "2025-26", "2026-27"
EA = "enhanced_access_per_adjusted_patient"
CP = "arrs_max_reimbursement.clinical_pharmacist"
CASP = "capacity_access_support_per_adjusted_patient"

# (rows in A, rows in B, roles A, roles B, the one sentence expected)
CASES = [
    (
        [row(A, EA, "8.427", "GBP_per_adjusted_patient")],
        [row(B, EA, "8.640", "GBP_per_adjusted_patient")],
        "Enhanced Access: £8.427 per adjusted patient in 2025-26; £8.640 in 2026-27 (+2.5%).",
    ),
    (
        [row(A, CASP, "3.208", "GBP_per_adjusted_patient")],
        [],
        "Rule removed: Capacity and Access Support Payment (£3.208 per adjusted patient in"
        " 2025-26; the 2026-27 rules hold none).",
    ),
    (
        [],
        [row(B, "care_home_premium_per_bed", "133.50", "GBP_per_bed", verified=False)],
        "New rule: Care Home Premium: £133.50 per bed a year in 2026-27 (unverified).",
    ),
    (
        [row(A, CP, "66972", "GBP_per_wte_per_year")],
        [
            row(B, CP, "66972", "GBP_per_wte_per_year", end=date(2026, 9, 30)),
            row(B, CP, "68646", "GBP_per_wte_per_year", start=date(2026, 10, 1)),
        ],
        "ARRS maximum reimbursement, Clinical pharmacist: £66,972 per WTE a year in 2025-26;"
        " £66,972 to 30 September 2026, then £68,646 from 1 October 2026 in 2026-27.",
    ),
    (
        [row(A, "arrs_reimbursement_pct.all_roles", "100", "percent")],
        [row(B, "arrs_reimbursement_pct.all_roles", "100", "percent", verified=False)],
        "ARRS reimbursement percentage, every role: 100% in both years; the 2026-27 figure is"
        " unverified (the earlier one was verified).",
    ),
    (
        [row(A, "arrs_role_cap.paramedic", "1", "wte")],
        [row(B, "arrs_role_cap.paramedic", "2", "wte")],
        "ARRS role cap, Paramedic: 1 WTE in 2025-26; 2 in 2026-27 (+100.0%).",
    ),
    (
        [row(A, "payment_instalments_per_year", "12", "count")],
        [row(B, "payment_instalments_per_year", "13", "count")],
        "Payment instalments a year: 12 in 2025-26; 13 in 2026-27 (+8.3%).",
    ),
    (
        [row(A, "arrs_rate_per_weighted_patient", "26.631", "GBP_per_weighted_patient")],
        [row(B, "arrs_rate_per_weighted_patient", "27.210", "GBP_per_weighted_patient",
             verified=False)],
        "ARRS sum rate: £26.631 per weighted patient in 2025-26; £27.210 in 2026-27 (+2.2%);"
        " the 2026-27 figure is unverified (the earlier one was verified).",
    ),
    (
        [row(A, "iif_max_points", "58", "points", verified=False)],
        [row(B, "iif_max_points", "76", "points")],
        "IIF maximum points: 58 points in 2025-26; 76 in 2026-27 (+31.0%); the 2026-27 figure"
        " is verified (the earlier one was not).",
    ),
    (
        [row(A, "enhanced_access_minutes_per_1000_per_week", "60",
             "minutes_per_1000_patients_per_week")],
        [row(B, "enhanced_access_minutes_per_1000_per_week", "60",
             "minutes_per_1000_patients_per_week", start=date(2026, 10, 1))],
        "Enhanced Access minimum: 60 minutes per 1,000 patients a week in 2025-26; 60 from"
        " 1 October 2026 in 2026-27.",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("rows_a", "rows_b", "expected"), CASES)
def test_one_sentence_per_rule_change(rows_a, rows_b, expected):
    found = sentences(diff(ruleset(A, rows_a), ruleset(B, rows_b)))
    assert [s.text for s in found] == [expected]


ROLE_CASES = [
    (
        [],
        [role(B, "physician_assistant", "Physician assistant", "7", date(2026, 7, 1))],
        "New role: Physician assistant, band 7, reimbursable under ARRS in 2026-27 from"
        " 1 July 2026.",
    ),
    (
        [role(A, "gp_assistant", "GP assistant", "4")],
        [],
        "Role removed: GP assistant, band 4 was reimbursable in 2025-26; it is not in 2026-27.",
    ),
    (
        [role(A, "dietitian", "Dietitian", "7")],
        [role(B, "dietitian", "Dietitian", "7-8a")],
        "Role changed: Dietitian: band 7 in 2025-26; band 7-8a in 2026-27.",
    ),
]


@pytest.mark.parametrize(("roles_a", "roles_b", "expected"), ROLE_CASES)
def test_one_sentence_per_role_change(roles_a, roles_b, expected):
    found = sentences(diff(ruleset(A, [], roles_a), ruleset(B, [], roles_b)))
    assert [s.text for s in found] == [expected]
    assert found[0].topic == "Roles"


def test_sentences_grouped_by_topic_in_order():
    rows_a = [
        row(A, "iif_max_points", "58", "points"),
        row(A, EA, "8.427", "GBP_per_adjusted_patient"),
        row(A, "arrs_rate_per_weighted_patient", "26.631", "GBP_per_weighted_patient"),
        row(A, CP, "66972", "GBP_per_wte_per_year"),
    ]
    rows_b = [
        row(B, "iif_max_points", "76", "points"),
        row(B, EA, "8.640", "GBP_per_adjusted_patient"),
        row(B, "arrs_rate_per_weighted_patient", "27.210", "GBP_per_weighted_patient"),
        row(B, CP, "68646", "GBP_per_wte_per_year"),
    ]
    roles = [role(A, "clinical_pharmacist", "Clinical pharmacist", "7-8a")]
    groups = by_topic(sentences(diff(ruleset(A, rows_a, roles), ruleset(B, rows_b, roles))))
    assert [t for t, _ in groups] == ["ARRS", "Roles", "Payments", "IIF"]
    assert all(len(items) == 1 for _, items in groups)


def test_real_years_say_what_changed():
    from openpcn.rules import load_year

    texts = [s.text for s in sentences(diff(load_year("2024-25"), load_year("2025-26")))]
    assert any(
        t.startswith("Enhanced Access: £7.975 per adjusted patient in 2024-25") for t in texts
    )
    assert any(t.startswith("New role: Consultant nurse (primary care)") for t in texts)
