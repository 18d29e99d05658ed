"""Percentiles used by the workforce benchmark (pure, documented, no numpy).

- :func:`quantile`: linear interpolation between closest ranks, Hyndman & Fan type 7 (the
  default of numpy.percentile, R's quantile() and ``statistics.quantiles(method="inclusive")``):
  for n sorted values x[0..n-1] and q in [0, 1], h = (n - 1) * q and the quantile is
  x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]). So the median of an even
  count is the mean of the middle two, p0 is the minimum and p100 the maximum.
- :func:`percentile_rank`: the mid-rank percentile rank, 100 * (below + equal / 2) / n, where
  ``below`` counts values strictly lower and ``equal`` values equal to the one ranked (itself
  included). A value alone in its group ranks 50; the lowest of many ranks near 0 and the
  highest near 100; ties share one rank.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The q-quantile (0 <= q <= 1) of already sorted values (type 7, see module doc)."""
    n = len(sorted_values)
    if n == 0:
        raise ValueError("no values")
    if not 0 <= q <= 1:
        raise ValueError(f"q={q} is not between 0 and 1")
    h = (n - 1) * q
    lo = math.floor(h)
    if lo >= n - 1:
        return float(sorted_values[-1])
    a, b = sorted_values[lo], sorted_values[lo + 1]
    return float(a + (h - lo) * (b - a))


def percentile_rank(sorted_values: Sequence[float], value: float) -> float:
    """Mid-rank percentile rank (0-100) of value among already sorted values."""
    n = len(sorted_values)
    if n == 0:
        raise ValueError("no values")
    below = bisect_left(sorted_values, value)
    equal = bisect_right(sorted_values, value) - below
    return 100.0 * (below + equal / 2) / n
