"""Integration: the real 2023/24 IIF file for every PCN, checked against a slow reference
built straight from the files: the practices that were members of each PCN on 31 March 2024
by the ODS ePCN workbook of January 2025, and their 1 January 2022 list sizes."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from openpcn.cli.services import iif_results
from openpcn.registry.parsers import parse
from openpcn.registry.records import EpcnMembership

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
ACHIEVEMENT = date(2024, 3, 31)


@pytest.fixture(scope="module")
def computed(registry_2024):
    return iif_results("2023-24", registry_2024)


@pytest.fixture(scope="module")
def members_2024(raw):
    """practice -> PCN on 31 March 2024, read from the ePCN workbook without the registry."""
    active = defaultdict(set)
    for m in parse(raw / "ods_epcn_2025-01" / "ePCN.xlsx").of(EpcnMembership):
        if m.active_on(ACHIEVEMENT):
            active[m.practice_code].add(m.pcn_code)
    return {p: sorted(pcns)[0] for p, pcns in active.items()}


@pytest.fixture(scope="module")
def sizes_2022(raw, members_2024):
    """PCN -> sum of its 2024 members' 1 January 2022 registered patients (the newest
    practice counts at or before the achievement date in the files imported)."""
    sizes = defaultdict(int)
    with (raw / "nhsd_gp_reg_2022-01" / "gp-reg-pat-prac-all.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            pcn = members_2024.get(row["CODE"])
            if row["SEX"] == "ALL" and pcn and pcn != "U":
                sizes[pcn] += int(row["NUMBER_OF_PATIENTS"])
    return dict(sizes)


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


def test_every_pcn_matches_reference(raw, computed, members_2024, sizes_2022):
    results = computed.results
    assert dict(computed.membership) == members_2024
    assert dict(computed.list_sizes.sizes) == sizes_2022
    ref = _reference(raw, members_2024, sizes_2022)
    acc08 = {r.pcn_code: r for r in results if r.indicator == "ACC-08"}
    assert set(acc08) == set(ref)
    assert len(acc08) == 1272
    for pcn, (num, den, pounds) in ref.items():
        got = acc08[pcn]
        assert (got.numerator, got.denominator) == (num, den), pcn
        assert got.amount == pounds.quantize(Decimal("0.01"), ROUND_HALF_UP), pcn
        assert 0 <= got.points <= 71


def test_roll_up_conserves_practice_counts(computed):
    results, file, unmapped = computed.results, computed.file, computed.unmapped_practices
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
    With the membership on 31 March 2024 every one of the 1,272 roll-up PCNs has PCN rows in
    the file (of its 1,273); the 1 January 2022 map gave 1,232 of 1,254 (98.2%).
    """
    results, file, membership = computed.results, computed.file, computed.membership
    assert (membership.on, membership.observed) == (ACHIEVEMENT, date(2025, 1, 20))
    assert membership.source == "ods_epcn_2025-01/ePCN.xlsx"
    pcn_level = {(r.org_code, r.ind_code) for r in file.rows if r.level == "pcn"}
    practice_level = {r.ind_code for r in file.rows if r.level == "practice"}
    assert not {ind for _, ind in pcn_level} & practice_level  # nothing to compare directly
    file_pcns = {code for code, _ in pcn_level}
    rolled = {r.pcn_code for r in results if r.indicator == "ACC-08"}
    assert rolled <= file_pcns, f"{len(rolled - file_pcns)} roll-up PCNs have no PCN rows"
    assert len(file_pcns - rolled) == 1
    # PCN-level rows pass straight through for the management indicators
    acc10 = [r for r in results if r.indicator == "ACC-10"]
    assert len(acc10) == len(file_pcns) and all(r.amount is None for r in acc10)


def test_national_total(computed):
    results = computed.results
    total = sum(r.amount for r in results if r.amount is not None)
    # £9,407,173.28 at £198 a point (the 1 January 2022 map gave £9,171,048.82)
    assert Decimal("9000000") < total < Decimal("9500000")


def test_as_awarded_gives_every_pcn_full_points(registry_2024):
    results = iif_results("2023-24", registry_2024, as_awarded=True).results
    acc08 = [r for r in results if r.indicator == "ACC-08"]
    assert all(r.points == 71 for r in acc08)
    total = sum(r.amount for r in acc08)
    # list-size adjustments average to 1, so the total is 71 x £198 x PCNs, give or take pennies
    assert abs(total - 71 * 198 * len(acc08)) < len(acc08) * Decimal("0.01")
    assert "awarded in full" in acc08[0].figure.inputs[1].method
