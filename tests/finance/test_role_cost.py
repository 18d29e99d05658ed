"""The role cost calculator: the published GP examples to the penny, properties, bad input.

The published figures (nhs-rules-reference.md section 1.4 and nhs-rules-update-2026-12.md
sections 1.2, 1.3, 6) are NHS England's ARRS GP maxima, stated to the pound.  The calculator
works the cost to the penny with the annual convention (pension 14.38% of pay, NI at the year's
rate above the year's secondary threshold on annual pay); the published figure is that cost
rounded to the pound.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openpcn.core.fyear import FinancialYear
from openpcn.finance.role_cost import RoleCostError, cost_for, load_for, role_cost
from openpcn.rules import load_year
from openpcn.rules.loader import DATA_DIR
from openpcn.rules.pay import PayFileError, PayFileMissing, load_pay, load_pay_file

D = Decimal


def _pound(value: Decimal) -> Decimal:
    return value.quantize(D(1))


# (case, year, start, region, salary, published salary line, london, NI, pension, total to the
#  penny, published maximum to the pound)
PUBLISHED = [
    (
        "GP 2025/26 national: salary 82,418 + on-costs = 105,882 [S25][G31]",
        "2025-26", date(2025, 4, 1), "national", "82418",
        "82418.00", "0.00", "11612.70", "11851.71", "105882.41", 105882,
    ),
    (
        "GP 2025/26 London single rate 108,680 [G1][G2]: + London weighting 2,162",
        "2025-26", date(2025, 4, 1), "london_inner", "82418",
        "82418.00", "2162.00", "11937.00", "12162.60", "108679.60", 108680,
    ),
    (
        "GP 2025/26 London single rate, outer London the same",
        "2025-26", date(2025, 4, 1), "london_outer", "82418",
        "82418.00", "2162.00", "11937.00", "12162.60", "108679.60", 108680,
    ),
    (
        "GP 2024/25 national 92,462 (DES Table 3c) on the LMC's salary 73,114 [G33]",
        "2024-25", date(2024, 10, 1), "national", "73114",
        "73114.00", "0.00", "8833.93", "10513.79", "92461.72", 92462,
    ),
    (
        "GP 2024/25 London 95,233 on the LMC's salary 73,114 + 2,162",
        "2024-25", date(2024, 10, 1), "london_outer", "73114",
        "73114.00", "2162.00", "9132.29", "10824.69", "95232.98", 95233,
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    "case,year,start,region,salary,sal,london,ni,pension,total,published", PUBLISHED
)
def test_published_gp_examples(
    case, year, start, region, salary, sal, london, ni, pension, total, published
):
    c = role_cost(
        load_year(year), load_pay(year), "gp", salary=D(salary), start=start, region=region
    )
    a = c.annual
    assert (a["salary"].value, a["london"].value) == (D(sal), D(london)), case
    assert (a["employer_ni"].value, a["employer_pension"].value) == (D(ni), D(pension)), case
    assert a["total"].value == D(total), case
    assert _pound(a["total"].value) == published, case


def test_2025_26_national_equals_the_rule_file_maximum():
    c = role_cost(load_year("2025-26"), load_pay("2025-26"), "gp")  # default: the ARRS salary
    assert c.pay_basis == "arrs_salary"
    assert c.annual_total.value == D("105882.41")
    assert c.maximum_annual.value == D(105882)  # arrs_max_reimbursement.gp, 2025-26.yaml
    assert c.reimbursable.value == D("105882.00")
    assert c.top_up.value == D("0.41")


# The 2024/25 figure as NHS England prints it: salary 73,113 gives 92,460.44, not 92,462.
# Recorded, not fudged: the published 92,462 and 95,233 are both reproduced to the pound by
# salary 73,114 (the LMC letter's figure, = the 2023/24 minimum 68,975 x 1.06 = 73,113.50 rounded
# up), and by no honest rate or threshold on 73,113 (a GBP 9,096 monthly-threshold total is
# 92,461.00; the 2023/24 threshold is the same GBP 9,100).
GP_2024_25_AS_PRINTED = [
    ("national", 92462, "92460.44", "1.56"),
    ("london_outer", 95233, "95231.70", "1.30"),
]


@pytest.mark.parametrize("region,published,computed,short", GP_2024_25_AS_PRINTED)
def test_gp_2024_25_on_the_printed_salary_is_short_of_the_published_figure(
    region, published, computed, short
):
    rules, pay = load_year("2024-25"), load_pay("2024-25")
    c = role_cost(rules, pay, "gp", start=date(2024, 10, 1), region=region)  # ARRS salary 73,113
    assert c.annual["salary"].value == D(73113)
    assert c.annual_total.value == D(computed)
    assert D(published) - c.annual_total.value == D(short)
    assert rules.max_reimbursement("gp", date(2024, 10, 1), region).value == published


def test_each_line_names_its_pay_file_year_and_source():
    c = role_cost(
        load_year("2024-25"), load_pay("2024-25"), "pharmacy_technician", band="5", point=2
    )
    salary = c.annual["salary"]
    assert salary.value == D("32324.00")
    assert "pay/2024-25.yaml line" in salary.method
    assert salary.rules[0].year == "2024-25"
    assert salary.rules[0].key == "pay.afc.band_5.point_2"
    assert "[P2]" in salary.rules[0].source
    assert salary.data[0].source.startswith("pay/2024-25.yaml line ")
    keys = {s["key"] for s in c.sources()}
    assert {"pay.employer_ni.rate", "pay.employer_pension.rate"} <= keys
    assert "arrs_max_reimbursement.pharmacy_technician" in keys


HCAS_CASES = [
    # band/point 2024/25, region, expected London line: 15%/20% of pay within min and max
    ("3", 1, "london_outer", "4550.00"),  # 15% x 24,071 = 3,610.65 -> the minimum
    ("6", 2, "london_outer", "5735.00"),  # 15% x 39,405 = 5,910.75 -> the maximum
    ("5", 1, "london_inner", "5994.00"),  # 20% x 29,970 = 5,994 (between 5,414 and 8,171)
    ("8a", 2, "london_inner", "8171.00"),  # 20% x 60,504 -> the maximum
    ("7", 1, "national", "0.00"),
]


@pytest.mark.parametrize("band,point,region,london", HCAS_CASES)
def test_hcas_is_a_percentage_between_minimum_and_maximum(band, point, region, london):
    c = role_cost(
        load_year("2024-25"), load_pay("2024-25"), "advanced_practitioner" if band == "8a"
        else "care_coordinator" if band == "3" else "pharmacy_technician",
        band=band, point=point, region=region,
    )  # fmt: skip
    assert c.annual["london"].value == D(london)


def test_2022_23_levy_months_are_weighted_by_days():
    rules, pay = load_year("2022-23"), load_pay("2022-23")
    c = role_cost(rules, pay, "clinical_pharmacist", band="7", point=1)
    pay_year = D(41659)
    levy = D("0.1505") * (pay_year - 9100) / 12
    after = D("0.138") * (pay_year - 9100) / 12
    # Apr-Oct at 15.05%, 5 of November's 30 days at 15.05%, the rest at 13.8%
    expected = levy * 7 + levy * D(5) / 30 + after * D(25) / 30 + after * 4
    assert c.period["employer_ni"].value == expected.quantize(D("0.01"))
    assert any("NI rate changed" in n for n in c.notes)


def test_missing_maximum_is_a_gap_not_a_crash():
    # 2025-26.yaml holds no maximum for physician associates
    c = role_cost(
        load_year("2025-26"), load_pay("2025-26"), "physician_associate", band="7", point=1
    )
    assert c.total.value > 0
    assert c.maximum is None and c.reimbursable is None
    assert "no ARRS maximum for Physician associate" in c.gaps[0]


# --- properties ---------------------------------------------------------------------------

R, P = load_year("2025-26"), load_pay("2025-26")
salaries = st.decimals(min_value=0, max_value=200000, places=2)
wtes = st.decimals(min_value=D("0.01"), max_value=D("1.5"), places=2)
regions = st.sampled_from(["national", "london_outer", "london_inner"])
roles = st.sampled_from(["clinical_pharmacist", "pharmacy_technician", "gp", "consultant_nurse"])
SETTINGS = settings(max_examples=60, deadline=None)


def _band(role: str) -> str | None:
    return {"clinical_pharmacist": "7", "pharmacy_technician": "5", "consultant_nurse": "8c"}.get(
        role
    )


@SETTINGS
@given(roles, salaries, salaries, regions)
def test_cost_grows_with_salary(role, a, b, region):
    lo, hi = sorted((a, b))
    c_lo = role_cost(R, P, role, band=_band(role), salary=lo, region=region)
    c_hi = role_cost(R, P, role, band=_band(role), salary=hi, region=region)
    assert c_lo.annual_total.value <= c_hi.annual_total.value


@SETTINGS
@given(roles, salaries, wtes, regions)
def test_wte_scales_linearly(role, salary, wte, region):
    one = role_cost(R, P, role, band=_band(role), salary=salary, region=region)
    part = role_cost(R, P, role, band=_band(role), salary=salary, region=region, wte=wte)
    for line in ("salary", "london", "employer_ni", "employer_pension"):
        # each is rounded to the penny once: half a penny each way, the full-time one x WTE
        assert abs(part.period[line].value - one.period[line].value * wte) <= D("0.005") * (1 + wte)


@SETTINGS
@given(roles, salaries, wtes, regions, st.integers(min_value=1, max_value=12))
def test_reimbursable_never_exceeds_cost_or_maximum(role, salary, wte, region, months):
    c = role_cost(
        R, P, role, band=_band(role), salary=salary, region=region, wte=wte, months=months
    )
    assert c.reimbursable is not None
    assert c.reimbursable.value <= c.total.value
    assert c.reimbursable.value <= c.maximum.value
    assert c.reimbursable.value + c.top_up.value == c.total.value


# --- bad input ------------------------------------------------------------------------------


def test_unknown_role_in_that_year():
    with pytest.raises(
        RoleCostError,
        match=r"role 'gp' is not an ARRS role in 2023-24 \(2023-24.yaml line \d+, field 'roles'\)",
    ):
        role_cost(load_year("2023-24"), load_pay("2023-24"), "gp", salary=D(70000))


def test_role_before_it_is_available():
    with pytest.raises(RoleCostError, match=r"only from 2024-10-01 \(2024-25.yaml\)"):
        role_cost(load_year("2024-25"), load_pay("2024-25"), "gp", start=date(2024, 4, 1))


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (
            {"start": date(2026, 4, 1)},
            r"2026-04-01 is outside 2025-26 \(2025-04-01 to 2026-03-31\)",
        ),
        (
            {"start": date(2025, 10, 1), "months": 7},
            r"7 months from October 2025 run past 31 March 2026",
        ),
        ({"months": 0}, "months must be a whole number from 1 to 12"),
        ({"wte": D(0)}, "WTE must be more than 0"),
        ({"salary": D(-1)}, "salary must be 0 or more"),
        ({"point": 4}, r"band 5 has points 1, 2, 3 in pay/2025-26.yaml"),
        ({"band": "12", "point": 1}, "band '12' is not an Agenda for Change band"),
        ({"region": "manchester", "point": 1}, "region 'manchester' is not one of"),
        ({}, "give a pay point for band 5"),
    ],
)
def test_bad_arguments_say_what_to_change(kwargs, message):
    with pytest.raises(RoleCostError, match=message):
        role_cost(load_year("2025-26"), load_pay("2025-26"), "pharmacy_technician", **kwargs)


def _copy(tmp_path: Path, year: str = "2024-25") -> Path:
    (tmp_path / "pay").mkdir()
    shutil.copy(DATA_DIR / "sources.yaml", tmp_path / "sources.yaml")
    target = tmp_path / "pay" / f"{year}.yaml"
    shutil.copy(DATA_DIR / "pay" / f"{year}.yaml", target)
    return target


def _line_of(path: Path, text: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if text in ln)


PAY_FILE_ERRORS = [
    # (text to replace, replacement, line containing it, substrings of the message)
    ('rate: "14.38"', 'rate: "-14.38"', 'rate: "14.38"',
     ["pay/2024-25.yaml line", "employer_pension #0",
      "field 'rate' is -14.38: it must not be negative"]),
    ('annual: "48526"', 'annual: "-48526"', 'annual: "48526"',
     ["afc_pay_points #", "(band 7 point 2)", "field 'annual' is -48526"]),
    ('rate: "13.8", threshold: "9100"', 'rate: "13.8", threshold: "9100", applies_to: 2025-04-05',
     'threshold: "9100"', ["employer_ni #0", "field 'applies_to' 2025-04-05 is outside 2024-25"]),
    ('{band: "5", point: 1,', '{band: "5", point: 1, applies_from: 2024-03-31,',
     '{band: "5", point: 1,', ["(band 5 point 1)", "field 'applies_from' 2024-03-31 is outside"]),
    ('annual: "29970"', "annual: 29970.5", 'annual: "29970"',
     ["field 'annual' must be a quoted decimal string"]),
    ('minimum: "4550"', 'minimum: "9999"', 'minimum: "4550"',
     ["hcas #1 (london_outer)", "field 'minimum' 9999 is above 'maximum' 5735"]),
]  # fmt: skip


@pytest.mark.parametrize("old,new,marker,parts", PAY_FILE_ERRORS)
def test_bad_pay_file_names_file_line_and_field(tmp_path, old, new, marker, parts):
    path = _copy(tmp_path)
    line = _line_of(path, marker)
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(PayFileError) as err:
        load_pay_file(path)
    message = str(err.value)
    assert f"line {line}" in message, message
    for part in parts:
        assert part in message, message


def test_missing_pay_file_names_the_file(tmp_path):
    _copy(tmp_path)
    with pytest.raises(PayFileMissing, match=r"rules/data/pay/2027-28.yaml not found"):
        load_pay("2027-28", directory=tmp_path)


def test_every_pay_file_loads_and_covers_the_arrs_bands():
    for year in [
        "2019-20",
        "2020-21",
        "2021-22",
        "2022-23",
        "2023-24",
        "2024-25",
        "2025-26",
        "2026-27",
    ]:
        pay = load_pay(year)
        assert {"3", "4", "5", "6", "7", "8a", "8b", "8c"} <= set(pay.bands()), year
        day = pay.year.start
        assert pay.salaried_gp("minimum", day).value > 0
        assert pay.employer_pension(day).value == D("14.38")
    assert not any(v.verified for v in load_pay("2026-27").values if v.key.startswith("afc."))
    assert (
        "assumed unchanged from 2025/26"
        in load_pay("2026-27").pay_point("7", 1, date(2026, 4, 1)).note
    )


def test_a_year_without_a_rule_file_names_the_missing_file(tmp_path, monkeypatch):
    shutil.copytree(DATA_DIR, tmp_path / "data")
    (tmp_path / "data" / "2026-27.yaml").unlink()  # a pay file but no rule file for the year
    monkeypatch.setenv("OPENPCN_RULES_DIR", str(tmp_path / "data"))
    with pytest.raises(RoleCostError, match=r"no rule file for 2026-27 \(2026-27.yaml is missing"):
        load_for(FinancialYear(2026))


def test_2026_27_costs_on_assumed_pay_and_says_it_is_unverified():
    c = cost_for("pharmacy_technician", year="2026-27", point=1)
    assert c.annual["salary"].value == D(31049)  # 2025/26 point, assumed unchanged
    assert not c.annual["salary"].verified and not c.verified
    assert "assumed unchanged from 2025/26" in c.annual["salary"].data[0].description
    assert c.annual["salary"].rules[0].caveat.startswith("assumed unchanged from 2025/26")


def test_a_year_without_a_pay_file_names_the_missing_file():
    with pytest.raises(RoleCostError, match=r"rules/data/pay/2018-19.yaml not found"):
        load_for(FinancialYear(2018))


@pytest.mark.parametrize("year", ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24",
                                  "2024-25", "2025-26", "2026-27"])  # fmt: skip
def test_pay_points_rise_within_a_band_and_bands_do_not_overlap(year):
    pay = load_pay(year)
    day = pay.year.start
    previous_top = D(0)
    for band in pay.bands():
        values = [pay.pay_point(band, p, day).value for p in pay.points(band, day)]
        assert values == sorted(values), (year, band, values)
        if year != "2019-20":  # the 2018 deal's overlaps between bands were gone by 2020/21
            assert values[0] >= previous_top, (year, band)
        previous_top = values[-1]
