"""The NWRS PCN workforce parser: the real file, other layouts, and clear errors."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

from openpcn.workforce.nwrs import NwrsRecord, WorkforceFileError, detect, parse

from .conftest import write_csv

HEADER = (
    "Data_source,CENSUS_YEAR,CENSUS_MONTH,PCN_CODE,PCN_NAME,SUB_ICB_CODE,SUB_ICB_NAME,ICB_CODE,"
    "ICB_NAME,COMM_REGION_CODE,COMM_REGION_NAME,STAFF_GROUP,STAFF_ROLE,DETAILED_STAFF_ROLE,FTE,"
    "UNIQUE_IDENTIFIER"
)
ROW = (
    "NWRS Staff,{y},{m},U00001,ALPHA PCN,00A,Sub A,QAA,Alpha ICB,Y56,London,"
    "Other Direct Patient Care staff,Pharmacists,Pharmacist,{fte},{uid}"
)


def small(tmp_path, *rows: str, header: str = HEADER, name="wf.csv"):
    return write_csv(tmp_path / name, "\r\n".join([header, *rows]) + "\r\n")


def row(fte="1", uid="987654", y="2026", m="6"):
    return ROW.format(fte=fte, uid=uid, y=y, m=m)


def test_real_file_counts(parsed):
    assert parsed.as_of == date(2026, 6, 30)
    assert parsed.counts["records"] == 39_940
    assert parsed.counts["pcns"] == 1_271
    assert parsed.counts["icbs"] == 36
    assert parsed.counts["rows_nwrs_staff"] == 33_575
    assert parsed.counts["rows_nwrs_contracted_services"] == 6_365
    assert parsed.counts["rows_without_identifier"] == 6_365
    assert round(parsed.total_fte, 1) == Decimal("31253.3")
    pharm = sum(1 for r in parsed.records if r.staff_role == "Pharmacists")
    assert pharm == 6_893


def test_real_file_people_counted_from_pseudonyms(parsed, nwrs_path):
    with nwrs_path.open(encoding="utf-8-sig", newline="") as fh:
        ids = {r["UNIQUE_IDENTIFIER"] for r in csv.DictReader(fh) if r["UNIQUE_IDENTIFIER"]}
    assert parsed.counts["people"] == len(ids)
    assert sum(parsed.headcount.values()) >= len(ids)


def test_records_hold_no_staff_identifier():
    assert "unique_identifier" not in {f.lower() for f in NwrsRecord.__dataclass_fields__}
    assert not any("ident" in f or "person" in f for f in NwrsRecord.__dataclass_fields__)


def test_detect_real_and_others(nwrs_path, tmp_path):
    assert detect(nwrs_path)
    assert not detect(nwrs_path.parent / "pcn-workforce-individual-level-definitions.xlsx")
    assert not detect(write_csv(tmp_path / "other.csv", "PRACTICE_CODE,NUMBER\nA1,2\n"))
    assert not detect(write_csv(tmp_path / "empty.csv", ""))
    assert not detect(tmp_path / "missing.csv")
    # detected by content although FTE is missing, so that parse names the field
    no_fte = small(tmp_path, header=HEADER.replace(",FTE,", ",XX,"), name="x.txt")
    assert detect(no_fte)


def test_other_vintage_layout(tmp_path):
    """Reordered, lower-case, renamed (YEAR/MONTH) and extra columns; no BOM."""
    text = (
        "fte,staff role,pcn code,Month,Year,icb code,Extra column\n"
        "0.5,Pharmacists,u00002,2,2024,qbb,zzz\n"
        "1.25,Care Coordinators,U00002,2,2024,QBB,\n"
    )
    p = parse(write_csv(tmp_path / "old.csv", text, bom=False))
    assert p.as_of == date(2024, 2, 29)
    assert [(r.pcn_code, r.icb_code, r.staff_role, r.fte) for r in p.records] == [
        ("U00002", "QBB", "Pharmacists", Decimal("0.5")),
        ("U00002", "QBB", "Care Coordinators", Decimal("1.25")),
    ]
    assert p.counts["people"] == 0
    assert p.counts["fte_above_1"] == 1


def test_headcount_counts_distinct_people(tmp_path):
    p = parse(small(tmp_path, row(uid="11"), row(uid="11", fte="0.2"), row(uid="12"), row(uid="")))
    assert p.counts["people"] == 2
    assert p.headcount == {("U00001", "Pharmacists"): 2}
    assert p.counts["rows_without_identifier"] == 1


BAD = [
    # (rows or None, header, line, field, words in the message)
    ([row(fte="abc")], HEADER, 2, "FTE", "not a number"),
    ([row(), row(fte="-0.5")], HEADER, 3, "FTE", "negative"),
    ([row(fte="")], HEADER, 2, "FTE", "blank"),
    ([row(fte="NaN")], HEADER, 2, "FTE", "not a finite number"),
    ([row(m="13")], HEADER, 2, "CENSUS_MONTH", "not a month"),
    ([row(y="26")], HEADER, 2, "CENSUS_YEAR", "not a year"),
    ([row(), row(m="5")], HEADER, 3, "CENSUS_MONTH", "differs"),
    ([row().replace("U00001", "")], HEADER, 2, "PCN_CODE", "blank"),
    ([row().replace("Pharmacists", " ")], HEADER, 2, "STAFF_ROLE", "blank"),
    ([row()], HEADER.replace("STAFF_ROLE,", "ROLE,"), 1, "STAFF_ROLE", "missing"),
    ([row()], HEADER.replace(",FTE,", ",WTE,"), 1, "FTE", "missing"),
    ([row().rsplit(",", 3)[0]], HEADER, 2, "DETAILED_STAFF_ROLE", "fields"),
    ([], HEADER, None, None, "no staff rows"),
]


@pytest.mark.parametrize(("rows", "header", "line", "field", "words"), BAD)
def test_bad_input_names_file_line_field(tmp_path, rows, header, line, field, words):
    path = small(tmp_path, *rows, header=header)
    with pytest.raises(WorkforceFileError) as info:
        parse(path)
    err = info.value
    assert (err.line, err.field) == (line, field)
    assert words in err.message
    assert str(err).startswith("wf.csv")
    assert "987654" not in str(err)  # the staff pseudonym never appears


def test_empty_file(tmp_path):
    with pytest.raises(WorkforceFileError, match="empty"):
        parse(write_csv(tmp_path / "e.csv", "", bom=False))


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "\n" + row()).replace("ALPHA", "ALPH\xc9").encode("latin-1"))
    with pytest.raises(WorkforceFileError, match="line 2, field PCN_NAME"):
        parse(path)
