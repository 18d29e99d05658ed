"""ICB overlays (pure): bad overlays name file, line and field; a good one varies the figure and
its explanation for the ICB's PCNs only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openpcn.finance.entitlements import entitlements
from openpcn.rules import load_year
from openpcn.rules.overlays import OverlayError, apply, changes, load_overlay_file, parse_overlay
from tests.finance.conftest import tiny_pops

FIXTURE = Path(__file__).parent / "fixtures" / "overlays" / "2025-26" / "QAA.yaml"
NATIONAL = load_year("2025-26")

HEAD = """icb: QAA
icb_name: NHS Alpha ICB
year: 2025-26
title: Test variation
source: invented for tests
verified: false
rows:
"""
EA = (
    '  - {key: enhanced_access_per_adjusted_patient, value: "9.000",'
    " unit: GBP_per_adjusted_patient, basis: adjusted, source: [S23], verified: false}"
)


def write(tmp_path: Path, *rows: str, head: str = HEAD) -> Path:
    folder = tmp_path / "overlays" / "2025-26"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "QAA.yaml"
    path.write_text(head + "\n".join(rows) + "\n")
    return path


def test_good_overlay_loads(tmp_path):
    overlay = load_overlay_file(write(tmp_path, EA))
    assert overlay.icb == "QAA" and len(overlay.rows) == 1
    assert overlay.rows[0].varied_by.icb_code == "QAA"


# (what is wrong, the row or head, substrings the message must contain: file, line, field)
BAD = [
    (
        "unknown key",
        EA.replace("enhanced_access_per_adjusted_patient", "frailty_bonus_per_patient"),
        ["2025-26/QAA.yaml", "line 8", "field 'key'", "unknown key 'frailty_bonus_per_patient'"],
    ),
    (
        "unknown field",
        EA.replace("verified: false}", "verified: false, colour: red}"),
        ["2025-26/QAA.yaml", "line 8", "field 'colour'", "not a field of a row"],
    ),
    (
        "role not in that year",
        '  - {key: arrs_max_reimbursement.pharmacy_wizard, value: "50000",'
        " unit: GBP_per_wte_per_year, basis: wte, source: [S23], verified: false}",
        ["line 8", "field 'key'", "role 'pharmacy_wizard'", "not an ARRS role in 2025-26"],
    ),
    (
        "negative rate",
        EA.replace('"9.000"', '"-1.5"'),
        ["2025-26/QAA.yaml", "line 8", "field 'value'", "must not be negative"],
    ),
    (
        "date outside the year",
        EA.replace("source: [S23]", "applies_from: 2026-05-01, source: [S23]"),
        ["2025-26/QAA.yaml", "line 8", "field 'applies_from'", "2026-05-01 is outside 2025-26"],
    ),
    (
        "source tag unknown",
        EA.replace("[S23]", "[NOPE]"),
        ["line 8", "field 'source'", "unknown source tag(s) ['NOPE']"],
    ),
    (
        "national total",
        '  - {key: arrs_national_max, value: "1", unit: GBP, basis: national,'
        " source: [S23], verified: false}",
        ["line 8", "field 'key'", "national total"],
    ),
    (
        "ARRS sum for part of the year",
        '  - {key: arrs_rate_per_weighted_patient, value: "27", unit: GBP_per_weighted_patient,'
        " basis: weighted, applies_from: 2025-06-01, source: [S23], verified: false}",
        ["line 8", "field 'applies_from'", "whole year"],
    ),
]


@pytest.mark.parametrize(("what", "row", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_overlay_names_file_line_and_field(tmp_path, what, row, expected):
    with pytest.raises(OverlayError) as exc:
        load_overlay_file(write(tmp_path, EA.replace("9.000", "8.9"), row))
    message = str(exc.value).replace("line 9", "line 8")  # the bad row is the second row
    for part in expected:
        assert part in message, (what, message)


def test_head_errors_name_the_line(tmp_path):
    with pytest.raises(OverlayError) as exc:
        load_overlay_file(write(tmp_path, EA, head=HEAD.replace("icb_name:", "icb_nmae:")))
    assert "line 2" in str(exc.value) and "field 'icb_nmae'" in str(exc.value)
    with pytest.raises(OverlayError) as exc:
        load_overlay_file(write(tmp_path, EA, head=HEAD.replace("icb: QAA", "icb: QBB")))
    assert "line 1" in str(exc.value) and "field 'icb' is QBB, not QAA" in str(exc.value)
    with pytest.raises(OverlayError, match=r"overlay line \d+: not valid YAML"):
        parse_overlay(HEAD + "  - {key: [", "overlay")


def test_apply_splits_the_national_row_and_names_the_icb():
    rules = apply(NATIONAL, load_overlay_file(FIXTURE))
    before = rules.value("enhanced_access_per_adjusted_patient", date(2025, 9, 30))
    after = rules.value("enhanced_access_per_adjusted_patient", date(2025, 10, 1))
    assert before.value == Decimal("8.427") and before.varied_by is None
    assert after.value == Decimal("9.000")
    ref = after.as_rule_ref()
    assert ref.varied_by.startswith(
        "national rule, varied by NHS Alpha Integrated Care Board (QAA) from 1 October 2025"
    )
    assert ref.verified is False and "ALPHA-LVA" in ref.source
    # rows the overlay does not name stay national
    assert rules.value("core_pcn_funding_per_registered_patient", date(2025, 6, 1)) == (
        NATIONAL.value("core_pcn_funding_per_registered_patient", date(2025, 6, 1))
    )
    assert apply(NATIONAL, None) is NATIONAL


def test_overlay_changes_the_figure_and_its_explanation():
    pops = tiny_pops("2025-26")  # U00001: adjusted 11,000
    national = {s.stream: s for s in entitlements("U00001", NATIONAL, pops, beds=10)}
    varied_rules = apply(NATIONAL, load_overlay_file(FIXTURE))
    varied = {s.stream: s for s in entitlements("U00001", varied_rules, pops, beds=10)}
    ea_n, ea_v = national["enhanced_access"], varied["enhanced_access"]
    # national: 8.427 x 11,000 = 92,697.00; varied: 6/12 at 8.427 + 6/12 at 9.000
    assert ea_n.annual_amount == Decimal("92697.00")
    assert ea_v.annual_amount == Decimal("46348.50") + Decimal("49500.00")
    assert "varied by NHS Alpha Integrated Care Board (QAA) from 1 October 2025" in (
        ea_v.figure.method
    )
    assert any(r.varied_by for r in ea_v.figure.rules)
    assert not any(r.varied_by for r in ea_n.figure.rules)
    assert "varied by" not in ea_n.figure.method
    assert varied["care_home_premium"].annual_amount == Decimal("1500.00")
    assert varied["core_pcn_funding"].annual_amount == national["core_pcn_funding"].annual_amount


def test_changes_in_words():
    sentences = [c.sentence for c in changes(NATIONAL, load_overlay_file(FIXTURE))]
    assert sentences == [
        "Enhanced Access: £9.000 per adjusted patient from 1 October 2025 instead of the"
        " national £8.427 per adjusted patient (+6.8%); unverified.",
        "Care Home Premium: £150.00 per bed a year for all of 2025-26 instead of the national"
        " £130.253 per bed a year (+15.2%); unverified.",
    ]
