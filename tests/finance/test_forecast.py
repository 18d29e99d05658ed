"""Year-end forecast and headroom for 2024/25, worked out by hand.

CP max GBP 62,340 to 30 Sep 2024 (5,195.00 a month), GBP 65,838 from 1 Oct (5,486.50 a month).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.finance.claims import MonthlyPay, StaffContract
from openpcn.finance.errors import FinanceError
from openpcn.finance.forecast import Post, Vacancy, forecast
from openpcn.finance.headroom import cost_per_wte, headroom
from openpcn.rules import load_year
from tests.finance.conftest import with_rows, without_rows

D = Decimal
R = load_year("2024-25")
CP = Post(StaffContract("S1", "clinical_pharmacist", D(1), date(2023, 1, 1)),
          MonthlyPay("6000", "700", "900"))  # fmt: skip  # always above the cap: 64,089.00
PT_LEAVER = Post(StaffContract("S2", "pharmacy_technician", D(1), date(2022, 1, 1),
                               date(2024, 6, 15)), MonthlyPay("3000"))  # fmt: skip  # 7,500.00
AP_VACANCY = Vacancy("V1", "advanced_practitioner", D(1), date(2025, 1, 1))  # 3 x 6,011.75


def test_committed_underspend_and_alert():
    fc = forecast(R, {"arrs": D("100000.00")}, [CP, PT_LEAVER], [AP_VACANCY])
    arrs = fc.pots["arrs"]
    assert arrs.committed == D("89624.25")  # 64,089.00 + 7,500.00 + 18,035.25
    assert arrs.underspend == D("10375.75") and arrs.overspend == 0
    assert arrs.underspend_pct == D("10.38") and arrs.alert
    by_month = dict((m, a) for m, a, _ in arrs.by_month)
    assert by_month[date(2024, 6, 1)] == D("5195.00") + D("1500.00")  # leaver: 15/30 days
    assert by_month[date(2025, 1, 1)] == D("5486.50") + D("6011.75")
    assert fc.complete


def test_the_forecast_names_the_rule_rows_its_projections_used():
    """Both CP maxima of the year (before and after 1 Oct) and the AP maximum, from the
    engine's own claim lines; no maximum of a role nobody holds."""
    fc = forecast(R, {"arrs": D("100000.00")}, [CP], [AP_VACANCY])
    used = {(r.key, r.value) for r in fc.rules_used if r.key.startswith("arrs_max_")}
    assert ("arrs_max_reimbursement.clinical_pharmacist", D("62340")) in used
    assert ("arrs_max_reimbursement.clinical_pharmacist", D("65838")) in used
    assert any(k == "arrs_max_reimbursement.advanced_practitioner" for k, _ in used)
    assert not any("pharmacy_technician" in k for k, _ in used)


def test_actual_claims_before_the_as_of_month():
    claimed = {date(2024, m, 1): D("8000.00") for m in (4, 5, 6)}
    fc = forecast(R, {"arrs": D("100000.00")}, [CP, PT_LEAVER], [AP_VACANCY],
                  claimed=claimed, as_of=date(2024, 7, 10))  # fmt: skip
    arrs = fc.pots["arrs"]
    assert arrs.actual == D("24000.00")
    assert arrs.projected == D("66539.25")  # 3 x 5,195 + 6 x 5,486.50 + 18,035.25
    assert arrs.underspend == D("9460.75")
    kinds = [k for _, _, k in arrs.by_month]
    assert kinds == ["actual"] * 3 + ["projected"] * 9


@pytest.mark.parametrize(
    ("total", "under", "over", "alert"),
    [
        ("50000.00", "0.00", "14089.00", False),  # overspend: not reimbursed
        ("66000.00", "1911.00", "0.00", False),  # 2.9%: no alert
        ("67462.00", "3373.00", "0.00", False),  # 4.9999%: no alert (must exceed 5%)
        ("67463.00", "3374.00", "0.00", True),  # 5.0013%
    ],
)
def test_underspend_overspend_alert_threshold(total, under, over, alert):
    arrs = forecast(R, {"arrs": D(total)}, [CP]).pots["arrs"]
    assert (arrs.underspend, arrs.overspend, arrs.alert) == (D(under), D(over), alert)


