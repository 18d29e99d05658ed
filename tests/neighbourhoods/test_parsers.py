"""The three files issue 18 imports, parsed from small hand-made files: one header-only case
per variant (IoD 2025 File 1, IoD 2019 File 1, the IMD 2019 lookup, etr) and bad input that
names the file, row and field."""

# ruff: noqa: E501

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import detect, iod_file1, ods_etr, ons_imd_lookup, parse

IOD25 = [
    "LSOA code (2021)",
    "LSOA name (2021)",
    "Local Authority District code (2024)",
    "Local Authority District name (2024)",
    "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOA",
]
IOD19 = [
    "LSOA code (2011)",
    "LSOA name (2011)",
    "Local Authority District code (2019)",
    "Local Authority District name (2019)",
    "Index of Multiple Deprivation (IMD) Rank",
    "Index of Multiple Deprivation (IMD) Decile",
]
IOD19_FILE2 = [  # the 2019 domains file words the rank and decile columns as 2015 did
    "LSOA code (2011)",
    "LSOA name (2011)",
    "Local Authority District code (2019)",
    "Local Authority District name (2019)",
    "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
]
ROWS = [
    ("E01000001", "City of London 001A", "E09000001", "City of London", 2, 10),
    ("E01000002", "City of London 001B", "E09000001", "City of London", 1, 5),
]


def workbook(tmp_path, header, rows, sheet="IMD25", notes=False, name="iod.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    if notes:
        ws.title = "Notes"
        ws.append(["The English Indices of Deprivation"])
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    path = tmp_path / name
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("header", "sheet", "notes", "vintage", "lad_vintage", "edition", "as_of"),
    [
        (IOD25, "IMD25", False, 2021, 2024, 2025, date(2025, 10, 1)),
        (IOD19, "IMD2019", True, 2011, 2019, 2019, date(2019, 9, 1)),
        (IOD19_FILE2, "IoD2019 Domains", True, 2011, 2019, 2019, date(2019, 9, 1)),
    ],
)
def test_iod_file1_variants(tmp_path, header, sheet, notes, vintage, lad_vintage, edition, as_of):
    path = workbook(tmp_path, header, ROWS, sheet, notes)
    assert detect(path) == iod_file1.KIND
    parsed = parse(path)
    assert parsed.kind == iod_file1.KIND and parsed.as_of == as_of
    first = parsed.records[0]
    assert (first.code, first.vintage, first.lad_vintage, first.edition) == (
        "E01000001",
        vintage,
        lad_vintage,
        edition,
    )
    assert (first.rank, first.decile, first.decile_derived) == (2, 10, False)
    assert parsed.counts["lsoas"] == 2 and parsed.counts["local_authorities"] == 1
    assert parsed.variant == f"iod{edition}_lsoa{vintage % 100}"


@pytest.mark.parametrize(
    ("rows", "field", "words"),
    [
        ([("E0100000X", "x", "E09000001", "x", 1, 1)], "LSOA_CODE", "not an English LSOA code"),
        ([ROWS[0], ROWS[0]], "LSOA_CODE", "repeats row 2"),
        ([("E01000001", "x", "E09000001", "x", 1, 11)], "IMD_DECILE", "not a decile"),
        ([("E01000001", "x", "E09000001", "x", "one", 1)], "IMD_RANK", "not a whole number"),
        ([("E01000001", "x", "", "x", 1, 1)], "LAD_CODE", "blank"),
        ([ROWS[0], ("E01000002", "x", "E09000001", "x", 2, 1)], "IMD_RANK", "appears twice"),
        ([("E01000001", "x", "E09000001", "x", 5, 1)], "IMD_RANK", "above the 1 LSOAs"),
    ],
)
def test_iod_file1_bad_rows(tmp_path, rows, field, words):
    path = workbook(tmp_path, IOD25, rows)
    with pytest.raises(RegistryFileError) as e:
        parse(path)
    assert e.value.field == field and words in str(e.value)
    assert "iod.xlsx sheet 'IMD25'" in str(e.value)


def test_iod_file1_missing_column_is_named(tmp_path):
    path = workbook(tmp_path, IOD25[:4] + ["IMD Score", IOD25[5]], ROWS)
    assert detect(path) is None  # no rank column: not recognised as File 1
    with pytest.raises(RegistryFileError, match="no sheet has an LSOA code and an IMD rank"):
        iod_file1.parse(path)
    path = workbook(
        tmp_path, IOD25[:2] + ["Area", IOD25[3], IOD25[4], IOD25[5]], ROWS, name="b.xlsx"
    )
    with pytest.raises(RegistryFileError, match="required column LAD_CODE is missing"):
        parse(path)


