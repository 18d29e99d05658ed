"""One test per published layout of the ODS ePCN workbook, ODS epraccur and the NHS England DES
population files, built from the header alone (see docs/reference/registry.md)."""

from __future__ import annotations

from datetime import date

import pytest

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import detect, ods_epcn, ods_epraccur, parse
from openpcn.registry.records import EpcnMembership, EpcnPcn

CCG_PARTNER = [
    "Partner\nOrganisation\nCode",
    "Partner\nName",
    "Practice\nParent\nCCG Code",
    "Practice\nParent\nCCG Name",
    "PCN Code",
    "PCN Name",
    "PCN Parent\nCCG Code",
    "PCN Parent\nCCG Name",
    "Practice to PCN\nRelationship\nStart Date",
    "Practice to PCN\nRelationship\nEnd Date",
    "Practice CCG and PCN\nCCG Match ",
]
SUB_ICB_PARTNER = [h.replace("CCG Code", "Sub ICB Loc Code") for h in CCG_PARTNER]
PARTNER_ROW = ["C85628", "CAXTON HOUSE", "02P", "NHS BARNSLEY CCG", "U16464", "BARNSLEY PCN"]
PARTNER_ROW += ["02P", "NHS BARNSLEY CCG", "20191001", "20200831", "True"]
PCN_ROW = ["U16464", "BARNSLEY PCN", "02P", "NHS BARNSLEY CCG", "20191001", "", "S70 3NE"]

# id, PCN sheet name, PCN header, partner sheet name, partner header, rows above the header
EPCN = [
    (
        "dec-2019-first",
        "PCN Details",
        ["PCN Code", "PCN Name", "CCG Code", "CCG Name", "OPEN_DATE_YYYYMMDD"]
        + ["CLOSE_DATE_YYYYMMDD", "Postcode"],
        "PCN Core Partner Details",
        CCG_PARTNER,
        0,
    ),
    (
        "2020-2022-ccg",
        "PCNDetails",
        ["PCN Code", "PCN Name", "Current Clinical \nCommissioning \nGroup Code"]
        + ["Clinical\nCommissioning\nGroup Name", "Open Date", "Close Date", "Postcode"],
        "PCN Core Partner Details",
        CCG_PARTNER,
        0,
    ),
    (
        "2022-on-sub-icb",
        "PCNDetails",
        ["PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Sub ICB Location", "Open Date"]
        + ["Close Date", "Postcode"],
        "PCN Core Partner Details",
        SUB_ICB_PARTNER,
        0,
    ),
    (
        "title-rows-and-notes-sheet",
        "PCNDetails",
        ["PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Sub ICB Location", "Open Date"]
        + ["Close Date", "Postcode"],
        "PCN Core Partner Details",
        SUB_ICB_PARTNER,
        2,
    ),
]


@pytest.mark.parametrize(
    ("pcn_sheet", "pcn_header", "partner_sheet", "partner_header", "above"),
    [e[1:] for e in EPCN],
    ids=[e[0] for e in EPCN],
)
def test_each_epcn_layout(
    tmp_path, make_xlsx, pcn_sheet, pcn_header, partner_sheet, partner_header, above
):
    title = [["Primary Care Networks"]] * above
    sheets = {
        "Notes": [["Published by ODS"]],
        pcn_sheet: [*title, pcn_header, PCN_ROW],
        partner_sheet: [*title, partner_header, PARTNER_ROW],
    }
    path = make_xlsx(tmp_path / "e.xlsx", sheets, modified=date(2019, 12, 20))
    assert detect(path) == "ods_epcn"
    p = ods_epcn.parse(path)
    (pcn,) = p.of(EpcnPcn)
    (member,) = p.of(EpcnMembership)
    assert (pcn.pcn_code, pcn.parent_code, pcn.open_date, pcn.close_date) == (
        "U16464",
        "02P",
        date(2019, 10, 1),
        None,
    )
    assert (member.practice_code, member.pcn_code, member.practice_parent_code) == (
        "C85628",
        "U16464",
        "02P",
    )
    assert (member.start_date, member.end_date) == (date(2019, 10, 1), date(2020, 8, 31))
    assert p.as_of == date(2019, 12, 20)