def test_post_without_a_role_maximum_is_reported_not_guessed():
    # rules that hold neither a dietitian maximum nor a row saying none is published
    rules = without_rows(without_rows(R, "arrs_max_reimbursement.dietitian"),
                         "arrs_max_none_published.dietitian")  # fmt: skip
    diet = Post(StaffContract("S3", "dietitian", D(1), date(2024, 4, 1)), MonthlyPay("3000"))
    fc = forecast(rules, {"arrs": D("100000.00")}, [CP, diet])
    assert not fc.complete
    assert "S3 (dietitian) left out: no maximum reimbursement" in fc.issues[0]
    assert fc.pots["arrs"].committed == D("64089.00")


def test_post_with_no_published_maximum_is_costed_at_its_actual_cost():
    # 2024-25 dietitian: band-7 maximum 60,401 (D) to 30 Sep; none published from 1 Oct 2024
    diet = Post(StaffContract("S3", "dietitian", D(1), date(2024, 4, 1)), MonthlyPay("3000"))
    fc = forecast(R, {"arrs": D("100000.00")}, [CP, diet])
    assert fc.complete and not fc.issues
    assert fc.pots["arrs"].committed == D("64089.00") + 12 * D("3000.00")


def test_gp_is_forecast_against_the_gp_sum():
    gp = Vacancy("V2", "gp", D(1), date(2024, 10, 1))
    fc = forecast(R, {"arrs": D("100000.00"), "arrs_gp": D("56978.89")}, [CP], [gp])
    assert fc.pots["arrs_gp"].committed == D("46231.02")  # 6 x 7,705.17 (the cap to the penny)
    assert fc.pots["arrs"].committed == D("64089.00")


def test_headroom_from_january():
    rows = {r.role: r for r in headroom(R, {"arrs": D("10375.75")}, date(2025, 1, 15))}
    assert rows["clinical_pharmacist"].cost_per_wte == D("16459.50")  # 3 x 65,838 / 12
    assert rows["clinical_pharmacist"].affordable_wte == D("0.63")  # 0.6303, rounded down
    assert rows["advanced_practitioner"].affordable_wte == D("0.57")
    assert rows["gp"].cost_per_wte == D("23115.50") and rows["gp"].affordable_wte == D("0.44")
    assert rows["dietitian"].affordable_wte is None  # no maximum published from 1 Oct 2024
    assert "no maximum published for dietitian" in rows["dietitian"].reason


def test_headroom_gp_from_its_start_date_and_own_pot():
    rows = {r.role: r for r in headroom(R, {"arrs": D(0), "arrs_gp": D("56978.89")},
                                        date(2024, 4, 1))}  # fmt: skip
    assert rows["gp"].from_month == date(2024, 10, 1) and rows["gp"].pot == "arrs_gp"
    assert rows["gp"].cost_per_wte == D("46231.00") and rows["gp"].affordable_wte == D("1.23")
    assert rows["clinical_pharmacist"].affordable_wte == 0


def test_headroom_limited_by_role_cap():
    rules = load_year("2021-22")  # one advanced practitioner per PCN, max 62,705
    rows = {r.role: r for r in headroom(rules, {"arrs": D("500000")}, date(2021, 4, 1),
                                        wte_by_role={"advanced_practitioner": D(1)})}  # fmt: skip
    ap = rows["advanced_practitioner"]
    assert ap.cost_per_wte == D("62705.00") and ap.cap_left == 0 and ap.affordable_wte == 0
    fc_rows = forecast(rules, {"arrs": D("500000")}).headroom(date(2021, 4, 1))
    assert {r.role: r for r in fc_rows}["advanced_practitioner"].affordable_wte == 1


def test_cost_per_wte_spans_the_uplift():
    assert cost_per_wte(R, "clinical_pharmacist", date(2024, 4, 1)) == D("64089.00")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(sums={}), "ARRS sum under 'arrs'"),
        (dict(sums={"arrs": -1}), "must be a Decimal of 0 or more"),
        (dict(sums={"arrs": D(1)}, as_of=date(2023, 4, 1)), "outside financial year"),
        (dict(sums={"arrs": D(1)}, posts=[CP, CP]), "listed twice: S1"),
    ],
)
def test_bad_forecast_input(kwargs, message):
    with pytest.raises(FinanceError, match=message):
        forecast(R, **kwargs)


