"""One test per published layout of the NHS England Digital CSV files, built from the header
alone (the variants table in docs/reference/registry.md): detected, parsed, the same records."""

# ruff: noqa: E501  (headers are kept whole, exactly as the publishers lay them out)

from __future__ import annotations

from datetime import date

import pytest

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import detect, parse

JAN22, JUL26 = date(2022, 1, 1), date(2026, 7, 1)

# id, header, data rows, kind, options, (as_of, variant), first record's (attribute: value)
CASES = [
    (
        "map-2019-before-pcns",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,ONS_CCG_CODE,CCG_CODE,CCG_NAME,ONS_STP_CODE,STP_CODE,STP_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME",
        [
            "GP_PRAC_PAT_LIST,01APR2019,A81001,THE DENSHAM SURGERY,TS18 1HU,E38000247,16C,NHS TEES CCG,E54000050,QHM,Cumbria and North East,E40000009,Y63,North East and Yorkshire"
        ],
        "gp_reg_map",
        {},
        (date(2019, 4, 1), "ccg_before_pcns"),
        {"practice_code": "A81001", "pcn_code": "", "sub_icb_code": "16C", "icb_code": "QHM"},
    ),
    (
        "map-2019-2022-ccg",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_CCG_CODE,CCG_CODE,CCG_NAME,ONS_STP_CODE,STP_CODE,STP_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME",
        [
            "GP_PRAC_PAT_LIST,01Jan2022,A81001,THE DENSHAM SURGERY,TS18 1HU,U89141,STOCKTON PCN,E38000247,16C,NHS TEES CCG,E54000050,QHM,Cumbria and North East,E40000009,Y63,North East and Yorkshire"
        ],
        "gp_reg_map",
        {},
        (JAN22, "ccg"),
        {"pcn_code": "U89141", "sub_icb_ons_code": "E38000247", "icb_ons_code": "E54000050"},
    ),
    (
        "map-2022-2025-icb",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ONS_ICB_CODE,ICB_CODE,ICB_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME",
        [
            "GP_PRAC_PAT_LIST,2023-10-01,A81001,THE DENSHAM SURGERY,TS18 1HU,U89141,STOCKTON PCN,E38000247,16C,NHS NENC ICB - 16C,E54000050,QHM,NHS NENC ICB,E40000012,Y63,North East and Yorkshire"
        ],
        "gp_reg_map",
        {},
        (date(2023, 10, 1), "icb"),
        {"sub_icb_code": "16C", "icb_code": "QHM", "region_ons_code": "E40000012", "supplier": ""},
    ),
    (
        "map-2026-supplier",
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ONS_ICB_CODE,ICB_CODE,ICB_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME,SUPPLIER_NAME",
        [
            "GP_PRAC_PAT_LIST,2026-07-01,A81001,THE DENSHAM SURGERY,TS18 1HU,U89141,STOCKTON PCN,E38000247,16C,NHS NENC ICB - 16C,E54000050,QHM,NHS NENC ICB,E40000012,Y63,North East and Yorkshire,TPP"
        ],
        "gp_reg_map",
        {},
        (JUL26, "icb"),
        {"supplier": "TPP"},
    ),
    (
        "all-2017-2022-ccg",
        "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS",
        ["GP_PRAC_PAT_LIST,01Jan2022,GP,00L,E38000130,A84002,NE65 7UW,ALL,ALL,5996"],
        "gp_reg_all",
        {},
        (JAN22, "ccg"),
        {"org_type": "GP", "org_code": "A84002", "parent_code": "00L", "count": 5996},
    ),
    (
        "all-2022-sub-icb",
        "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS",
        ["GP_PRAC_PAT_LIST,2025-04-01,GP,16C,E38000247,A81001,TS18 1HU,ALL,ALL,3904"],
        "gp_reg_all",
        {},
        (date(2025, 4, 1), "sub_icb"),
        {"parent_code": "16C", "postcode": "TS18 1HU"},
    ),
    (
        "quin-age-2017-2022-ccg-stp",
        "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS",
        [
            "GP_PRAC_PAT_LIST,01Jan2022,STP,QHM,E54000050,,ALL,ALL,30",
            "GP_PRAC_PAT_LIST,01Jan2022,CCG,16C,E38000247,,MALE,0_4,7",
        ],
        "gp_reg_quin_age",
        {},
        (JAN22, ""),
        {"org_type": "STP", "ons_code": "E54000050"},
    ),
    (
        "sing-age-regions-pcn-rows",
        "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,SEX,AGE,NUMBER_OF_PATIENTS",
        ["GP_PRAC_PAT_LIST,2026-08-01,PCN,U99971,,FEMALE,0,46"],
        "gp_reg_sing_age",
        {},
        (date(2026, 8, 1), ""),
        {"org_type": "PCN", "age_kind": "single", "age": "0"},
    ),
    (
        "sing-age-male-practices-ccg",
        "PUBLICATION,EXTRACT_DATE,CCG_CODE,ONS_CCG_CODE,ORG_CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS",
        [
            "GP_PRAC_PAT_LIST,01MAR2018,00L,E38000130,A84002,NE65 7UW,MALE,ALL,3001",
            "GP_PRAC_PAT_LIST,01MAR2018,00L,E38000130,A84002,NE65 7UW,MALE,17,40",
        ],
        "gp_reg_sing_age",
        {},
        (date(2018, 3, 1), "ccg"),
        {"org_type": "GP", "sex": "MALE", "age": "ALL", "parent_code": "00L"},
    ),
    (
        "sing-age-female-practices-sub-icb",
        "PUBLICATION,EXTRACT_DATE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,ORG_CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS",
        ["GP_PRAC_PAT_LIST,2023-07-01,16C,E38000247,A81001,TS18 1HU,FEMALE,95+,12"],
        "gp_reg_sing_age",
        {},
        (date(2023, 7, 1), "sub_icb"),
        {"sex": "FEMALE", "age": "95+", "count": 12},
    ),
    (
        "wide-quinary-to-95-plus",
        "GP_PRACTICE_CODE,POSTCODE,CCG_CODE,NHSE_AREA_TEAM_CODE,NHSE_REGION_CODE,TOTAL_ALL,TOTAL_MALE,TOTAL_FEMALES,"
        + ",".join(f"{s}_{a}-{a + 4}" for s in ("MALE", "FEMALE") for a in range(0, 95, 5))
        + ",MALE_95+,FEMALE_95+",
        ["A81001,TS18 1HU,00K,Q74,Y54,40,22,18," + ",".join(["1"] * 19 + ["0"] * 19) + ",3,18"],
        "gp_reg_quin_age",
        {"extract_date": date(2016, 10, 1)},
        (date(2016, 10, 1), "wide_quinary"),
        {"sex": "ALL", "age": "ALL", "count": 40, "parent_code": "00K"},
    ),
    (
        "wide-quinary-to-85-plus",
        "GP_PRACTICE_CODE,CCG_CODE,NHSE_AREA_TEAM_CODE,NHSE_REGION_CODE,TOTAL_ALL,TOTAL_MALE,TOTAL_FEMALES,"
        + ",".join(f"MALE_{a}-{a + 4}" for a in range(0, 85, 5))
        + ",MALE_85+,"
        + ",".join(f"FEMALE_{a}-{a + 4}" for a in range(0, 85, 5))
        + ",FEMALE_85+",
        ["A81001,00K,Q74,Y54,36,18,18," + ",".join(["1"] * 18 + ["1"] * 18)],
        "gp_reg_quin_age",
        {"extract_date": date(2014, 4, 1)},
        (date(2014, 4, 1), "wide_quinary"),
        {"count": 36},
    ),
    (
        "wide-single-year",
        "PRACTICE_CODE,POSTCODE,CCG_CODE,ONS_CCG_CODE,NHSE_REGION_CODE,ONS_REGION_CODE,NHSE_COMM_REGION_CODE,ONS_COMM_REGION_CODE,TOTAL_ALL,TOTAL_MALE,TOTAL_FEMALE,"
        + ",".join(f"{s}_{a}_{a + 1}" for s in ("MALE", "FEMALE") for a in range(95)).replace(
            "FEMALE_0_1", "MALE_95+,FEMALE_0_1"
        )
        + ",FEMALE_95+",
        [
            "A81001,TS18 1HU,00K,E38000247,Y54,E39000001,Y54,E40000001,192,96,96,"
            + ",".join(["1"] * 192)
        ],
        "gp_reg_sing_age",
        {"extract_date": date(2016, 1, 1)},
        (date(2016, 1, 1), "wide_single"),
        {"count": 192},
    ),
]


