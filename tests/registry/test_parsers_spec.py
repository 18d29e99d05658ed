"""Spec tests for each parser on small hand-written files (table-shaped)."""

# ruff: noqa: E501  (fixture rows are kept whole, exactly as the publishers lay them out)

from __future__ import annotations

from datetime import date

import pytest

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import (
    detect,
    gp_reg_all,
    gp_reg_map,
    gp_reg_quin_age,
    gp_reg_sing_age,
    nhse_des_population,
    ods_epcn,
    ods_epraccur,
    parse,
)
from openpcn.registry.parsers._common import parse_date
from openpcn.registry.records import EpcnMembership, EpcnPcn


def write(tmp_path, text: str, name: str = "f.csv", bom: bool = False, crlf: bool = False):
    path = tmp_path / name
    body = text.strip("\n") + "\n"
    if crlf:
        body = body.replace("\n", "\r\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode())
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20220101", date(2022, 1, 1)),
        ("2025-04-01", date(2025, 4, 1)),
        ("01JAN2022", date(2022, 1, 1)),
        ("01Jan2022", date(2022, 1, 1)),
        ("01-Jan-22", date(2022, 1, 1)),
        ("01/02/2025", date(2025, 2, 1)),  # day first
        ("44562", date(2022, 1, 1)),  # Excel serial
        (20191001, date(2019, 10, 1)),  # yyyymmdd as a number cell
        ("", None),
        (None, None),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2025", "soon", "2025-13-01", "01XYZ2022"])
def test_bad_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


MAP_CCG = """
PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_CODE,PCN_NAME,ONS_CCG_CODE,CCG_CODE,CCG_NAME,ONS_STP_CODE,STP_CODE,STP_NAME,ONS_COMM_REGION_CODE,COMM_REGION_CODE,COMM_REGION_NAME
GP_PRAC_PAT_LIST,01Jan2022,A81001,THE DENSHAM SURGERY,TS18 1HU,U89141,STOCKTON PCN,E38000247,16C,NHS Tees Valley CCG,E54000050,QHM,Cumbria and North East,E40000009,Y63,North East and Yorkshire
GP_PRAC_PAT_LIST,01Jan2022,Y07059,"NENE VALLEY, HODGSON",PE2 5GP,U,Unallocated,E38000026,06H,NHS C&P CCG,E54000021,QUE,C&P,E40000007,Y61,East of England
"""
# ICB era, columns re-ordered, an extra column, BOM and CRLF
MAP_ICB = """
EXTRACT_DATE,PCN_CODE,PRACTICE_CODE,PUBLICATION,PRACTICE_NAME,PRACTICE_POSTCODE,PCN_NAME,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ICB_CODE,ICB_NAME,COMM_REGION_CODE,COMM_REGION_NAME,SUPPLIER_NAME,NEW_COLUMN
2026-07-01,U89141,A81001,GP_PRAC_PAT_LIST,THE DENSHAM SURGERY,TS18 1HU,STOCKTON PCN,16C,NHS NENC ICB - 16C,QHM,NHS NENC ICB,Y63,North East and Yorkshire,TPP,x
"""


def test_map_ccg_era(tmp_path):
    p = gp_reg_map.parse(write(tmp_path, MAP_CCG))
    assert (p.kind, p.as_of, p.variant) == ("gp_reg_map", date(2022, 1, 1), "ccg")
    first, second = p.records
    assert (first.practice_code, first.pcn_code, first.sub_icb_code, first.icb_code) == (
        "A81001",
        "U89141",
        "16C",
        "QHM",
    )
    assert (first.region_code, first.region_ons_code, first.supplier) == ("Y63", "E40000009", "")
    assert second.practice_name == "NENE VALLEY, HODGSON" and not second.in_pcn
    assert p.counts == {
        "rows_read": 2,
        "records": 2,
        "practices": 2,
        "pcns": 1,
        "unaligned_practices": 1,
    }


def test_map_icb_era_reordered_with_bom_crlf(tmp_path):
    p = parse(write(tmp_path, MAP_ICB, bom=True, crlf=True))
    (r,) = p.records
    assert (p.kind, p.variant, p.as_of) == ("gp_reg_map", "icb", date(2026, 7, 1))
    assert (r.practice_code, r.pcn_code, r.icb_code, r.supplier) == (
        "A81001",
        "U89141",
        "QHM",
        "TPP",
    )


def test_map_mixed_extract_dates_rejected(tmp_path):
    text = MAP_CCG.replace("GP_PRAC_PAT_LIST,01Jan2022,Y07059", "GP_PRAC_PAT_LIST,01Feb2022,Y07059")
    with pytest.raises(RegistryFileError) as info:
        gp_reg_map.parse(write(tmp_path, text))
    assert (info.value.line, info.value.field) == (3, "EXTRACT_DATE")


ALL_2022 = """
PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS
GP_PRAC_PAT_LIST,01Jan2022,GP,00L,E38000130,A84002,NE65 7UW,ALL,ALL,5996
GP_PRAC_PAT_LIST,01Jan2022,GP,00L,E38000130,A84005,NE22 6JX,ALL,ALL,"12,133"
"""
ALL_2025 = """
PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS
GP_PRAC_PAT_LIST,2025-04-01,GP,16C,E38000247,A81001,TS18 1HU,ALL,ALL,3904
"""


@pytest.mark.parametrize(
    ("text", "as_of", "variant", "total", "parent"),
    [
        (ALL_2022, date(2022, 1, 1), "ccg", 5996 + 12133, "00L"),
        (ALL_2025, date(2025, 4, 1), "sub_icb", 3904, "16C"),
    ],
)
def test_practice_totals_both_vintages(tmp_path, text, as_of, variant, total, parent):
    p = gp_reg_all.parse(write(tmp_path, text))
    assert (p.kind, p.as_of, p.variant) == ("gp_reg_all", as_of, variant)
    assert p.counts["practice_patients"] == total
    r = p.records[0]
    assert (r.org_type, r.sex, r.age_kind, r.age, r.parent_code) == (
        "GP",
        "ALL",
        "all",
        "ALL",
        parent,
    )


def test_practice_totals_reject_age_bands(tmp_path):
    text = ALL_2025.replace(",ALL,ALL,3904", ",FEMALE,0_4,3904")
    with pytest.raises(RegistryFileError) as info:
        gp_reg_all.parse(write(tmp_path, text))
    assert (info.value.line, info.value.field) == (2, "AGE")


QUIN = """
PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS
GP_PRAC_PAT_LIST,2026-07-01,Comm Region,Y56,E40000003,,ALL,ALL,30
GP_PRAC_PAT_LIST,2026-07-01,SUB_ICB_LOCATION_CODE,72Q,E38000244,,ALL,ALL,30
GP_PRAC_PAT_LIST,2026-07-01,PCN,U53896,,,ALL,ALL,30
GP_PRAC_PAT_LIST,2026-07-01,GP,Y08411,,SE23 1RJ,ALL,ALL,30
GP_PRAC_PAT_LIST,2026-07-01,GP,Y08411,,SE23 1RJ,FEMALE,0_4,10
GP_PRAC_PAT_LIST,2026-07-01,GP,Y08411,,SE23 1RJ,FEMALE,95+,2
GP_PRAC_PAT_LIST,2026-07-01,GP,Y08411,,SE23 1RJ,FEMALE,ALL,12
GP_PRAC_PAT_LIST,2026-07-01,GP,Y08411,,SE23 1RJ,MALE,5-9,18
GP_PRAC_PAT_LIST,2026-07-01,GP,Y08411,,SE23 1RJ,MALE,ALL,18
"""


def test_quin_age(tmp_path):
    p = parse(write(tmp_path, QUIN))
    assert p.kind == "gp_reg_quin_age" and p.as_of == date(2026, 7, 1)
    types = [r.org_type for r in p.records]
    assert types[:4] == ["REGION", "SUB_ICB", "PCN", "GP"]
    ages = [(r.sex, r.age_kind, r.age) for r in p.records if r.org_type == "GP"]
    assert ages == [
        ("ALL", "all", "ALL"),
        ("FEMALE", "quinary", "0_4"),
        ("FEMALE", "quinary", "95+"),
        ("FEMALE", "all", "ALL"),
        ("MALE", "quinary", "5_9"),
        ("MALE", "all", "ALL"),
    ]
    assert p.counts["practices"] == 1 and p.counts["pcns"] == 1


@pytest.mark.parametrize(
    ("cell", "ok"), [("0_4", True), ("95_PLUS", True), ("3", False), ("0_5", False)]
)
def test_quin_age_bands(tmp_path, cell, ok):
    text = QUIN.replace("MALE,5-9,18", f"MALE,{cell},18")
    if ok:
        gp_reg_quin_age.parse(write(tmp_path, text))
    else:
        with pytest.raises(RegistryFileError, match="5-year band"):
            gp_reg_quin_age.parse(write(tmp_path, text))


SING = """
PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,SEX,AGE,NUMBER_OF_PATIENTS
GP_PRAC_PAT_LIST,2026-08-01,Comm Region,Y56,E40000003,ALL,ALL,10923536
GP_PRAC_PAT_LIST,2026-08-01,PCN,U99971,,FEMALE,0,46
GP_PRAC_PAT_LIST,2026-08-01,PCN,U99971,,MALE,95+,18
"""


def test_single_age(tmp_path):
    path = write(tmp_path, SING)
    assert detect(path) == "gp_reg_sing_age"
    p = gp_reg_sing_age.parse(path)
    assert [(r.org_type, r.sex, r.age_kind, r.age, r.count) for r in p.records] == [
        ("REGION", "ALL", "all", "ALL", 10923536),
        ("PCN", "FEMALE", "single", "0", 46),
        ("PCN", "MALE", "single", "95+", 18),
    ]


EPRACCUR = """
"A81001","THE DENSHAM SURGERY","Y63","QHM","THE HEALTH CENTRE","LAWSON STREET","STOCKTON-ON-TEES","CLEVELAND","","TS18 1HU","19740401","","A","B","16C","20200401","","01642 672351","","","","0","","16C","","4",""
"A81003","VICTORIA MEDICAL PRACTICE","Y54","Q74","THE HEALTH CENTRE","VICTORIA ROAD","HARTLEPOOL","CLEVELAND","","TS26 8DB","19740401","20171031","C","B","00K","20130401","20171031","01429 272945","","","","0","","00K","","4",""
"Y07725","ENHANCED ACCESS SUTTS PCN","Y61","QM7","THE STANSTED SURGERY","","STANSTED","ESSEX","","CM24 8XG","20221001","","D","B","07H","20221001","","01279 813200","","","","1","","07H","","0",""
"""
EPRACCUR_NEW = """
"A81001","THE DENSHAM SURGERY","Y63","QHM","HEALTH CENTRE","LAWSON STREET","","STOCKTON-ON-TEES","","TS18 1HU","19740401","","ACTIVE","B","16C","20200401","","01642 672351","","","","1","","16C","","RO76",""
"A81003","VICTORIA MEDICAL PRACTICE","Y63","QHM","HEALTH CENTRE","VICTORIA ROAD","","HARTLEPOOL","","TS26 8DB","19740401","20171031","INACTIVE","B","00K","20130401","20171031","01429 27294","","","","1","","00K","","RO76",""
"Y09138","CICONIA RECOVERY","Y56","Z9B2Z","10 HARLEY STREET","","","LONDON","","W1G 9PF","20260701","","PROPOSED","B","10Q","20260701","","02082 046722","","","","1","","10Q","","RO72",""
"""


@pytest.mark.parametrize(
    ("text", "variant", "statuses", "gp", "as_of"),
    [
        (EPRACCUR, "old", ["active", "closed", "dormant"], [True, True, False], date(2022, 10, 1)),
        (
            EPRACCUR_NEW,
            "new",
            ["active", "closed", "proposed"],
            [True, True, False],
            date(2026, 7, 1),
        ),
    ],
)
def test_epraccur_formats(tmp_path, text, variant, statuses, gp, as_of):
    path = write(tmp_path, text)
    assert detect(path) == "ods_epraccur"
    p = ods_epraccur.parse(path)
    assert (p.variant, p.as_of) == (variant, as_of)
    assert [r.status for r in p.records] == statuses
    assert [r.is_gp_practice for r in p.records] == gp
    closed = p.records[1]
    assert (closed.close_date, closed.left_parent_date, closed.commissioner) == (
        date(2017, 10, 31),
        date(2017, 10, 31),
        "00K",
    )


def test_epraccur_duplicate_code(tmp_path):
    lines = EPRACCUR.strip().splitlines()
    with pytest.raises(RegistryFileError) as info:
        ods_epraccur.parse(write(tmp_path, "\n".join([*lines, lines[0]])))
    assert (info.value.line, info.value.field) == (4, "ORGANISATION_CODE")


DES_2025 = """
Practice Code,Practice Name,PCN Code,PCN Name,ICB Code,ICB Name,Region code,Region,Raw list size,Adjusted Population,PCN member January 25
E81615,ASHBURNHAM ROAD SURGERY,U74819,CARITAS MEDICAL PCN,QHG,"NHS BLMK ICB",Y61,East of England,4239,4008,Yes
Y01163,West Coker Surgery (Y01163),no_data,no_data,no_data,no_data,Y58,South West,4044,4024,No
,,,,,,,,8283,8032,
"""
DES_2024 = """
Practice Code,Practice Name,PCN Code,PCN Name,Region,Raw list size 2024/25,Adjusted Population 2024/25,weighted population 2024/25,Historical Adjustment Factor (%):,Historical Weighting Factor (%):,Raw list size as of 01/01/25
E81615,ASHBURNHAM ROAD SURGERY,U74819,CARITAS MEDICAL PCN,East of England,4096,3695,3249,0.11,0.26,4238
E81001,ODD SURGERY,U74819,CARITAS MEDICAL PCN,East of England,2,2,3229,0.11,0.26,3
Y00054,Homeless Healthcare Team,N/A,N/A,South West,137,219,99,-0.38,0.38,117
"""


def test_des_2025_layout(tmp_path):
    path = write(tmp_path, DES_2025)
    assert detect(path) == "nhse_des_population"
    p = parse(path)
    assert (p.as_of, p.variant, p.counts["dropped_total_rows"]) == (date(2025, 1, 1), "adjusted", 1)
    assert any("total row" in w for w in p.warnings)
    member, outside = p.records
    assert (member.financial_year, member.pcn_code, member.icb_code, member.pcn_member) == (
        "2025-26",
        "U74819",
        "QHG",
        True,
    )
    assert (outside.pcn_code, outside.icb_code, outside.pcn_member) == (None, "", False)
    assert not any(r.implausible for r in p.records)


def test_des_2024_weighted_layout_flags_implausible(tmp_path):
    p = nhse_des_population.parse(write(tmp_path, DES_2024))
    assert (p.as_of, p.variant) == (date(2024, 1, 1), "weighted")
    normal, odd, homeless = p.records
    assert (normal.financial_year, normal.raw_list_size, normal.weighted_population) == (
        "2024-25",
        4096,
        3249,
    )
    assert (normal.latest_list_size, normal.latest_list_size_date) == (4238, date(2025, 1, 1))
    assert odd.implausible and "weighted 3229" in odd.implausible_reason
    assert not homeless.implausible and homeless.pcn_code is None
    assert p.counts["implausible"] == 1
    assert any("E81001 implausible" in w for w in p.warnings)


def test_des_year_unknown_needs_override(tmp_path):
    text = (
        DES_2025.replace(",PCN member January 25", ",Member")
        .replace(",Yes", ",")
        .replace(",No", ",")
    )
    path = write(tmp_path, text)
    with pytest.raises(RegistryFileError, match="financial year"):
        nhse_des_population.parse(path)
    assert nhse_des_population.parse(path, financial_year="2025/26").records[0].financial_year == (
        "2025-26"
    )


def test_des_duplicate_practice(tmp_path):
    text = DES_2025.replace("Y01163,West", "E81615,West")
    with pytest.raises(RegistryFileError) as info:
        parse(write(tmp_path, text))
    assert (info.value.line, info.value.field) == (3, "PRACTICE_CODE")


def _epcn_sheets(start_a2, end_a2, pcn_header="Current Clinical \nCommissioning \nGroup Code"):
    return {
        "PCNDetails": [
            [
                "PCN Code",
                "PCN Name",
                pcn_header,
                "Clinical\nCommissioning\nGroup Name",
                "Open Date",
                "Close Date",
                "Postcode",
            ],
            ["U00001", "ALPHA PCN", "02P", "NHS BARNSLEY CCG", "20191001", "", "S70 3NE"],
            ["U00002", "BETA PCN", "02P", "NHS BARNSLEY CCG", 20200401, "20220331", "S70 3NF"],
        ],
        "PCN Core Partner Details": [
            [
                "Partner\nOrganisation\nCode",
                "Partner\nName",
                "PCN Code",
                "PCN Name",
                "Practice to PCN\nRelationship\nStart Date",
                "Practice to PCN\nRelationship\nEnd Date",
            ],
            ["A00001", "ONE", "U00001", "ALPHA PCN", "20191001", None],
            ["A00002", "TWO", "U00002", "BETA PCN", "20191001", "20211231"],
            ["A00002", "TWO", "U00001", "ALPHA PCN", start_a2, end_a2],
            ["A00002", "TWO", "U00001", "ALPHA PCN", start_a2, end_a2],  # exact repeat
        ],
    }


def test_epcn(tmp_path, make_xlsx):
    path = make_xlsx(
        tmp_path / "anything.xlsx", _epcn_sheets(date(2022, 1, 1), None), modified=date(2022, 1, 28)
    )
    assert detect(path) == "ods_epcn"
    p = ods_epcn.parse(path)
    pcns, members = p.of(EpcnPcn), p.of(EpcnMembership)
    assert [
        (x.pcn_code, x.parent_code, x.parent_kind, x.open_date, x.close_date) for x in pcns
    ] == [
        ("U00001", "02P", "ccg", date(2019, 10, 1), None),
        ("U00002", "02P", "ccg", date(2020, 4, 1), date(2022, 3, 31)),
    ]
    assert len(members) == 3 and any("repeat" in w for w in p.warnings)
    on = {m.practice_code: m.pcn_code for m in members if m.active_on(date(2021, 12, 31))}
    assert on == {"A00001": "U00001", "A00002": "U00002"}
    on = {m.practice_code: m.pcn_code for m in members if m.active_on(date(2022, 1, 1))}
    assert on == {"A00001": "U00001", "A00002": "U00001"}
    assert p.as_of == date(2022, 1, 28)  # the workbook's modified date
    assert p.counts["pcns"] == 2 and p.counts["relationships_ended"] == 1


def test_epcn_sub_icb_header_variant(tmp_path, make_xlsx):
    sheets = _epcn_sheets("20240401", "")
    sheets["PCNDetails"][0][1:4] = ["PCN Name", "Current Sub ICB Loc Code", "Sub ICB Location"]
    path = make_xlsx(tmp_path / "e2.xlsx", sheets)
    p = ods_epcn.parse(path)
    assert p.variant == "sub_icb" and p.of(EpcnPcn)[0].parent_name == "NHS BARNSLEY CCG"
    assert p.of(EpcnMembership)[-1].start_date == date(2024, 4, 1)