@pytest.mark.parametrize(
    ("claimed", "message"),
    [
        ({date(2024, 4, 15): D(1)}, "not the first day of a month in 2024-25"),
        ({date(2025, 4, 1): D(1)}, "not the first day of a month in 2024-25"),
        ({date(2024, 4, 1): "100"}, "claimed for Apr 2024 must be a Decimal"),
        ({date(2024, 4, 1): D(-1)}, "claimed for Apr 2024 must be a Decimal of 0 or more"),
    ],
)
def test_bad_claimed(claimed, message):
    with pytest.raises(FinanceError, match=message):
        forecast(R, {"arrs": D(1)}, claimed=claimed, as_of=date(2024, 6, 1))


def test_post_whose_maximum_ends_mid_year_is_costed_until_then_and_said():
    # SPLW maximum held only to 30 Sep 2024 (40,159 -> 3,346.58 a month): rules without the
    # 1 Oct 2024 band-5 figure (42,437, D) and its London rows
    rules = without_rows(R, "arrs_max_reimbursement.social_prescribing_link_worker")
    rules = with_rows(rules, {"key": "arrs_max_reimbursement.social_prescribing_link_worker",
                              "value": "40159", "applies_to": date(2024, 9, 30)})  # fmt: skip
    splw = Post(StaffContract("S4", "social_prescribing_link_worker", D(1), date(2024, 4, 1)),
                MonthlyPay("4000"))  # fmt: skip
    fc = forecast(rules, {"arrs": D("100000.00")}, [splw])
    assert fc.pots["arrs"].committed == D("20079.48")  # 6 x 3,346.58 (cap, rounded down)
    full = forecast(R, {"arrs": D("100000.00")}, [splw])  # the shipped files: 42,437 from Oct
    assert full.pots["arrs"].committed == D("20079.48") + 6 * D("3536.42") and not full.issues
    (issue,) = fc.issues
    assert issue.startswith("S4 (social_prescribing_link_worker) not costed for Oct 2024 to Mar")
    assert "no maximum reimbursement" in issue


def test_gp_before_its_start_is_simply_not_costed():
    gp = Post(StaffContract("G1", "gp", D(1), date(2024, 4, 1)), MonthlyPay("9000"))
    fc = forecast(R, {"arrs": D("100000.00"), "arrs_gp": D("56978.89")}, [gp])
    assert fc.complete and fc.pots["arrs_gp"].committed == D("46231.02")


def test_sums_from_entitlements():
    from openpcn.finance.entitlements import entitlements
    from openpcn.finance.forecast import with_sums_from
    from tests.finance.conftest import tiny_pops

    sums = with_sums_from(entitlements("U00001", R, tiny_pops("2024-25")), R)
    assert sums == {"arrs": D("274728.00"), "arrs_gp": D("15636.00")}
    r26 = load_year("2025-26")
    with pytest.raises(FinanceError, match="no weighted population"):
        with_sums_from(entitlements("U00001", r26, tiny_pops("2025-26", weighted=False)), r26)


def test_unknown_pot():
    with pytest.raises(FinanceError, match="unknown pot"):
        forecast(R, {"arrs": D(1), "iif": D(1)})


def test_role_caps_apply_across_posts_in_the_forecast():
    # 2024-25 enhanced practice nurse cap: 1 WTE under 100,000 patients; max 60,401 to 30 Sep
    nurses = [Post(StaffContract(f"E{i}", "enhanced_practice_nurse", D("0.8"), date(2024, 4, 1)),
                   MonthlyPay("10000")) for i in (1, 2)]  # fmt: skip
    fc = forecast(R, {"arrs": D("100000.00")}, nurses, list_size=50_000)
    # E1 0.8 WTE + E2 0.2 WTE = 1 WTE at 60,401/12 for Apr-Sep; from Oct no maximum is
    # published, so the claimable WTE is costed at its actual pay (10,000 + 10,000 x 0.2/0.8)
    assert fc.pots["arrs"].committed == D("30200.46") + 6 * D("12500.00")
    assert not fc.issues
    with pytest.raises(FinanceError, match="depends on list size"):
        forecast(R, {"arrs": D("100000.00")}, nurses)


def test_headroom_starts_in_the_as_of_month():
    fc = forecast(load_year("2021-22"), {"arrs": D("500000")}, as_of=date(2021, 9, 17))
    assert fc.headroom_from == date(2021, 9, 1)
    assert fc.headroom() == fc.headroom(date(2021, 9, 1))
