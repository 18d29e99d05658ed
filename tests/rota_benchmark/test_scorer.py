"""The independent scorer: penalties and violations computed by hand."""

from __future__ import annotations

import pytest

from openpcn.rota_benchmark.scorer import ScoreInputError, score
from tests.rota_benchmark.instances import TINY


@pytest.mark.parametrize(
    ("roster", "penalty", "violations"),
    [
        # A: D D N (off..). B: D. Cover: day0 2 D (over 1), day1 1 D (under 1 -> 100),
        # day2 N 1 ok. B on-request day0 D met; A off-request day1 D broken (3).
        ("A,D,D,N,,,,\nB,D,,,,,,\n", 1 + 100 + 3, []),
        # Nobody works: under 1+2+1 = 4 x 100, B's request 2; min minutes broken for both.
        ("A,,,,,,,\nB,,,,,,,\n", 402, ["A: 0 minutes, minimum 960", "B: 0 minutes, minimum 480"]),
        # A: N then D (forbidden), 4 in a row, then works day 5 (a day off) alone.
        # Cover: day 1 one D short (100), day 2 no N (100); A's off-request broken (3).
        (
            "A,N,D,D,D,,D,\nB,D,,,,,,\n",
            100 + 100 + 3,
            [
                "A: 4 consecutive shifts from day 0, max 3",
                "A: shift D on day 1 follows N",
                "A: works on day 5, a day off",
                "A: 1 consecutive shifts from day 5, min 2",
            ],
        ),
    ],
)
def test_scorer_hand_computed(roster, penalty, violations):
    s = score(TINY, roster)
    assert s.penalty == penalty
    assert sorted(s.violations) == sorted(violations)


def test_scorer_rejects_bad_roster_with_line():
    with pytest.raises(ScoreInputError, match="line 2: unknown employee 'Q'"):
        score(TINY, "A,,,,,,,\nQ,,,,,,,\n")
