"""Hypothesis properties: claims never exceed their cap; pro-rating is monotonic in days and
WTE; splits always add up to the total and match a slow reference; entitlements are
rate x population to the penny."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from openpcn.finance.claims import MonthlyPay, StaffContract, claim_month
from openpcn.finance.entitlements import entitlements
from openpcn.finance.populations import from_records
from openpcn.finance.split import split
from openpcn.rules import load_year
from tests.finance.conftest import practice

R = load_year("2024-25")
ROLES = ["clinical_pharmacist", "pharmacy_technician", "advanced_practitioner", "gp"]
money = st.decimals(min_value=0, max_value=20000, places=2)
wtes = st.decimals(min_value=Decimal("0.01"), max_value=1, places=2)
months = st.sampled_from([date(2024, m, 1) for m in range(10, 13)] + [date(2025, 2, 1)])
days = st.integers(min_value=0, max_value=27)
SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(st.sampled_from(ROLES), wtes, months, days, money, money, money,
       st.sampled_from(["actual", "full_time"]), st.sampled_from(["months", "days"]),
       st.sampled_from(["national", "london_inner", "london_outer"]))  # fmt: skip
def test_claim_never_exceeds_its_cap(role, wte, month, start, gross, ni, pension, basis, conv, reg):
    c = StaffContract("S1", role, wte, month + timedelta(days=start), region=reg)
    line = claim_month(c, month, MonthlyPay(gross, ni, pension, basis), R, convention=conv)
    assert 0 <= line.claim <= line.cap
    # the cap itself is never above a full month at the maximum for 1 WTE
    assert line.cap <= line.annual_max_per_wte / 12 * Decimal(31) / 28
    assert line.claim <= line.reimbursable + Decimal("0.005")


@SETTINGS
@given(st.sampled_from(ROLES), wtes, months, days, days, money)
def test_claim_monotonic_in_days(role, wte, month, a, b, pay):
    early, late = sorted((a, b))
    pay = MonthlyPay(pay, basis="full_time")
    more = claim_month(StaffContract("S1", role, wte, month + timedelta(days=early)), month, pay, R)
    fewer = claim_month(StaffContract("S1", role, wte, month + timedelta(days=late)), month, pay, R)
    assert fewer.claim <= more.claim


@SETTINGS
@given(st.sampled_from(ROLES), wtes, wtes, months, days, money)
def test_claim_monotonic_in_wte(role, a, b, month, start, pay):
    low, high = sorted((a, b))
    pay = MonthlyPay(pay, basis="full_time")
    day = month + timedelta(days=start)
    small = claim_month(StaffContract("S1", role, low, day), month, pay, R)
    big = claim_month(StaffContract("S1", role, high, day), month, pay, R)
    assert small.claim <= big.claim and small.cap <= big.cap


def reference_split(total: Decimal, weights: dict[str, Decimal]) -> dict[str, Decimal]:
    """Slow and obvious: exact fractions, hand out pennies one by one to the biggest gaps."""
    pennies = int(total * 100)
    whole = sum(Fraction(w) for w in weights.values())
    exact = {c: Fraction(pennies) * Fraction(w) / whole for c, w in weights.items()}
    given_out = {c: int(x) for c, x in exact.items()}
    for _ in range(pennies - sum(given_out.values())):
        code = min(exact, key=lambda c: (-(exact[c] - given_out[c]), c))
        given_out[code] += 1
    return {c: Decimal(v) / 100 for c, v in given_out.items()}


codes = st.lists(st.from_regex(r"[A-Z][0-9]{5}", fullmatch=True), min_size=1, max_size=12,
                 unique=True)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=10_000_000, places=2), codes, st.data())
def test_split_always_adds_up_and_matches_reference(total, practice_codes, data):
    weights = {
        c: data.draw(st.one_of(st.integers(0, 200_000), st.decimals(0, 100, places=3)))
        for c in practice_codes
    }
    if sum(Decimal(w) for w in weights.values()) == 0:
        weights[practice_codes[0]] = 1
    shares = split(total, weights)
    assert sum(s.amount for s in shares) == total
    whole = sum(Fraction(Decimal(w)) for w in weights.values())
    for s in shares:
        exact = Fraction(total) * Fraction(Decimal(weights[s.practice_code])) / whole
        assert abs(Fraction(s.amount) - exact) < Fraction(1, 100)
    assert {s.practice_code: s.amount for s in shares} == reference_split(total, weights)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 400_000), st.integers(0, 400_000), st.integers(0, 400_000))
def test_entitlements_are_rate_times_population(registered, adjusted, weighted):
    pops = from_records([practice("A1", "U1", registered, adjusted, weighted)], "t.csv",
                        date(2024, 1, 1))  # fmt: skip
    got = {s.stream: s.annual_amount for s in entitlements("U1", "2024-25", pops, beds=0)}

    def p(x):
        return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    assert got["arrs"] == p(Decimal("22.894") * weighted)
    assert got["core_pcn_funding"] == p(Decimal("2.218") * registered) + p(
        Decimal("0.698") * adjusted
    )
    assert got["enhanced_access"] == p(Decimal("7.975") * adjusted)
    assert got["care_home_premium"] == 0


@SETTINGS
@given(st.sampled_from(ROLES), wtes, months, days, st.sampled_from(["months", "days"]))
def test_a_capped_claim_equals_the_cap_shown_to_the_penny(role, wte, month, start, conv):
    c = StaffContract("S1", role, wte, month + timedelta(days=start))
    line = claim_month(c, month, MonthlyPay("20000"), R, convention=conv)  # always over the cap
    assert line.capped
    shown = line.cap.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert line.claim == shown == line.cap
    assert f"£{shown:,.2f}" in line.figure.method


def test_claim_held_at_a_cap_ending_in_a_part_penny():
    # October 2024 clinical pharmacist £65,838 x 0.37 WTE / 12 = £2,030.005: the cap is
    # £2,030.01 (half up) and the claim held at it is the same, not £2,030.00
    c = StaffContract("S1", "clinical_pharmacist", Decimal("0.37"), date(2024, 10, 1))
    line = claim_month(c, date(2024, 10, 1), MonthlyPay("9000"), R)
    assert line.cap == line.claim == Decimal("2030.01")
