"""Bad rule files fail with a message naming the file, line, rule and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from openpcn.rules.loader import DATA_DIR, RuleFileError, load_file, load_year

GOOD_ROW = (
    '  - {key: arrs_rate_per_weighted_patient, value: "22.894", unit: GBP_per_weighted_patient,'
    " basis: weighted, source: [S3], verified: true}"
)
ROLE = "  - {id: clinical_pharmacist, name: CP, afc_band: 7-8a, source: [S31], verified: true}"


def write(tmp_path: Path, *rows: str, year: str = "2024-25", roles: str = ROLE) -> Path:
    (tmp_path / "sources.yaml").write_text((DATA_DIR / "sources.yaml").read_text())
    path = tmp_path / f"{year}.yaml"
    body = f"year: {year}\nroles:\n{roles}\nrules:\n" + "\n".join(rows) + "\n"
    path.write_text(body)
    return path


def test_good_file_loads(tmp_path):
    rules = load_file(write(tmp_path, GOOD_ROW))
    assert len(rules.rules) == 1


# (row text, substrings the message must contain)
BAD_ROWS = [
    (
        GOOD_ROW.replace(" source: [S3],", ""),
        [
            "2024-25.yaml",
            "line 5",
            "rule 'arrs_rate_per_weighted_patient'",
            "field 'source'",
            "is required",
        ],
    ),
    (
        GOOD_ROW.replace("GBP_per_weighted_patient", "pounds"),
        ["rule 'arrs_rate_per_weighted_patient'", "field 'unit'", "unknown unit 'pounds'"],
    ),
    (
        GOOD_ROW.replace("GBP_per_weighted_patient", "GBP_per_bed"),
        ["field 'unit'", "takes ['GBP_per_weighted_patient']"],
    ),
    (
        GOOD_ROW.replace("basis: weighted", "basis: registered"),
        ["field 'basis'", "takes 'weighted'"],
    ),
    (
        GOOD_ROW.replace('"22.894"', "22.894"),
        ["field 'value'", "quoted decimal string"],
    ),
    (
        GOOD_ROW.replace("[S3]", "[S999]"),
        ["field 'source'", "unknown source tag(s) ['S999']"],
    ),
    (
        GOOD_ROW.replace("arrs_rate_per_weighted_patient", "arrs_rate_per_weighted_patinet"),
        ["field 'key'", "unknown key 'arrs_rate_per_weighted_patinet'"],
    ),
    (
        GOOD_ROW.replace("verified: true", "verified: true, derivation: 'x / 2'"),
        ["field 'verified' must be false"],
    ),
    (
        GOOD_ROW.replace(", verified: true", ""),
        ["field 'verified'", "is required"],
    ),
    (
        GOOD_ROW.replace("verified: true}", "verified: true, applies_from: 2025-04-01}"),
        [
            "line 5",
            "rule #0 'arrs_rate_per_weighted_patient'",
            "field 'applies_from' 2025-04-01",
            "outside 2024-25",
        ],
    ),
    (
        GOOD_ROW.replace("verified: true}", "verified: true, applies_to: 2024-03-31}"),
        ["field 'applies_to'", "outside 2024-25"],
    ),
    (
        '  - {key: arrs_max_reimbursement.gp, value: "1", unit: GBP_per_wte_per_year,'
        " basis: wte, source: [S4], verified: true}",
        ["rule #0 'arrs_max_reimbursement.gp'", "field 'key'", "role 'gp' not listed in roles"],
    ),
    (
        '  - {key: arrs_max_none_published.clinical_pharmacist, value: "5", unit: none,'
        " basis: fixed, source: [UPD], verified: false}",
        ["field 'value'", "a row of unit 'none' (no figure) holds 0"],
    ),
    (
        '  - {key: arrs_max_none_published.clinical_pharmacist, value: "0",'
        " unit: GBP_per_wte_per_year, basis: fixed, source: [UPD], verified: false}",
        ["field 'unit'", "takes ['none']"],
    ),
    (
        GOOD_ROW.replace('"22.894"', '"-1.5"'),
        ["line 5", "field 'value'", "-1.5 is negative"],
    ),
    (
        GOOD_ROW.replace("verified: true", "verified: true, confidence: S"),
        ["line 5", "field 'verified'", "confidence 'S'"],
    ),
    (
        GOOD_ROW.replace("verified: true", "verified: false, confidence: X"),
        ["field 'confidence'", "'X' is not one of"],
    ),
    (
        GOOD_ROW.replace("verified: true", 'verified: true, carried_from: "2023-24"'),
        ["field 'verified'", "carried from another year"],
    ),
    (
        GOOD_ROW.replace("verified: true", 'verified: false, carried_from: "soon"'),
        ["field 'carried_from'", "'soon' is not a financial year"],
    ),
]


@pytest.mark.parametrize(("row", "expected"), BAD_ROWS)
def test_bad_row(tmp_path, row, expected):
    with pytest.raises(RuleFileError) as info:
        load_file(write(tmp_path, row))
    for part in expected:
        assert part in str(info.value)


def test_overlapping_dates(tmp_path):
    first = GOOD_ROW.replace("verified: true}", "verified: true, applies_to: 2024-10-01}")
    second = GOOD_ROW.replace("verified: true}", "verified: true, applies_from: 2024-10-01}")
    with pytest.raises(RuleFileError) as info:
        load_file(write(tmp_path, first, second))
    text = str(info.value)
    assert "2024-25.yaml line 6, rule #1 'arrs_rate_per_weighted_patient'" in text
    assert "field 'applies_from' 2024-10-01 overlaps rule #0" in text


def test_adjacent_dates_are_fine(tmp_path):
    first = GOOD_ROW.replace("verified: true}", "verified: true, applies_to: 2024-09-30}")
    second = GOOD_ROW.replace("verified: true}", "verified: true, applies_from: 2024-10-01}")
    assert len(load_file(write(tmp_path, first, second)).rules) == 2


def test_year_must_match_file_name(tmp_path):
    path = write(tmp_path, GOOD_ROW)
    path.rename(tmp_path / "2023-24.yaml")
    with pytest.raises(RuleFileError, match="2023-24.yaml: field 'year' is 2024-25"):
        load_file(tmp_path / "2023-24.yaml")


def test_role_errors_name_the_role(tmp_path):
    role = (
        "  - {id: gp, name: GP, afc_band: n/a, available_from: 2025-04-01, source: [S4],"
        " verified: true}"
    )
    with pytest.raises(RuleFileError) as info:
        load_file(write(tmp_path, GOOD_ROW, roles=role))
    assert "role #0 'gp': field 'available_from' 2025-04-01 is outside 2024-25" in str(info.value)


def test_not_yaml(tmp_path):
    path = write(tmp_path, GOOD_ROW)
    path.write_text("year: [\n")
    with pytest.raises(RuleFileError, match="2024-25.yaml: not valid YAML"):
        load_file(path)


def test_directory_override_via_env(tmp_path, monkeypatch):
    write(tmp_path, GOOD_ROW)
    monkeypatch.setenv("OPENPCN_RULES_DIR", str(tmp_path))
    assert len(load_year("2024-25").rules) == 1
