"""Table-shaped spec: every stream of every year for one small PCN, worked out by hand.

PCN U00001: registered 10,000, adjusted 11,000, weighted 12,000; 20 care home beds.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from openpcn.finance.entitlements import entitlements, months_covered
from openpcn.finance.money import pennies
from openpcn.finance.populations import from_records
from tests.finance.conftest import practice, tiny_pops

D = Decimal
SPEC = {
    "2019-20": {
        "arrs": None,  # no per-PCN ARRS sum in 2019/20
        "core_pcn_funding": "15000.00",  # 1.50 x 10,000
        "clinical_director": "5143.00",  # 0.51430 x 10,000 for Jul-Mar (period amount)
        "extended_hours": "10875.00",  # 1.45 x 10,000 x 9/12 (from 1 Jul 2019)
        "network_participation": "21132.00",  # 1.761 x 12,000
    },
    "2020-21": {
        "arrs": "85572.00",  # 7.131 x 12,000
        "core_pcn_funding": "15000.00",
        "clinical_director": "7220.00",  # 0.722 x 10,000
        "extended_hours": "14500.00",  # 1.45 x 10,000
        "care_home_premium": "1200.00",  # 60 x 20 for Aug-Mar (period amount)
        "network_participation": "21120.00",  # 1.76 x 12,000
        "pcn_support": "3240.00",  # 0.27 x 12,000 for Apr-Sep (period amount)
        "iif": None,
    },
    "2021-22": {
        "arrs": "148464.00",  # 12.372 x 12,000
        "core_pcn_funding": "15000.00",
        "clinical_director": "7220.00",
        "extended_hours": "14400.00",  # 1.44 x 10,000
        "care_home_premium": "2400.00",  # 120 x 20
        "network_participation": "21120.00",
        "iif": None,
    },
    "2022-23": {
        "arrs": "204216.00",  # 17.018 x 12,000
        "core_pcn_funding": "15000.00",
        "leadership_and_management": "7689.00",  # 0.699 x 11,000
        "extended_hours": "7200.00",  # 0.720 x 10,000 for Apr-Sep (period amount)
        "enhanced_access": "41030.00",  # 7.46 x 11,000 x 6/12 (from 1 Oct 2022)
        "capacity_access_support": "15207.50",  # 2.765 x 11,000 x 6/12
        "care_home_premium": "2400.00",
        "network_participation": "21132.00",
    },
    "2023-24": {
        "arrs": "272052.00",  # 22.671 x 12,000
        "core_pcn_funding": "15000.00",
        "clinical_director": "7296.30",  # 0.72963 x 10,000
        "leadership_and_management": "7524.00",  # 0.684 x 11,000
        "enhanced_access": "83358.00",  # 7.578 x 11,000
        "capacity_access_support": "30415.00",  # 2.765 x 11,000
        "capacity_access_improvement": "13035.00",  # 1.185 x 11,000
        "care_home_premium": "2400.00",
        "network_participation": "21120.00",
    },
    "2024-25": {
        "arrs": "274728.00",  # 22.894 x 12,000
        "arrs_gp": "15636.00",  # 1.303 x 12,000 for Oct-Mar (period amount)
        "core_pcn_funding": "29858.00",  # 2.218 x 10,000 + 0.698 x 11,000
        "enhanced_access": "87725.00",  # 7.975 x 11,000
        "capacity_access_support": "35728.00",  # 3.248 x 11,000
        "capacity_access_improvement": "15312.00",  # 1.392 x 11,000
        "care_home_premium": "2544.00",  # 127.20 x 20
        "iif": None,
    },
    "2025-26": {
        "arrs": "319572.00",  # 26.631 x 12,000
        "core_pcn_funding": "30723.00",  # 2.266 x 10,000 + 0.733 x 11,000
        "enhanced_access": "92697.00",  # 8.427 x 11,000
        "capacity_access_support": "35288.00",  # 3.208 x 11,000
        "capacity_access_improvement": "15125.00",  # 1.375 x 11,000
        "care_home_premium": "2605.06",  # 130.253 x 20 = 2605.06
        "iif": None,
    },
}


@pytest.mark.parametrize("year", sorted(SPEC))
def test_every_stream_of_every_year(year):
    got = {s.stream: s for s in entitlements("U00001", year, tiny_pops(year), beds=20)}
    assert sorted(got) == sorted(SPEC[year]), "the streams listed for the year"
    for stream, expected in SPEC[year].items():
        s = got[stream]
        if expected is None:
            assert not s.available and s.annual_amount is None and s.reason, stream
        else:
            assert s.available, (stream, s.reason)
            assert s.annual_amount == D(expected), stream
            assert s.figure.value == D(expected)
            assert sum(p.amount for p in s.parts) == s.annual_amount


def test_breakdown_names_population_file_date_rate_months_and_source():
    s = {s.stream: s for s in entitlements("U00001", "2022-23", tiny_pops("2022-23"))}
    ea = s["enhanced_access"]
    (part,) = ea.parts
    assert (part.basis, part.population, part.rate, part.months) == (
        "adjusted",
        11000,
        D("7.46"),
        6,
    )
    assert ea.population_source == "tiny_2022-23.csv" and ea.population_as_of.year == 2022
    assert part.source and not ea.verified  # 2022/23 EA rate is unverified in the rule file
    assert "x 6/12 months" in ea.figure.method
    assert ea.figure.data[0].source == "tiny_2022-23.csv"
    row = ea.as_row()
    assert row["stream"] == "enhanced_access" and row["verified"] is False


def test_core_funding_row_joins_its_two_parts():
    (core,) = [s for s in entitlements("U00001", "2024-25", tiny_pops("2024-25")) if
               s.stream == "core_pcn_funding"]  # fmt: skip
    row = core.as_row()
    assert row["basis"] == "registered + adjusted"
    assert row["population"] == "10000 + 11000" and row["rate"] == "2.218 + 0.698"
    assert any("2.967" in n for n in core.notes)


def test_no_weighted_population_makes_arrs_unavailable_not_guessed():
    got = {s.stream: s for s in entitlements("U00001", "2025-26", tiny_pops("2025-26", False))}
    assert not got["arrs"].available and got["arrs"].annual_amount is None
    assert "no weighted population" in got["arrs"].reason
    assert got["enhanced_access"].available  # adjusted-based streams still work


@pytest.mark.parametrize(("beds", "expected"), [(None, None), (0, D("0.00")), (3, D("381.60"))])
def test_care_home_premium_beds(beds, expected):
    (chp,) = [s for s in entitlements("U00001", "2024-25", tiny_pops("2024-25"), beds=beds)
              if s.stream == "care_home_premium"]  # fmt: skip
    assert chp.annual_amount == expected
    assert chp.available is (beds is not None)
    if beds is None:
        assert "beds unknown" in chp.reason


@pytest.mark.parametrize("beds", [-1, 2.5, "3", True])
def test_bad_beds(beds):
    with pytest.raises(ValueError, match="beds"):
        entitlements("U00001", "2024-25", tiny_pops("2024-25"), beds=beds)


def test_population_of_another_year_needs_consent_and_is_noted():
    with pytest.raises(ValueError, match="is for 2024-25, not 2023-24"):
        entitlements("U00001", "2023-24", tiny_pops("2024-25"))
    got = entitlements("U00001", "2023-24", tiny_pops("2024-25"), allow_other_year=True)
    assert all("populations from the 2024-25 file" in "; ".join(s.notes) for s in got)


def test_unknown_pcn():
    with pytest.raises(KeyError, match="U99999 is not in tiny_2024-25.csv"):
        entitlements("U99999", "2024-25", tiny_pops("2024-25"))


def test_pennies_round_half_up():
    # 22.894 x 5 = 114.47; 1.303 x 5 = 6.515 -> 6.52 (half up)
    pops = from_records([practice("A1", "U1", 5, 5, 5)], "t.csv", tiny_pops("2024-25").as_of)
    got = {s.stream: s.annual_amount for s in entitlements("U1", "2024-25", pops)}
    assert got["arrs_gp"] == D("6.52") and got["arrs"] == D("114.47")
    assert pennies(D("0.005")) == D("0.01") and pennies(D("0.0049")) == D("0.00")


def test_implausible_rows_are_kept_and_said():
    rows = [practice("A1", "U1", 29, 30, 4547, implausible="weighted 4547 is 156.8 x raw 29")]
    pops = from_records(rows, "t.csv", tiny_pops("2024-25").as_of)
    arrs = entitlements("U1", "2024-25", pops)[0]
    assert arrs.annual_amount == pennies(D("22.894") * 4547)
    assert any("implausible" in n and "A1" in n for n in arrs.notes)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2022-10-01", "2023-03-31", "6"),
        ("2024-04-01", "2025-03-31", "12"),
        ("2019-07-01", "2020-03-31", "9"),
        ("2024-04-16", "2024-04-30", "0.5"),  # 15 of 30 days
    ],
)
def test_months_covered(start, end, months):
    from datetime import date

    assert months_covered(date.fromisoformat(start), date.fromisoformat(end)) == D(months)
