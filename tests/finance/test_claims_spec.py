"""Table-shaped spec for monthly ARRS claims, worked out by hand from the rule files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.finance.claims import (
    ClaimError,
    MonthlyPay,
    StaffContract,
    claim_month,
    claimable_wtes,
    claims_for_month,
)
from openpcn.rules import load_year
from tests.finance.conftest import with_rows, without_rows

D = Decimal
R2425 = load_year("2024-25")

# CP maximum 2024-25: GBP 62,340 to 30 Sep 2024, GBP 65,838 from 1 Oct (london_inner 76,313)
CASES = [
    # id, wte, start, end, month, pay (gross, ni, pension, basis), convention, region, claim, capped
    ("full month under cap", "1", "2023-01-01", None, "2024-05", ("4000", "450", "600", "actual"),
     "months", "national", "5050.00", False),
    ("full month capped at max/12", "1", "2023-01-01", None, "2024-10", ("6000", "700", "900",
     "actual"), "months", "national", "5486.50", True),
    ("starter 16 Oct, 0.8 WTE: 65838 x 0.8 x 16/(12 x 31)", "0.8", "2024-10-16", None, "2024-10",
     ("3000", "300", "420", "actual"), "months", "national", "2265.39", True),
    ("leaver 15 Jun, full-time pay pro-rated by WTE and days", "0.5", "2023-01-01", "2024-06-15",
     "2024-06", ("3000", "300", "400", "full_time"), "months", "national", "925.00", False),
    ("days convention: 65838 x 31/365", "1", "2023-01-01", None, "2024-10",
     ("6000", "700", "900", "actual"), "days", "national", "5591.72", True),
    ("london inner from 1 Oct 2024: 76313/12, cap to the penny", "1", "2023-01-01", None, "2024-10",
     ("6000", "700", "900", "actual"), "months", "london_inner", "6359.42", True),
    ("london inner before Oct: national used", "1", "2023-01-01", None, "2024-05",
     ("6000", "700", "900", "actual"), "months", "london_inner", "5195.00", True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("wte", "start", "end", "month", "pay", "convention", "region", "claim", "capped"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_claim_month(wte, start, end, month, pay, convention, region, claim, capped):
    contract = StaffContract(
        "S1", "clinical_pharmacist", D(wte), date.fromisoformat(start),
        date.fromisoformat(end) if end else None, region,
    )  # fmt: skip
    line = claim_month(
        contract, date.fromisoformat(month + "-01"), MonthlyPay(*pay), R2425, convention=convention
    )
    assert line.claim == D(claim)
    assert line.capped is capped
    assert line.claim <= line.cap
    assert line.figure.value == line.claim and line.figure.rules
    if region != "national" and month == "2024-05":
        assert any("national maximum used" in n for n in line.notes)


def test_mental_health_practitioner_split_2021_22():
    rules = with_rows(
        load_year("2021-22"),
        {"key": "arrs_max_reimbursement.mental_health_practitioner", "value": "50000"},
    )
    c = StaffContract("M1", "mental_health_practitioner", D(1), date(2021, 4, 1))
    line = claim_month(c, date(2021, 6, 1), MonthlyPay(D("3200"), D("350"), D("450")), rules)
    assert line.mhp_pcn_pct == D(50)  # PCN pays (and claims) half; the provider the rest
    assert line.claim == D("2000.00")
    assert "MHP PCN share 50%" in line.figure.method


def test_reimbursement_pct_70_for_2019_20_clinical_pharmacists():
    rules = with_rows(
        load_year("2019-20"),
        {"key": "arrs_max_reimbursement.clinical_pharmacist", "value": "50000",
         "applies_from": date(2019, 7, 1)},
    )  # fmt: skip
    c = StaffContract("C1", "clinical_pharmacist", D(1), date(2019, 7, 1))
    assert claim_month(c, date(2019, 7, 1), MonthlyPay("3000"), rules).claim == D("2100.00")


def test_missing_role_maximum_is_a_clear_error():
    rules = without_rows(R2425, "arrs_max_none_published.dietitian")
    c = StaffContract("D1", "dietitian", D(1), date(2024, 4, 1))
    with pytest.raises(ClaimError, match="no maximum reimbursement for role 'dietitian'.*gaps"):
        claim_month(c, date(2024, 11, 1), MonthlyPay("3000"), rules)


def test_no_published_maximum_caps_the_claim_at_its_actual_cost():
    # 2024-25 dietitian: none published from 1 Oct 2024 -> the claim is pay + on-costs
    c = StaffContract("D1", "dietitian", D("0.5"), date(2024, 4, 1))
    line = claim_month(c, date(2024, 11, 1), MonthlyPay("9000", "900", "1200"), R2425)
    assert line.claim == line.cap == D("11100.00") and not line.capped
    assert line.annual_max_per_wte is None
    assert any("no maximum published for dietitian" in n for n in line.notes)
    assert "no maximum published for the role and period" in line.figure.method
    assert any(r.key == "arrs_max_none_published.dietitian" for r in line.rules)
    # before 1 Oct the band-7 figure (60,401, derived) caps it
    may = claim_month(c, date(2024, 5, 1), MonthlyPay("9000", "900", "1200"), R2425)
    assert may.capped and may.cap == D("2516.71")  # 60,401 x 0.5 / 12
    assert "the maximum £60,401 is unverified (confidence D; derived: band 7" in may.figure.method


def test_mhp_cap_is_times_the_pcn_share():
    # 2026-27: the PCN pays 50% of the first MHP per band (S); cap 73,334 x 50% / 12 = 3,055.58
    c = StaffContract("M1", "mental_health_practitioner", D(1), date(2026, 4, 1))
    line = claim_month(c, date(2026, 6, 1), MonthlyPay("8000"), load_year("2026-27"))
    assert line.mhp_pcn_pct == D(50) and line.claim == line.cap == D("3055.58")


def test_role_cap_enforced_across_the_pcn_first_come_first_claimed():
    # 2024-25 enhanced practice nurse: 1 WTE under 100,000 patients, 2 from 100,000
    epn = [
        StaffContract("E2", "enhanced_practice_nurse", D("0.8"), date(2024, 5, 1)),
        StaffContract("E1", "enhanced_practice_nurse", D("0.6"), date(2024, 4, 1)),
    ]
    pays = {"E1": MonthlyPay("2500"), "E2": MonthlyPay("3000")}
    lines = {ln.staff_id: ln for ln in claims_for_month(epn, pays, date(2024, 5, 1), R2425,
                                                         list_size=50_000)}  # fmt: skip
    assert lines["E1"].claimable_wte == D("0.6") and lines["E1"].claim == D("2500.00")
    assert lines["E2"].claimable_wte == D("0.4")
    assert lines["E2"].claim == D("1500.00")  # 3000 x 0.4/0.8, under 60401 x 0.4 / 12
    assert any("role cap" in n for n in lines["E2"].notes)
    big = claimable_wtes(epn, date(2024, 5, 1), R2425, list_size=120_000)
    assert big == {"E1": D("0.6"), "E2": D("0.8")}
    with pytest.raises(ClaimError, match="depends on list size"):
        claimable_wtes(epn, date(2024, 5, 1), R2425)


def test_2023_24_acp_nurses_count_within_the_advanced_practitioner_cap():
    rules = load_year("2023-24")
    staff = [StaffContract(f"A{i}", "advanced_practitioner", D(1), date(2023, 4, 1)) for i in
             range(3)] + [StaffContract("N1", "advanced_clinical_practitioner_nurse", D(1),
                                        date(2023, 5, 1))]  # fmt: skip
    got = claimable_wtes(staff, date(2023, 6, 1), rules, list_size=80_000)
    assert got["N1"] == 0 and all(got[f"A{i}"] == 1 for i in range(3))


def test_leaver_before_the_month_is_left_out_of_the_pcn_claims():
    staff = [StaffContract("S1", "clinical_pharmacist", D(1), date(2024, 4, 1), date(2024, 4, 30))]
    assert claims_for_month(staff, {}, date(2024, 5, 1), R2425) == []


BAD = [
    ("wte above 1", dict(wte=D("1.2")), "wte must be more than 0 and at most 1"),
    ("wte below 0", dict(wte=D("-0.1")), "wte must be more than 0"),
    ("wte zero", dict(wte=D("0")), "wte must be more than 0"),
    ("wte text", dict(wte="half"), "wte is not a number"),
    ("end before start", dict(end=date(2024, 3, 1)), "end 2024-03-01 is before start"),
    ("unknown region", dict(region="wales"), "region must be one of"),
]


@pytest.mark.parametrize(("changes", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_contract(changes, message):
    fields = dict(staff_id="S9", role="clinical_pharmacist", wte=D(1), start=date(2024, 4, 1))
    with pytest.raises(ClaimError, match=message) as info:
        StaffContract(**{**fields, **changes})
    assert "S9" in str(info.value) or "region" in message


@pytest.mark.parametrize(
    ("pay", "message"),
    [
        (MonthlyPay("12a"), "gross is not an amount of money: '12a'"),
        (MonthlyPay("100", employer_ni="ten"), "employer_ni is not an amount of money"),
        (MonthlyPay(2000.5), "gross must be a Decimal or text, not float"),
        (MonthlyPay("-5"), "gross is negative"),
        (MonthlyPay("100", basis="weekly"), "pay basis must be one of"),
    ],
)
def test_bad_pay(pay, message):
    c = StaffContract("S9", "clinical_pharmacist", D(1), date(2024, 4, 1))
    with pytest.raises(ClaimError, match=message) as info:
        claim_month(c, date(2024, 5, 1), pay, R2425)
    assert "staff S9" in str(info.value)


def test_pay_text_with_commas_and_pound_sign_is_read():
    c = StaffContract("S9", "clinical_pharmacist", D(1), date(2024, 4, 1))
    assert claim_month(c, date(2024, 5, 1), MonthlyPay("£3,000.00"), R2425).claim == D("3000.00")


@pytest.mark.parametrize(
    ("year", "role", "month", "message"),
    [
        ("2023-24", "gp", "2023-05", "role 'gp' is not reimbursable under ARRS in 2023-24"),
        ("2024-25", "gp", "2024-05", "reimbursable in 2024-25 only from 2024-10-01"),
        ("2024-25", "clinical_pharmacist", "2025-04", "outside financial year 2024-25"),
        ("2024-25", "clinical_pharmacist", "2023-05", "outside financial year 2024-25"),
    ],
)
def test_role_or_month_not_reimbursable(year, role, month, message):
    c = StaffContract("S9", role, D(1), date(2023, 4, 1))
    with pytest.raises(ClaimError, match=message):
        claim_month(c, date.fromisoformat(month + "-01"), MonthlyPay("100"), load_year(year))


def test_contract_not_covering_the_month():
    c = StaffContract("S9", "clinical_pharmacist", D(1), date(2024, 6, 1))
    with pytest.raises(ClaimError, match="does not cover any day"):
        claim_month(c, date(2024, 5, 1), MonthlyPay("100"), R2425)


def test_gp_claim_from_1_october_2024():
    c = StaffContract("G1", "gp", D(1), date(2024, 9, 1))
    line = claim_month(c, date(2024, 10, 1), MonthlyPay("9000"), R2425)
    assert line.claim == line.cap == D("7705.17")  # 92462 / 12 = 7705.1666..., cap to the penny