def test_epcn_without_an_open_date_names_the_column(tmp_path, make_xlsx):
    header = ["PCN Code", "PCN Name", "CCG Code", "Opening", "Close Date", "Postcode"]
    sheets = {"PCN Details": [header, PCN_ROW[:4] + PCN_ROW[5:]]}
    sheets["PCN Core Partner Details"] = [CCG_PARTNER, PARTNER_ROW]
    with pytest.raises(RegistryFileError) as info:
        ods_epcn.parse(make_xlsx(tmp_path / "e.xlsx", sheets))
    assert (info.value.sheet, info.value.field) == ("PCN Details", "OPEN_DATE")


EPRACCUR_ROW = (
    '"A81001","THE DENSHAM SURGERY","Y63","QHM","HEALTH CENTRE","LAWSON STREET","",'
    '"STOCKTON-ON-TEES","","TS18 1HU","19740401","","ACTIVE","B","16C","20200401","",'
    '"01642 672351","","","","1","","16C","","RO76",""'
)
EPRACCUR_HEADER = (
    "Organisation Code,Name,National Grouping,High Level Health Geography,Address Line 1,"
    "Address Line 2,Address Line 3,Address Line 4,Address Line 5,Postcode,Open Date,Close Date,"
    "Status Code,Organisation Sub-Type Code,Commissioner,Join Provider/Purchaser Date,"
    "Left Provider/Purchaser Date,Contact Telephone Number,Null,Null,Null,"
    "Amended Record Indicator,Null,Provider/Purchaser,Null,Prescribing Setting,Null"
)


@pytest.mark.parametrize(
    ("lines", "variant"),
    [
        ([EPRACCUR_ROW], "new"),
        ([EPRACCUR_HEADER, EPRACCUR_ROW], "new_with_header"),
        ([EPRACCUR_ROW + ',""'], "new"),  # a 28th column
    ],
    ids=["as-published", "export-with-header", "wider-row"],
)
def test_each_epraccur_layout(tmp_path, lines, variant):
    path = tmp_path / "epraccur.csv"
    path.write_text("\n".join(lines) + "\n")
    assert detect(path) == "ods_epraccur"
    p = ods_epraccur.parse(path)
    ((r,),) = [p.records]
    assert (p.variant, r.code, r.status, r.is_gp_practice) == (variant, "A81001", "active", True)


DES_ROW = "E81615,ASHBURNHAM ROAD SURGERY,U74819,CARITAS MEDICAL PCN,4239,4008"
# id, header, financial year, variant
DES = [
    (
        "dated-raw-list-size",
        "Practice Code,Practice Name,PCN Code,PCN Name,Raw list size as at 1 January 2024,"
        "Adjusted population",
        "2024-25",
        "adjusted",
    ),
    (
        "ccg-era-codes",
        "Practice Code,Practice Name,PCN Code,PCN Name,Raw List Size 2021/22,"
        "Practice Adjusted Population 2021/22",
        "2021-22",
        "adjusted",
    ),
    (
        "weighted-list-size",
        "Practice Code,Practice Name,PCN Code,PCN Name,Raw list size 2023/24,"
        "Adjusted population 2023/24,Weighted list size 2023/24",
        "2023-24",
        "weighted",
    ),
]


@pytest.mark.parametrize(
    ("header", "year", "variant"), [d[1:] for d in DES], ids=[d[0] for d in DES]
)
def test_each_des_layout(tmp_path, header, year, variant):
    path = tmp_path / "des.csv"
    row = DES_ROW + (",4100" if variant == "weighted" else "")
    path.write_text(f"{header}\n{row}\n")
    assert detect(path) == "nhse_des_population"
    p = parse(path)
    (r,) = p.records
    assert (r.financial_year, p.variant, r.raw_list_size, r.adjusted_population) == (
        year,
        variant,
        4239,
        4008,
    )


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("E8161,ASHBURNHAM ROAD SURGERY,U74819,CARITAS MEDICAL PCN,4239,4008", "PRACTICE_CODE"),
        ("E81616,ASHBURNHAM ROAD SURGERY,74819,CARITAS MEDICAL PCN,4239,4008", "PCN_CODE"),
    ],
)
def test_a_malformed_des_code_names_line_and_field(tmp_path, row, field):
    path = tmp_path / "des.csv"
    path.write_text(f"{DES[0][1]}\n{DES_ROW}\n{row}\n")
    with pytest.raises(RegistryFileError) as info:
        parse(path)
    assert (info.value.line, info.value.field) == (3, field)
