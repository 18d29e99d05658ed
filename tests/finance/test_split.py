"""Income split: table-shaped cases, remainder rules and bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openpcn.finance.errors import FinanceError
from openpcn.finance.split import (
    by_list,
    by_percentages,
    by_points,
    equally,
    shares_total,
    split_by,
)

D = Decimal


def amounts(shares):
    return {s.practice_code: str(s.amount) for s in shares}


@pytest.mark.parametrize(
    ("fn", "total", "weights", "expected"),
    [
        (equally, "100.00", ["B1", "A1", "C1"], {"A1": "33.34", "B1": "33.33", "C1": "33.33"}),
        (equally, "0.02", ["C1", "B1", "A1"], {"A1": "0.01", "B1": "0.01", "C1": "0.00"}),
        (by_list, "1000.00", {"A1": 6000, "B1": 4000}, {"A1": "600.00", "B1": "400.00"}),
        # 100.00 x 1/3 and 2/3: 33.333.. and 66.666..: the larger remainder (B1) gets the penny
        (by_list, "100.00", {"A1": 1, "B1": 2}, {"A1": "33.33", "B1": "66.67"}),
        (by_points, "10.00", {"A1": D("1.5"), "B1": D("1.5"), "C1": 0},
         {"A1": "5.00", "B1": "5.00", "C1": "0.00"}),
        (by_percentages, "10.00", {"A1": D("33.33"), "B1": D("33.33"), "C1": D("33.34")},
         {"A1": "3.33", "B1": "3.33", "C1": "3.34"}),
        (by_percentages, "0.00", {"A1": 50, "B1": 50}, {"A1": "0.00", "B1": "0.00"}),
    ],
)  # fmt: skip
def test_split_table(fn, total, weights, expected):
    shares = fn(D(total), weights)
    assert amounts(shares) == expected
    assert sum(s.amount for s in shares) == D(total)


@pytest.mark.parametrize(
    ("fn", "total", "weights", "message"),
    [
        (by_percentages, "10.00", {"A1": 50, "B1": 49}, "add up to 99, not 100"),
        (by_percentages, "10.00", {"A1": 110, "B1": -10}, "percentage for B1 is negative"),
        (by_percentages, "10.00", {"A1": "50", "B1": 50}, "must be a number"),
        (by_list, "10.00", {}, "no practices"),
        (by_list, "10.00", {"A1": 0, "B1": 0}, "add up to 0"),
        (by_list, "10.00", {"A1": -3, "B1": 5}, "for A1 must be 0 or more"),
        (by_list, "10.005", {"A1": 1}, "not a whole number of pennies"),
        (by_list, "-10.00", {"A1": 1}, "must be 0 or more"),
        (by_list, "10.00", {"a1": 1, "A1": 2}, "A1 is listed twice"),
        (by_points, "10.00", {"A1": 1.5}, "must be a number"),
    ],
)
def test_split_bad_input(fn, total, weights, message):
    with pytest.raises(FinanceError, match=message):
        fn(D(total), weights)


def test_total_must_be_decimal():
    with pytest.raises(FinanceError, match="must be a Decimal amount, not float"):
        equally(10.0, ["A1"])


def test_split_by_each_list_of_a_pcn():
    from openpcn.finance.split import practice_lists
    from tests.finance.conftest import tiny_pops

    pops = tiny_pops("2024-25")
    for basis, expected in [
        ("registered", {"A00001": "600.00", "A00002": "400.00"}),  # 6,000 : 4,000
        ("adjusted", {"A00001": "590.91", "A00002": "409.09"}),  # 6,500 : 4,500
        ("weighted", {"A00001": "583.33", "A00002": "416.67"}),  # 7,000 : 5,000
    ]:
        assert amounts(by_list(D("1000.00"), practice_lists(pops, "U00001", basis))) == expected
    with pytest.raises(FinanceError, match="has no weighted list for A00001, A00002"):
        practice_lists(tiny_pops("2025-26", weighted=False), "U00001", "weighted")
    with pytest.raises(FinanceError, match="basis must be"):
        practice_lists(pops, "U00001", "beds")


@pytest.mark.parametrize(
    ("method", "kwargs", "expected"),
    [
        ("registered", {"lists": {"A1": 6000, "B1": 4000}}, {"A1": "600.00", "B1": "400.00"}),
        ("equal", {"practices": ["B1", "A1"]}, {"A1": "500.00", "B1": "500.00"}),
        ("percentages", {"weights": {"A1": D(30), "B1": D(70)}}, {"A1": "300.00", "B1": "700.00"}),
        ("points", {"weights": {"A1": D(1), "B1": D(3)}}, {"A1": "250.00", "B1": "750.00"}),
    ],
)
def test_split_by_picks_the_method(method, kwargs, expected):
    shares = split_by(method, D("1000.00"), **kwargs)
    assert amounts(shares) == expected
    assert shares_total(shares) == D("1000.00")


def test_split_by_names_the_methods_for_an_unknown_one():
    with pytest.raises(FinanceError, match="registered, weighted"):
        split_by("lottery", D("1.00"), practices=["A1"])


@pytest.mark.parametrize(
    ("annual", "mine", "whole", "expected"),
    [
        # 1,000.05 x 1/2 = 500.025: half a penny rounds up (half-even would give 500.02)
        ("1000.05", 1, 2, "500.03"),
        ("1000.07", 1, 2, "500.04"),  # 500.035: up either way
        ("100.00", 1, 3, "33.33"),
        ("0.01", 1, 2, "0.01"),
    ],
)
def test_a_practice_part_is_to_the_penny_half_up(annual, mine, whole, expected):
    from types import SimpleNamespace

    from openpcn.finance.split import practice_parts

    stream = SimpleNamespace(available=True, annual_amount=Decimal(annual))
    share, parts = practice_parts([stream], mine, whole)
    assert share == Decimal(mine) / Decimal(whole)
    assert parts == [(stream, Decimal(expected))]
