"""The NHS England DES population files as the xlsx workbooks NHS England publishes: one test
per header variant of docs/reference/registry.md, each workbook built here (title rows above
the header, a notes sheet first, numbers stored as numbers) and read to exactly the records
of its CSV copy; a malformed row is refused naming the sheet, row and field, saving nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from openpcn.data.registry.loaders import ImportFailed, import_file
from openpcn.data.registry.models import DesPopulation, IngestedFile, Organisation
from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import detect, parse
from tests.registry.conftest import write_xlsx
from tests.registry.test_parsers_spec import DES_2024, DES_2025
from tests.registry.test_vintages_ods_des import DES, DES_ROW

SHEET = "PCN DES populations"
# id, the CSV copy's text
VARIANTS = [
    ("2025-26", DES_2025),
    ("2024-25-weighted", DES_2024),
    *((d[0], f"{d[1]}\n{DES_ROW}{',4100' if d[3] == 'weighted' else ''}\n") for d in DES),
]


def _cell(text: str):
    """A cell as a workbook stores it: numbers as numbers, the rest as text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text or None


def workbook(path: Path, text: str, title_rows: int = 2) -> Path:
    rows = [r for r in csv.reader(io.StringIO(text.strip())) if r]
    body = [[_cell(c) for c in row] for row in rows[1:]]
    title = [["PCN DES: adjusted populations"], ["Source: NHS England"]][:title_rows]
    sheets = {"Notes": [["Guidance"], ["Practice Code is the ODS code"]]}
    sheets[SHEET] = [*title, *([[]] if title else []), rows[0], *body]
    return write_xlsx(path, sheets)


@pytest.mark.parametrize("text", [v[1] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_each_des_header_variant_as_a_workbook(tmp_path, text):
    copy = tmp_path / "des.csv"
    copy.write_text(text.strip() + "\n")
    book = workbook(tmp_path / "des.xlsx", text)
    assert detect(book) == "nhse_des_population"
    from_book, from_csv = parse(book), parse(copy)
    assert from_book.records == from_csv.records
    assert from_book.records  # some rows were read
    assert (from_book.as_of, from_book.variant, from_book.counts) == (
        from_csv.as_of,
        from_csv.variant,
        from_csv.counts,
    )


def test_a_header_on_the_first_row_and_no_notes_sheet(tmp_path):
    path = write_xlsx(
        tmp_path / "des.xlsx",
        {"Sheet1": [DES[1][1].split(","), [_cell(c) for c in DES_ROW.split(",")]]},
    )
    (r,) = parse(path).records
    assert (r.financial_year, r.practice_code, r.raw_list_size) == ("2021-22", "E81615", 4239)


def test_footnotes_under_the_table_are_skipped_and_said(tmp_path):
    path = write_xlsx(
        tmp_path / "des.xlsx",
        {
            "Sheet1": [
                DES[1][1].split(","),
                [_cell(c) for c in DES_ROW.split(",")],
                [],
                ["Source: NHS England, PCN DES 2021/22"],
                ["Note: adjusted populations use the Carr-Hill formula"],
            ]
        },
    )
    p = parse(path)
    assert len(p.records) == 1
    assert "sheet 'Sheet1': 2 note row(s) skipped (rows 4, 5)" in p.warnings


def test_a_row_with_a_name_but_no_code_is_refused_not_skipped(tmp_path):
    path = write_xlsx(
        tmp_path / "des.xlsx",
        {"Sheet1": [DES[1][1].split(","), [None, "ASHBURNHAM ROAD SURGERY"]]},
    )
    with pytest.raises(RegistryFileError) as info:
        parse(path)
    assert (info.value.line, info.value.field) == (2, "PRACTICE_CODE")


def test_a_malformed_row_names_sheet_row_and_field(tmp_path):
    text = f"{DES[0][1]}\n{DES_ROW}\nE81616,SURGERY,U74819,PCN,lots,4008\n"
    with pytest.raises(RegistryFileError) as info:
        parse(workbook(tmp_path / "des.xlsx", text))
    # 2 title rows, a blank row, the header on row 4: the bad row is row 6
    assert (info.value.sheet, info.value.line, info.value.field) == (SHEET, 6, "RAW_LIST_SIZE")


def test_a_workbook_without_a_des_table_is_not_taken_for_one(tmp_path):
    path = write_xlsx(tmp_path / "other.xlsx", {"Data": [["Practice Code", "Patients"]]})
    assert detect(path) is None
    with pytest.raises(RegistryFileError) as info:
        parse(path, "nhse_des_population")
    assert info.value.field == "PRACTICE_CODE" and "Data" in info.value.message


@pytest.mark.django_db
def test_the_workbook_loads_and_a_malformed_one_saves_nothing(tmp_path):
    bad = f"{DES[0][1]}\n{DES_ROW}\nE81616,SURGERY,U74819,PCN,4239,-3\n"
    with pytest.raises(ImportFailed) as info:
        import_file(workbook(tmp_path / "bad.xlsx", bad))
    assert str(info.value).startswith(f"bad.xlsx sheet '{SHEET}' row 6, field ADJUSTED_POPULATION")
    assert not (IngestedFile.objects.exists() or Organisation.objects.exists())
    result = import_file(workbook(tmp_path / "des.xlsx", DES_2025))
    assert (result.kind, result.rows_loaded) == ("nhse_des_population", 2)
    row = DesPopulation.objects.get(practice__code="E81615")
    assert (row.financial_year, row.raw_list_size, row.adjusted_population) == (
        "2025-26",
        4239,
        4008,
    )
