"""Mid-year changes resolve on either side of the change date; the API fails clearly."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from openpcn.core.figures import Figure, RuleRef
from openpcn.core.fyear import FinancialYear
from openpcn.rules.loader import RuleNotFound, as_rule_ref, load_year

# (year, key, change date, value the day before, value on the day; None = no row)
CHANGES = [
    ("2022-23", "arrs_max_reimbursement.clinical_pharmacist", date(2022, 10, 1), "57318", "59312"),
    ("2023-24", "arrs_max_reimbursement.clinical_pharmacist", date(2023, 7, 1), "59312", "62340"),
    ("2023-24", "arrs_max_reimbursement.pharmacy_technician", date(2023, 7, 1), "38187", "40159"),
    ("2024-25", "arrs_max_reimbursement.clinical_pharmacist", date(2024, 10, 1), "62340", "65838"),
    (
        "2024-25",
        "arrs_max_reimbursement.advanced_practitioner",
        date(2024, 10, 1),
        "68315",
        "72141",
    ),
    ("2022-23", "enhanced_access_per_adjusted_patient", date(2022, 10, 1), None, "7.46"),
    ("2022-23", "extended_hours_per_registered_patient", date(2022, 10, 1), "0.720", None),
    ("2024-25", "arrs_gp_rate_per_weighted_patient", date(2024, 10, 1), None, "1.303"),
    ("2024-25", "arrs_max_reimbursement.gp", date(2024, 10, 1), None, "92462"),
    ("2020-21", "pcn_support_per_weighted_patient", date(2020, 10, 1), "0.27", None),
    ("2020-21", "arrs_max_reimbursement.nursing_associate", date(2020, 10, 1), None, "29135"),
    ("2024-25", "arrs_max_reimbursement.enhanced_practice_nurse", date(2024, 10, 1), "60401", None),
]


@pytest.mark.parametrize(("year", "key", "day", "before", "after"), CHANGES)
def test_change_dates(year, key, day, before, after):
    rules = load_year(year)
    for on, expected in ((day - timedelta(days=1), before), (day, after)):
        found = rules.get(key, on)
        assert (found.value if found else None) == (Decimal(expected) if expected else None)


def test_arrs_sum_not_changed_by_uplift():
    rules = load_year("2024-25")
    a = rules.value("arrs_rate_per_weighted_patient", date(2024, 9, 30))
    b = rules.value("arrs_rate_per_weighted_patient", date(2024, 10, 1))
    assert a is b


def test_roles_available_follow_start_dates():
    rules = load_year("2024-25")
    before = {r.id for r in rules.roles_available(date(2024, 9, 30))}
    after = {r.id for r in rules.roles_available(date(2024, 10, 1))}
    assert after - before == {"gp"}
    assert load_year("2024-25").role("gp").available_from == date(2024, 10, 1)
    first = {r.id for r in load_year("2020-21").roles_available(date(2020, 4, 1))}
    assert "nursing_associate" not in first and "dietitian" in first


def test_role_not_yet_available_is_a_clear_error():
    rules = load_year("2024-25")
    with pytest.raises(RuleNotFound, match=r"'gp' is reimbursable in 2024-25 only from 2024-10-01"):
        rules.max_reimbursement("gp", date(2024, 9, 1))
    with pytest.raises(RuleNotFound, match=r"'gp' is not reimbursable under ARRS in 2023-24"):
        load_year("2023-24").max_reimbursement("gp", date(2023, 9, 1))


def test_missing_value_names_key_date_and_year():
    rules = load_year("2022-23")
    with pytest.raises(KeyError) as info:
        rules.value("arrs_max_reimbursement.physician_associate", date(2022, 8, 1))
    text = str(info.value)
    assert "arrs_max_reimbursement.physician_associate" in text
    assert "2022-08-01" in text and "2022-23" in text


def test_date_outside_year_is_an_error():
    with pytest.raises(RuleNotFound, match="outside financial year 2024-25"):
        load_year("2024-25").value("arrs_rate_per_weighted_patient", date(2025, 4, 1))


def test_region_must_be_known():
    with pytest.raises(ValueError, match="region must be one of"):
        load_year("2024-25").max_reimbursement("clinical_pharmacist", date(2024, 10, 1), "wales")


def test_size_banded_cap_needs_list_size():
    with pytest.raises(ValueError, match="depends on list size"):
        load_year("2023-24").role_cap("advanced_practitioner", date(2023, 5, 1))


def test_rule_ref_and_figure():
    rule = load_year(FinancialYear(2023)).value("arrs_rate_per_weighted_patient", date(2023, 5, 1))
    ref = as_rule_ref(rule)
    assert isinstance(ref, RuleRef)
    assert (ref.year, ref.key, ref.value, ref.verified) == (
        "2023-24",
        "arrs_rate_per_weighted_patient",
        Decimal("22.671"),
        True,
    )
    assert ref.applies_from == date(2023, 4, 1) and "[S37]" in ref.source
    unverified = load_year("2021-22").value("arrs_rate_per_weighted_patient", date(2021, 5, 1))
    figure = Figure("ARRS sum", Decimal("1"), rules=(ref, unverified.as_rule_ref()))
    assert figure.verified is False


def test_rows_prefix_and_period_amounts():
    rules = load_year("2024-25")
    london = rules.rows("arrs_max_reimbursement.clinical_pharmacist.")
    assert [r.key.rsplit(".", 1)[1] for r in london] == ["london_inner", "london_outer"]
    assert rules.value("arrs_gp_rate_per_weighted_patient", date(2025, 1, 1)).is_period_amount
    assert not rules.value("arrs_rate_per_weighted_patient", date(2025, 1, 1)).is_period_amount


def test_unknown_year():
    with pytest.raises(RuleNotFound, match="no rule file for 2018-19"):
        load_year("2018-19")
