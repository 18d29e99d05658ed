"""IIF sliding scale, adjustments and next-threshold: spec tables, a slow reference, properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openpcn.rules.iif import load_year
from openpcn.rules.iif_schema import Indicator
from openpcn.services.errors import ServicesError
from openpcn.services.iif.payments import PcnMeasures, compute_payments
from openpcn.services.iif.scale import achievement_pct, patients_to_next_threshold, points

DEFS = load_year("2023-24")
ACC08 = DEFS.indicator("ACC-08")  # 71 points, 85-90%


def ind(lt=85, ut=90, pts=71, direction="up", **kw) -> Indicator:
    return Indicator(
        code="TST-01",
        kind="payment",
        description="d",
        numerator="n",
        denominator="d",
        direction=direction,
        lower_threshold=lt,
        upper_threshold=ut,
        points=pts,
        source=["REF"],
        verified=True,
        **{"counts": "patients", **kw},
    )


@pytest.mark.parametrize(
    ("code", "counts"),
    [("ACC-08", "appointments"), ("CAN-02", "referrals"), ("VI-01", "patients"),
     ("VI-03", "children"), ("HI-03", "patients")],
)  # fmt: skip
def test_each_indicator_says_what_it_counts(code, counts):
    assert DEFS.indicator(code).counts == counts


def test_an_indicator_without_its_unit_is_refused():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="counts"):
        Indicator(code="TST-01", kind="payment", description="d", numerator="n",
                  denominator="d", source=["REF"], verified=True)  # fmt: skip


# numerator, denominator -> points (ACC-08: 71 points, LT 85, UT 90)
SCALE = [
    (0, 100, "0"),
    (84, 100, "0"),  # below lower
    (85, 100, "0"),  # at lower: nothing yet
    (86, 100, "14.2"),  # 1/5 of the way
    (875, 1000, "35.5"),  # half way
    (89, 100, "56.8"),
    (90, 100, "71"),  # at upper
    (100, 100, "71"),  # above upper: capped
    (0, 0, "0"),  # no denominator
]


@pytest.mark.parametrize(("num", "den", "expected"), SCALE)
def test_sliding_scale(num, den, expected):
    assert points(ACC08, achievement_pct(num, den)) == Decimal(expected)


DOWN = [(50, "0"), (40, "0"), (35, "11"), (30, "22"), (10, "22")]  # LT 40 -> UT 30, 22 points


@pytest.mark.parametrize(("achievement", "expected"), DOWN)
def test_down_indicator(achievement, expected):
    assert points(ind(40, 30, 22, "down"), Decimal(achievement)) == Decimal(expected)


# num, den -> (next threshold, patients)
NEXT = [
    (80, 100, ("lower", 5)),
    (85, 100, ("upper", 5)),  # at the lower threshold: the next one is the upper
    (8501, 10000, ("upper", 499)),
    (8999, 10000, ("upper", 1)),
    (90, 100, None),
    (1, 3, ("lower", 2)),  # 85% of 3 = 2.55 -> 3 patients -> 2 more
]


@pytest.mark.parametrize(("num", "den", "expected"), NEXT)
def test_patients_to_next_threshold(num, den, expected):
    assert patients_to_next_threshold(ACC08, num, den) == expected


def test_bad_counts():
    with pytest.raises(ServicesError, match="larger than denominator"):
        achievement_pct(5, 4)
    with pytest.raises(ServicesError, match="0 or more"):
        achievement_pct(-1, 4)
    with pytest.raises(ServicesError, match="no known points"):
        points(DEFS.indicator("VI-01"), Decimal(90))


def test_schema_rejects_bad_definitions():
    with pytest.raises(ValueError, match="lower < upper"):
        ind(90, 85)
    with pytest.raises(ValueError, match="not floats"):
        ind(85.5, 90)
    with pytest.raises(ValueError, match="verified: false"):
        ind(pts=None)


# --- adjustments: PCN A list 10,000, PCN B 30,000 -> national average 20,000 -------------------
def _two_pcns(indicator_kw):
    defs = DEFS.model_copy(update={"indicators": (ind(**indicator_kw),)})
    measures = [
        PcnMeasures("A", "TST-01", {"numerator": Decimal(90), "denominator": Decimal(100)}),
        PcnMeasures("B", "TST-01", {"numerator": Decimal(270), "denominator": Decimal(300)}),
    ]
    return defs, measures


ADJUST = [
    # list-size, prevalence -> (amount A, amount B); full 71 points x £198 = £14,058
    (False, False, "14058.00", "14058.00"),
    (True, False, "7029.00", "21087.00"),  # x 0.5, x 1.5
    (False, True, "14058.00", "14058.00"),  # same prevalence (1%) in both -> x 1
    (True, True, "7029.00", "21087.00"),
]


@pytest.mark.parametrize(("lsa", "prev", "amount_a", "amount_b"), ADJUST)
def test_adjustments(lsa, prev, amount_a, amount_b):
    defs, measures = _two_pcns({"list_size_adjustment": lsa, "prevalence_adjustment": prev})
    got = compute_payments(defs, measures, {"A": 10000, "B": 30000})
    assert [str(r.amount) for r in got] == [amount_a, amount_b]


def test_prevalence_adjustment_differs():
    defs = DEFS.model_copy(
        update={"indicators": (ind(prevalence_adjustment=True),)}  # no list-size adjustment
    )
    measures = [  # both at 90% (full points); A prevalence 2%, B 1% -> national 1.5%
        PcnMeasures("A", "TST-01", {"numerator": Decimal(180), "denominator": Decimal(200)}),
        PcnMeasures("B", "TST-01", {"numerator": Decimal(90), "denominator": Decimal(100)}),
    ]
    a, b = compute_payments(defs, measures, {"A": 10000, "B": 10000})
    assert a.amount == Decimal("18744.00")  # 14058 x 4/3
    assert b.amount == Decimal("9372.00")  # 14058 x 2/3
    assert not a.figure.verified  # £ per point is unverified for 2023/24
    assert "prevalence adjustment 1.3333" in a.figure.method


def test_missing_list_size_is_an_error():
    defs, measures = _two_pcns({"list_size_adjustment": True})
    with pytest.raises(ServicesError, match="no list size for B"):
        compute_payments(defs, measures, {"A": 10000})


# --- slow, obviously correct reference, exact rational arithmetic --------------------------------
def reference_points(num: int, den: int, lt: int, ut: int, max_points: int) -> Fraction:
    if den == 0:
        return Fraction(0)
    pct = Fraction(num * 100, den)
    if pct <= lt:
        return Fraction(0)
    if pct >= ut:
        return Fraction(max_points)
    return Fraction(max_points) * (pct - lt) / (ut - lt)


thresholds = st.tuples(st.integers(0, 99), st.integers(1, 100)).filter(lambda t: t[0] < t[1])
counts = st.integers(0, 5000).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d)))


@given(thresholds, counts, st.integers(1, 120))
def test_matches_reference(lt_ut, num_den, max_points):
    lt, ut = lt_ut
    num, den = num_den
    got = points(ind(lt, ut, max_points), achievement_pct(num, den))
    want = reference_points(num, den, lt, ut, max_points)
    assert abs(Fraction(got) - want) < Fraction(1, 10**20)


@given(thresholds, counts, st.integers(1, 120))
def test_points_monotonic_bounded(lt_ut, num_den, max_points):
    lt, ut = lt_ut
    num, den = num_den
    indicator = ind(lt, ut, max_points)
    here = points(indicator, achievement_pct(num, den))
    assert 0 <= here <= max_points
    if num < den:
        assert points(indicator, achievement_pct(num + 1, den)) >= here


@given(thresholds, counts)
def test_next_threshold_is_exact(lt_ut, num_den):
    """Adding the suggested patients reaches the threshold; one fewer does not."""
    lt, ut = lt_ut
    num, den = num_den
    indicator = ind(lt, ut, 10)
    nxt = patients_to_next_threshold(indicator, num, den)
    if nxt is None:
        assert den == 0 or num * 100 >= ut * den
        return
    name, k = nxt
    t = lt if name == "lower" else ut
    assert k >= 1
    assert (num + k) * 100 >= t * den
    assert (num + k - 1) * 100 < t * den