def write(tmp_path, header: str, rows: list[str]):
    path = tmp_path / "file.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("header", "rows", "kind", "options", "expected", "first"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_each_published_layout(tmp_path, header, rows, kind, options, expected, first):
    path = write(tmp_path, header, rows)
    assert detect(path) == kind
    p = parse(path, **options)
    assert (p.kind, (p.as_of, p.variant)) == (kind, expected)
    record = p.records[0]
    assert {k: getattr(record, k) for k in first} == first


def test_wide_files_give_the_same_rows_as_the_long_layout(tmp_path):
    wide = CASES[[c[0] for c in CASES].index("wide-quinary-to-95-plus")]
    p = parse(write(tmp_path, wide[1], wide[2]), extract_date=date(2016, 10, 1))
    rows = {(r.sex, r.age): r.count for r in p.records}
    assert (rows[("ALL", "ALL")], rows[("MALE", "ALL")], rows[("FEMALE", "ALL")]) == (40, 22, 18)
    assert (rows[("MALE", "0_4")], rows[("MALE", "95+")], rows[("FEMALE", "95+")]) == (1, 3, 18)
    assert len(rows) == 3 + 2 * 20 and {r.age_kind for r in p.records} == {"all", "quinary"}


def test_single_year_wide_ages(tmp_path):
    single = CASES[-1]
    header = single[1].replace("MALE_4_5", "MALE_4")  # a 2016 file writes MALE_4, MALE_5, MALE_6
    p = parse(write(tmp_path, header, single[2]), extract_date=date(2016, 1, 1))
    ages = [r.age for r in p.records if r.sex == "MALE" and r.age != "ALL"]
    assert ages == [str(a) for a in range(95)] + ["95+"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({}, "EXTRACT_DATE", "pass extract_date="),
        (
            {"extract_date": date(2016, 10, 1), "cell": ("40,22,18", "40,23,18")},
            "TOTAL_MALE",
            "add up",
        ),
        (
            {"extract_date": date(2016, 10, 1), "cell": ("40,22,18", "41,22,18")},
            "TOTAL_ALL",
            r"male \+ female",
        ),
    ],
)
def test_wide_file_errors_name_the_field(tmp_path, change, field, words):
    wide = CASES[[c[0] for c in CASES].index("wide-quinary-to-95-plus")]
    row = wide[2][0]
    if "cell" in change:
        row = row.replace(*change["cell"])
    path = write(tmp_path, wide[1], [row])
    with pytest.raises(RegistryFileError, match=words) as info:
        parse(path, **{k: v for k, v in change.items() if k != "cell"})
    assert info.value.field == field


def test_a_long_file_must_agree_with_a_given_extract_date(tmp_path):
    case = CASES[4]
    with pytest.raises(RegistryFileError, match="not the given 2022-02-01"):
        parse(write(tmp_path, case[1], case[2]), extract_date=date(2022, 2, 1))


def test_a_map_with_pcn_names_but_no_pcn_code_is_refused(tmp_path):
    header = CASES[1][1].replace("PCN_CODE,", "")
    row = CASES[1][2][0].replace("U89141,", "")
    with pytest.raises(RegistryFileError) as info:
        parse(write(tmp_path, header, [row]))
    assert (info.value.line, info.value.field) == (1, "PCN_CODE")
