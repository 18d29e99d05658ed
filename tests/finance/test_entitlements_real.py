"""Against NHS England's real population files: every PCN's ARRS sum, checked independently."""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal

from openpcn.finance.entitlements import all_entitlements
from openpcn.finance.populations import find_population_files
from tests.finance.conftest import DATA, FILE_2425, need

RATE_2425 = Decimal("22.894")  # arrs_rate_per_weighted_patient, 2024-25.yaml
GP_RATE_2425 = Decimal("1.303")


def reference_weighted(path) -> dict[str, int]:
    """Slow and obvious: read the CSV with the csv module and add up weighted by PCN code."""
    totals: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            code = row["PCN Code"].strip().upper()
            if not row["Practice Code"].strip() or code in ("", "NO_DATA", "N/A"):
                continue
            totals[code] = totals.get(code, 0) + int(row["weighted population 2024/25"])
    return totals


def test_every_arrs_sum_2024_25_is_weighted_population_times_rate(pops_2425):
    expected = reference_weighted(need(FILE_2425))
    streams = all_entitlements("2024-25", pops_2425)
    arrs = {s.pcn_code: s for s in streams if s.stream == "arrs"}
    gp = {s.pcn_code: s for s in streams if s.stream == "arrs_gp"}
    assert set(arrs) == set(expected) and len(arrs) == 1273
    for code, weighted in expected.items():
        want = (RATE_2425 * weighted).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert arrs[code].annual_amount == want, code
        assert arrs[code].parts[0].population == weighted
        assert gp[code].annual_amount == (GP_RATE_2425 * weighted).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    total = sum(s.annual_amount for s in arrs.values())
    # England: about GBP 1.4bn (the national ARRS funding for 2024/25)
    assert Decimal("1.3e9") < total < Decimal("1.5e9")
    assert total == Decimal("1394199086.72")


def test_2025_26_file_has_no_weighted_population(pops_2526):
    streams = all_entitlements("2025-26", pops_2526)
    arrs = [s for s in streams if s.stream == "arrs"]
    assert arrs and all(not s.available for s in arrs)
    assert all("pcn_data_2025-26.csv" in s.reason and "weighted" in s.reason for s in arrs)
    ea = [s for s in streams if s.stream == "enhanced_access"]
    assert all(s.available and s.annual_amount > 0 for s in ea)


def test_population_files_found_by_content():
    found = find_population_files(need(DATA))
    assert {y: p.name for y, p in found.items()} == {
        "2024-25": "pcn_data_2024-25_weighted.csv",
        "2025-26": "pcn_data_2025-26.csv",
    }
