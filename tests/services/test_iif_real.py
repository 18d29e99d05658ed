"""Integration: the real 2023/24 IIF file for every PCN, checked against a slow reference."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from openpcn.cli.services import iif_results

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def computed(raw):
    return iif_results("2023-24", raw)


def _reference(raw, members, sizes):
    """Straight from the CSV with the csv module and Fractions: PCN -> (num, den, £)."""
    path = raw / "nhsd_iif_2023-24" / "IIF_indicators_annual_pub_2023_24.csv"
    sums = defaultdict(lambda: [0, 0])
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["ORGANISATION_TYPE"] != "GP practice" or row["IND_CODE"] != "NCD026":
                continue
            pcn = members.get(row["ORGANISATION_CODE"], "U")
            if pcn == "U":
                continue
            i = 0 if row["MEASURE"] == "ACC-08 Numerator" else 1
            sums[pcn][i] += int(row["VALUE"])
    average = Fraction(sum(sizes.values()), len(sizes))
    out = {}
    for pcn, (num, den) in sums.items():
        pct = Fraction(100 * num, den)
        fraction = min(Fraction(1), max(Fraction(0), (pct - 85) / 5))
        pounds = fraction * 71 * 198 * Fraction(sizes[pcn]) / average
        out[pcn] = (num, den, Decimal(pounds.numerator) / Decimal(pounds.denominator))
    return out


def test_every_pcn_matches_reference(raw, computed):
    results, file, membership, unmapped = computed
    ref = _reference(raw, membership.members, membership.list_sizes)
    acc08 = {r.pcn_code: r for r in results if r.indicator == "ACC-08"}
    assert set(acc08) == set(ref)
    assert len(acc08) > 1200
    for pcn, (num, den, pounds) in ref.items():
        got = acc08[pcn]
        assert (got.numerator, got.denominator) == (num, den), pcn
        assert got.amount == pounds.quantize(Decimal("0.01"), ROUND_HALF_UP), pcn
        assert 0 <= got.points <= 71


def test_roll_up_conserves_practice_counts(computed):
    results, file, membership, unmapped = computed
    practices = {r.org_code for r in file.rows if r.level == "practice"}
    rolled = {p for r in results if r.indicator == "ACC-08" for p in r.practices}
    assert rolled | set(unmapped) == practices
    assert not rolled & set(unmapped)
    assert len(unmapped) < 0.01 * len(practices)
    file_total = sum(
        r.value for r in file.rows if r.measure == "ACC-08 Numerator" and r.org_code in rolled
    )
    assert sum(r.numerator for r in results if r.indicator == "ACC-08") == file_total


def test_agreement_with_file_pcn_rows(computed):
    """The file publishes ACC-08 and EHCH-04 per practice only and ACC-10/10b per PCN only,
    so no measure exists at both levels to compare; what can be compared is which PCNs exist.
    With the 1 Jan 2022 membership, 1,232 of the 1,254 roll-up PCNs have PCN rows in the file.
    """
    results, file, membership, unmapped = computed
    assert membership.as_of.isoformat() == "2022-01-01"
    pcn_level = {(r.org_code, r.ind_code) for r in file.rows if r.level == "pcn"}
    practice_level = {r.ind_code for r in file.rows if r.level == "practice"}
    assert not {ind for _, ind in pcn_level} & practice_level  # nothing to compare directly
    file_pcns = {code for code, _ in pcn_level}
    rolled = {r.pcn_code for r in results if r.indicator == "ACC-08"}
    share = len(rolled & file_pcns) / len(rolled)
    assert share > 0.97, f"only {share:.1%} of roll-up PCNs are in the file's PCN rows"
    # PCN-level rows pass straight through for the management indicators
    acc10 = [r for r in results if r.indicator == "ACC-10"]
    assert len(acc10) == len(file_pcns) and all(r.amount is None for r in acc10)


def test_national_total(computed):
    results = computed[0]
    total = sum(r.amount for r in results if r.amount is not None)
    assert Decimal("9000000") < total < Decimal("9500000")  # 9,171,048.82 at £198 a point


def test_as_awarded_gives_every_pcn_full_points(raw):
    results, _, membership, _ = iif_results("2023-24", raw, as_awarded=True)
    acc08 = [r for r in results if r.indicator == "ACC-08"]
    assert all(r.points == 71 for r in acc08)
    total = sum(r.amount for r in acc08)
    # list-size adjustments average to 1, so the total is 71 x £198 x PCNs, give or take pennies
    assert abs(total - 71 * 198 * len(acc08)) < len(acc08) * Decimal("0.01")
    assert "awarded in full" in acc08[0].figure.inputs[1].method