LOOKUP_HEAD = "LSOA11CD,LSOA11NM,LAD19CD,LAD19NM,IMD19,FID"


def write(tmp_path, text, name="f.csv"):
    path = tmp_path / name
    path.write_text(text.strip("\n") + "\n", encoding="utf-8")
    return path


def test_imd_lookup_header_and_derived_deciles(tmp_path):
    rows = "\n".join(
        f"E0100{i:04d},Area {i},E09000001,City,{rank},{i}"
        for i, rank in enumerate(
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 20, 15, 16, 17, 18, 19, 14], 1
        )
    )
    path = write(tmp_path, f"{LOOKUP_HEAD}\n{rows}")
    assert detect(path) == ons_imd_lookup.KIND
    parsed = parse(path)
    assert parsed.as_of == date(2019, 12, 1) and parsed.variant == "imd19_lsoa11"
    first = parsed.records[0]
    assert (first.vintage, first.lad_vintage, first.edition) == (2011, 2019, 2019)
    # ceil(rank x 10 / 20): ranks 1-2 decile 1, 19-20 decile 10
    assert [r.decile for r in parsed.records[:4]] == [1, 1, 2, 2]
    assert parsed.records[13].decile == 10 and all(r.decile_derived for r in parsed.records)
    assert any("1 IMD rank(s) are shared" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        (
            f"{LOOKUP_HEAD}\nE01000001,a,E09000001,x,1,1\nW01000001,b,W06000001,y,2,2",
            3,
            "LSOA_CODE",
        ),
        (f"{LOOKUP_HEAD}\nE01000001,a,E09000001,x,-1,1", 2, "IMD_RANK"),
        (
            f"{LOOKUP_HEAD}\nE01000001,a,E09000001,x,1,1\nE01000001,a,E09000001,x,2,2",
            3,
            "LSOA_CODE",
        ),
        ("LSOA11CD,LSOA11NM,LAD19NM,IMD19\nE01000001,a,x,1", 1, "LAD_CODE"),
    ],
)
def test_imd_lookup_bad_input(tmp_path, text, line, field):
    with pytest.raises(RegistryFileError) as e:
        ons_imd_lookup.parse(write(tmp_path, text))
    assert (e.value.line, e.value.field) == (line, field)


ETR_ROW = '"R0A","MANCHESTER UNIVERSITY NHS FOUNDATION TRUST","Y62","QOP","COBBETT HOUSE","OXFORD ROAD","","MANCHESTER","","M13 9WL","20171001","","","","","","","0300 3309444","","","","1","","B","","",""'
ETR_CLOSED = '"R1C","SOLENT NHS TRUST","Y59","QRL","HQ","HIGHPOINT VENUE","BURSLEDON ROAD","SOUTHAMPTON","","SO19 8BR","20110401","20240930","","","","","","","","","","1","","J","","",""'


def test_etr_layout(tmp_path):
    path = write(tmp_path, f"{ETR_ROW}\n{ETR_CLOSED}", "etr.csv")
    assert detect(path) == ods_etr.KIND
    parsed = parse(path)
    assert parsed.as_of == date(2024, 9, 30)
    r0a, r1c = parsed.records
    assert (r0a.code, r0a.health_geography, r0a.national_grouping, r0a.postcode) == (
        "R0A",
        "QOP",
        "Y62",
        "M13 9WL",
    )
    assert r0a.open_date == date(2017, 10, 1) and r0a.close_date is None and r0a.amended
    assert r1c.close_date == date(2024, 9, 30)
    assert parsed.counts == {"rows_read": 2, "records": 2, "open": 1}


def test_etr_is_not_epraccur_and_bad_rows_are_named(tmp_path):
    epraccur_like = ETR_ROW.replace('"","","","","","","0300', '"","ACTIVE","","","","","0300')
    assert detect(write(tmp_path, epraccur_like, "e.csv")) != ods_etr.KIND
    for text, field in [
        (f"{ETR_ROW}\n{ETR_ROW}", "ORGANISATION_CODE"),
        (ETR_ROW.replace('"20171001"', '"2017OCT"'), "OPEN_DATE"),
        (ETR_ROW.replace('"20171001","",', '"20171001","20161001",'), "CLOSE_DATE"),
    ]:
        with pytest.raises(RegistryFileError) as e:
            ods_etr.parse(write(tmp_path, text, "etr.csv"))
        assert e.value.field == field and "etr.csv line" in str(e.value)
