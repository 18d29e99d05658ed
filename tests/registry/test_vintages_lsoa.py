"""The LSOA registrations file (gp-reg-pat-prac-lsoa-all.csv): one test per published layout,
from the header alone, and how the LSOA year is told."""

from __future__ import annotations

from datetime import date

import pytest

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import detect, gp_reg_lsoa, parse

# id, header, rows, options, (as_of, variant, lsoa_year), (records, patients, without LSOA)
CASES = [
    (
        "2017-2023-lsoa11",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS",
        [
            "GP_PRAC_PAT_LIST,04JAN2021,A81001,THE DENSHAM SURGERY,E01011959,ALL,7",
            "GP_PRAC_PAT_LIST,04JAN2021,A81001,THE DENSHAM SURGERY,NO2011,ALL,2",
        ],
        {},
        (date(2021, 1, 4), "lsoa11", 2011),
        (2, 9, 2),
    ),
    (
        "2018-number-of-patients-spelt-out",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,Number of Patients",
        ["GP_PRAC_PAT_LIST,01APR2018,A81001,THE DENSHAM SURGERY,E01011959,ALL,7"],
        {},
        (date(2018, 4, 1), "lsoa11", 2011),
        (1, 7, 0),
    ),
    (
        "lsoa21-plain-column-new-codes",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS",
        [
            "GP_PRAC_PAT_LIST,2026-07-01,A81001,THE DENSHAM SURGERY,E01035011,ALL,20",
            "GP_PRAC_PAT_LIST,2026-07-01,A81001,THE DENSHAM SURGERY,E01011959,ALL,5",
        ],
        {},
        (date(2026, 7, 1), "lsoa21", 2021),
        (2, 25, 0),
    ),
    (
        "lsoa21-year-named-column",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_2021_CODE,SEX,NUMBER_OF_PATIENTS",
        ["GP_PRAC_PAT_LIST,2025-10-01,A81001,THE DENSHAM SURGERY,E01011959,ALL,5"],
        {},
        (date(2025, 10, 1), "lsoa21", 2021),
        (1, 5, 0),
    ),
    (
        "lsoa21-placeholder",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS",
        [
            "GP_PRAC_PAT_LIST,2025-10-01,A81001,THE DENSHAM SURGERY,E01011959,MALE,5",
            "GP_PRAC_PAT_LIST,2025-10-01,A81001,THE DENSHAM SURGERY,NO2021,MALE,1",
        ],
        {},
        (date(2025, 10, 1), "lsoa21", 2021),
        (2, 0, 0),  # a -male file: no ALL rows
    ),
    (
        # the July 2025 release (gp-reg-pat-prac-lsoa-2021-male-female-July-25.zip): LSOA_CODE
        # kept for 2021 LSOAs, EMPTY and CLOSED for patients with no LSOA
        "2025-lsoa21-release-empty-closed",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS",
        [
            "GP_PRAC_PAT_LIST,2025-07-01,A81001,THE DENSHAM SURGERY,E01035011,ALL,20",
            "GP_PRAC_PAT_LIST,2025-07-01,A81001,THE DENSHAM SURGERY,EMPTY,ALL,3",
            "GP_PRAC_PAT_LIST,2025-07-01,A81001,THE DENSHAM SURGERY,CLOSED,ALL,1",
        ],
        {},
        (date(2025, 7, 1), "lsoa21", 2021),
        (3, 24, 4),
    ),
    (
        "2014-2016-tall",
        "PRACTICE_CODE,LSOA_CODE,All Patients",
        ["A81001,E01011959,7", "A81001,W01000001,1"],
        {"extract_date": date(2016, 4, 1)},
        (date(2016, 4, 1), "lsoa11", 2011),
        (2, 8, 0),
    ),
]


def write(tmp_path, header, rows):
    path = tmp_path / "lsoa.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("header", "rows", "options", "expected", "counts"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_each_lsoa_layout(tmp_path, header, rows, options, expected, counts):
    path = write(tmp_path, header, rows)
    assert detect(path) == "gp_reg_lsoa"
    p = parse(path, **options)
    assert (p.as_of, p.variant, p.records[0].lsoa_year) == expected
    assert (p.counts["records"], p.counts["patients"], p.counts["patients_without_lsoa"]) == counts
    assert {r.lsoa_year for r in p.records} == {expected[2]}


def test_the_inference_is_said(tmp_path):
    p = parse(write(tmp_path, CASES[2][1], CASES[2][2]))
    assert any("E01035011 exist only in the 2021 LSOAs" in w for w in p.warnings)
    p = parse(write(tmp_path, CASES[0][1], CASES[0][2]))
    assert any("placeholder NO2011" in w for w in p.warnings)


@pytest.mark.parametrize(
    ("old", "new", "line", "field"),
    [
        ("E01011959,ALL,7", "E01011959,ALL,-7", 2, "NUMBER_OF_PATIENTS"),
        ("E01011959,ALL,7", ",ALL,7", 2, "LSOA_CODE"),
        ("E01011959,ALL,7", "E01011959,BOTH,7", 2, "SEX"),
        ("NO2011,ALL,2", "E01011959,ALL,2", 3, "LSOA_CODE"),  # the same practice, LSOA, sex
        ("04JAN2021,A81001,THE DENSHAM SURGERY,NO2011", "05JAN2021,A81001,X,NO2011", 3, None),
    ],
)
def test_bad_rows_name_line_and_field(tmp_path, old, new, line, field):
    header, rows = CASES[0][1], list(CASES[0][2])
    rows = (
        [rows[0].replace(old, new, 1), rows[1]]
        if line == 2
        else [rows[0], rows[1].replace(old, new)]
    )
    with pytest.raises(RegistryFileError) as info:
        gp_reg_lsoa.parse(write(tmp_path, header, rows))
    assert info.value.line == line
    assert info.value.field == (field or "EXTRACT_DATE")


def test_tall_file_needs_its_extract_date(tmp_path):
    with pytest.raises(RegistryFileError, match="pass extract_date="):
        gp_reg_lsoa.parse(write(tmp_path, CASES[-1][1], CASES[-1][2]))
