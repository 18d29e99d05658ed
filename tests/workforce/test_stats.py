"""Percentiles: small spec tables and Hypothesis against slow, obviously correct versions."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openpcn.workforce.stats import percentile_rank, quantile


def slow_quantile(values, q):
    """Type 7 by the textbook: position 1 + (n - 1) q in the 1-based sorted list."""
    xs = sorted(values)
    pos = 1 + (len(xs) - 1) * q
    k = int(pos)  # 1-based index at or below the position
    frac = pos - k
    if k >= len(xs):
        return xs[-1]
    return xs[k - 1] + frac * (xs[k] - xs[k - 1])


def slow_rank(values, v):
    """Count one by one: lower values count 1, equal values (itself included) count 1/2."""
    score = 0.0
    for x in values:
        if x < v:
            score += 1
        elif x == v:
            score += 0.5
    return 100 * score / len(values)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([5], 0.5, 5),
        ([1, 2, 3, 4], 0.5, 2.5),
        ([1, 2, 3, 4], 0.25, 1.75),
        ([1, 2, 3, 4], 0.75, 3.25),
        ([1, 2, 3, 4, 5], 0.25, 2),
        ([0, 0, 0, 10], 0.75, 2.5),
        ([3, 7], 0, 3),
        ([3, 7], 1, 7),
    ],
)
def test_quantile_table(values, q, expected):
    assert quantile(sorted(values), q) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("values", "v", "expected"),
    [
        ([5], 5, 50),
        ([1, 2, 3, 4], 1, 12.5),
        ([1, 2, 3, 4], 4, 87.5),
        ([0, 0, 0, 1], 0, 37.5),
        ([0, 0, 0, 1], 1, 87.5),
        ([2, 2, 2, 2], 2, 50),
    ],
)
def test_rank_table(values, v, expected):
    assert percentile_rank(sorted(values), v) == pytest.approx(expected)


def test_errors():
    with pytest.raises(ValueError, match="no values"):
        quantile([], 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        quantile([1.0], 1.5)
    with pytest.raises(ValueError, match="no values"):
        percentile_rank([], 1.0)


values_st = st.lists(
    st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=60,
)


@given(values_st, st.floats(min_value=0, max_value=1))
def test_quantile_matches_slow_and_stdlib(values, q):
    xs = sorted(values)
    got = quantile(xs, q)
    assert got == pytest.approx(slow_quantile(values, q), abs=1e-9)
    assert xs[0] - 1e-9 <= got <= xs[-1] + 1e-9
    if len(xs) >= 2:
        cuts = statistics.quantiles(xs, n=4, method="inclusive")
        assert quantile(xs, 0.25) == pytest.approx(cuts[0], abs=1e-9)
        assert quantile(xs, 0.5) == pytest.approx(statistics.median(xs), abs=1e-9)
        assert quantile(xs, 0.75) == pytest.approx(cuts[2], abs=1e-9)


@given(values_st, st.data())
def test_rank_matches_slow_and_is_monotonic(values, data):
    xs = sorted(values)
    v = data.draw(st.sampled_from(values))
    w = data.draw(st.sampled_from(values))
    assert percentile_rank(xs, v) == pytest.approx(slow_rank(values, v))
    assert 0 < percentile_rank(xs, v) < 100 or len(set(values)) == 1
    if v < w:
        assert percentile_rank(xs, v) < percentile_rank(xs, w)
