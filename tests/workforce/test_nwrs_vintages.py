"""One test per layout of the NWRS PCN workforce CSV, from the header alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.workforce.nwrs import detect, parse

from .conftest import write_csv

# id, header, row, census date, (sub-ICB code, ICB code)
LAYOUTS = [
    (
        "2022-on-icb",
        "Data_source,CENSUS_YEAR,CENSUS_MONTH,PCN_CODE,PCN_NAME,SUB_ICB_CODE,SUB_ICB_NAME,"
        "ICB_CODE,ICB_NAME,COMM_REGION_CODE,COMM_REGION_NAME,STAFF_GROUP,STAFF_ROLE,"
        "DETAILED_STAFF_ROLE,FTE,UNIQUE_IDENTIFIER",
        "NWRS Staff,2026,6,U00001,ALPHA PCN,00A,Sub A,QAA,Alpha ICB,Y56,London,"
        "Other Direct Patient Care staff,Pharmacists,Pharmacist,1,11",
        date(2026, 6, 30),
        ("00A", "QAA"),
    ),
    (
        "2020-2022-ccg-stp",
        "CENSUS_YEAR,CENSUS_MONTH,PCN_CODE,PCN_NAME,CCG_CODE,CCG_NAME,STP_CODE,STP_NAME,"
        "COMM_REGION_CODE,COMM_REGION_NAME,STAFF_GROUP,STAFF_ROLE,DETAILED_STAFF_ROLE,FTE,"
        "UNIQUE_IDENTIFIER",
        "2021,3,U00001,ALPHA PCN,02P,NHS Barnsley CCG,QF7,South Yorkshire STP,Y63,NE&Y,"
        "Other Direct Patient Care staff,Pharmacists,Pharmacist,0.8,11",
        date(2021, 3, 31),
        ("02P", "QF7"),
    ),
    (
        "documented-year-month-names",
        "DATA_SOURCE,YEAR,MONTH,PCN_CODE,ICB_CODE,STAFF_GROUP,STAFF_ROLE,FTE",
        "NWRS contracted services,2024,September,U00001,QAA,Other Direct Patient Care staff,"
        "Physiotherapists,2.5",
        date(2024, 9, 30),
        ("", "QAA"),
    ),
]


@pytest.mark.parametrize(
    ("header", "row", "census", "parents"), [x[1:] for x in LAYOUTS], ids=[x[0] for x in LAYOUTS]
)
def test_each_nwrs_layout(tmp_path, header, row, census, parents):
    path = write_csv(tmp_path / "wf.csv", f"{header}\n{row}\n", bom=False)
    assert detect(path)
    p = parse(path)
    (r,) = p.records
    assert (p.as_of, (r.sub_icb_code, r.icb_code), r.pcn_code) == (census, parents, "U00001")
    assert r.fte > Decimal(0)


@pytest.mark.parametrize(("month", "day"), [("Jun", 30), ("JUNE", 30), ("06", 30), ("2", 28)])
def test_census_month_by_number_or_name(tmp_path, month, day):
    header, row = LAYOUTS[2][1], LAYOUTS[2][2].replace("September", month).replace("2024", "2023")
    p = parse(write_csv(tmp_path / "wf.csv", f"{header}\n{row}\n", bom=False))
    assert p.as_of.day == day
