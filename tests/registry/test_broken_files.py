"""Every broken file fails with an error naming file, line (or sheet) and field."""

from __future__ import annotations

import pytest

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import detect, gp_reg_all, gp_reg_map, ods_epcn, parse

CASES = [
    # file, line, field, words in the message
    ("truncated-row.csv", 4, "SEX", "truncated"),
    ("truncated-quote.csv", 3, None, "truncated"),
    ("missing-column.csv", 1, "PCN_CODE", "missing"),
    ("renamed-column.csv", 1, "NUMBER_OF_PATIENTS", "missing or renamed"),
    ("non-numeric-count.csv", 4, "NUMBER_OF_PATIENTS", "'abc' is not a whole number"),
    ("negative-count.csv", 3, "NUMBER_OF_PATIENTS", "negative"),
    ("duplicate-practice.csv", 4, "ORG_CODE", "duplicate row for GP A84002"),
    ("non-utf8.csv", 3, "POSTCODE", "not valid UTF-8"),
    ("epraccur-bad-status.csv", 1, "STATUS_CODE", "not a known status"),
    ("epcn-partners-bad-date.csv", 2, "END_DATE", "'20193112' is not a date"),
    ("epcn-truncated-row.csv", 3, "ADDRESS_LINE_2", "truncated"),
]


@pytest.mark.parametrize(("name", "line", "field", "words"), CASES)
def test_broken_file_names_file_line_and_field(broken, name, line, field, words):
    with pytest.raises(RegistryFileError) as info:
        parse(broken / name)
    err = info.value
    assert (err.path.name, err.line, err.field) == (name, line, field)
    assert words in err.message
    text = str(err)
    assert text.startswith(f"{name} line {line}")
    if field:
        assert f", field {field}: " in text


def test_message_reads_like_the_spec(broken):
    with pytest.raises(RegistryFileError) as info:
        gp_reg_all.parse(broken / "non-numeric-count.csv")
    assert str(info.value) == (
        "non-numeric-count.csv line 4, field NUMBER_OF_PATIENTS: 'abc' is not a whole number"
    )


@pytest.mark.parametrize("name", ["empty.csv", "blank-lines.csv"])
def test_empty_file(broken, name):
    assert detect(broken / name) is None
    with pytest.raises(RegistryFileError, match="file is empty"):
        gp_reg_map.parse(broken / name)
    with pytest.raises(RegistryFileError, match="empty"):
        parse(broken / name)


def test_xlsx_without_expected_sheet(xlsx_without_sheet):
    assert detect(xlsx_without_sheet) == "ods_epcn"  # it is clearly an ePCN workbook...
    with pytest.raises(RegistryFileError) as info:
        parse(xlsx_without_sheet)  # ...missing its partner sheet
    err = info.value
    assert err.sheet == "PCN Core Partner Details"
    assert "sheet not found" in err.message and "PCNDetails" in err.message
    assert str(err).startswith("ePCN.xlsx sheet 'PCN Core Partner Details'")


def test_xlsx_missing_column_names_sheet_row_and_field(tmp_path, make_xlsx):
    path = make_xlsx(
        tmp_path / "e.xlsx",
        {
            "PCNDetails": [["PCN Code", "PCN Name", "Open Date"], ["U1", "P", "20191001"]],
            "PCN Core Partner Details": [
                ["Partner\nOrganisation\nCode", "PCN Code", "Practice to PCN\nEnd Date"],
                ["A1", "U1", None],
            ],
        },
    )
    with pytest.raises(RegistryFileError) as info:
        ods_epcn.parse(path)
    assert (info.value.sheet, info.value.line, info.value.field) == (
        "PCN Core Partner Details",
        1,
        "START_DATE",
    )


def test_bad_date_in_xlsx_names_row(tmp_path, make_xlsx):
    header = ["Partner Organisation Code", "PCN Code", "Relationship Start Date"]
    path = make_xlsx(
        tmp_path / "e.xlsx",
        {
            "PCNDetails": [["PCN Code", "Open Date"], ["U1", "20191001"]],
            "PCN Core Partner Details": [header, ["A1", "U1", "20191001"], ["A2", "U1", "soon"]],
        },
    )
    with pytest.raises(RegistryFileError) as info:
        ods_epcn.parse(path)
    assert (info.value.line, info.value.field) == (3, "START_DATE")
    assert "'soon' is not a date" in str(info.value)


def test_not_a_workbook(tmp_path):
    path = tmp_path / "ePCN.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert detect(path) is None
    with pytest.raises(RegistryFileError, match="not a readable .xlsx"):
        ods_epcn.parse(path)


@pytest.mark.parametrize("name", ["unknown-practice-map.csv", "unknown-practice-des.csv"])
def test_unknown_practice_files_parse_and_the_loader_decides(broken, name):
    parsed = parse(broken / name)
    assert "Z99999" in {r.practice_code for r in parsed.records}


def test_errors_never_quote_more_than_the_cell(broken):
    with pytest.raises(RegistryFileError) as info:
        parse(broken / "non-numeric-count.csv")
    assert "NE22 6JZ" not in str(info.value)  # the postcode on the row is not echoed
