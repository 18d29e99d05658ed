"""ODS Data Search and Export's headerless ePCN reports (``epcn``, ``epcncorepartnerdetails``):
one test per layout built from a first row (or header) alone, a malformed row refused with
its file, line and field and nothing saved, and the same membership as the ePCN workbook
built from the same rows (see docs/reference/registry.md)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction

from openpcn.data.registry.loaders import ImportFailed, import_file
from openpcn.data.registry.models import IngestedFile, Organisation, Relation
from openpcn.data.registry.queries import clear_memberships, membership_as_at
from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import detect, ods_epcn_csv, parse
from openpcn.registry.records import EpcnMembership, EpcnPcn
from tests.registry.conftest import write_xlsx

PCN = ["U16464", "BARNSLEY PCN", "02P", "NHS BARNSLEY SUB ICB", "20191001", ""]
PCN += ["1 CHURCH ST", "", "", "BARNSLEY", "", "S70 3NE"]
PARTNER = ["C85628", "CAXTON HOUSE", "02P", "NHS BARNSLEY SUB ICB", "U16464", "BARNSLEY PCN"]
PARTNER += ["02P", "NHS BARNSLEY SUB ICB", "20191001", "20200831", "TRUE"]
#: the header Data Search and Export adds with "Include headers" (partners: as documented)
PARTNER_HEADER = [
    "Partner Organisation Code",
    "Partner Name",
    "Practice Parent Sub ICB Location Code",
    "Practice Parent Sub ICB Location Name",
    "PCN Code",
    "PCN Name",
    "PCN Parent Sub ICB Location Code",
    "PCN Parent Sub ICB Location Name",
    "Practice to PCN Relationship Start Date",
    "Practice to PCN Relationship End Date",
    "Practice Sub ICB and PCN Sub ICB Match?",
]
PCN_HEADER = ["PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Sub ICB Location"]
PCN_HEADER += ["Open Date", "Close Date", *(f"Address Line {i}" for i in range(1, 6))]
PCN_HEADER += ["Postcode"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    return path


@pytest.mark.parametrize(
    ("rows", "variant"),
    [
        ([PCN], "pcns"),
        ([PCN + [""]], "pcns"),  # a 13th column
        ([PCN_HEADER, PCN], "pcns_with_header"),
    ],
    ids=["epcn-as-published", "epcn-wider-row", "epcn-with-header"],
)
def test_each_epcn_report_layout(tmp_path, rows, variant):
    path = write_csv(tmp_path / "report.csv", rows)  # the name says nothing: shape decides
    assert detect(path) == ods_epcn_csv.KIND
    p = parse(path)
    (pcn,) = p.records
    assert isinstance(pcn, EpcnPcn)
    assert (pcn.pcn_code, pcn.pcn_name, pcn.parent_code, pcn.parent_name) == (
        "U16464",
        "BARNSLEY PCN",
        "02P",
        "NHS BARNSLEY SUB ICB",
    )
    assert (pcn.open_date, pcn.close_date, pcn.postcode) == (date(2019, 10, 1), None, "S70 3NE")
    assert (pcn.parent_kind, p.variant, p.as_of) == ("sub_icb", variant, date(2019, 10, 1))


@pytest.mark.parametrize(
    ("rows", "variant"),
    [
        ([PARTNER], "partners"),
        ([PARTNER + ["", ""]], "partners"),
        ([PARTNER_HEADER, PARTNER], "partners_with_header"),
    ],
    ids=["partners-as-published", "partners-wider-row", "partners-with-header"],
)
def test_each_core_partner_report_layout(tmp_path, rows, variant):
    path = write_csv(tmp_path / "report.csv", rows)
    assert detect(path) == ods_epcn_csv.KIND
    p = parse(path)
    (m,) = p.records
    assert isinstance(m, EpcnMembership)
    assert (m.practice_code, m.practice_name, m.practice_parent_code) == (
        "C85628",
        "CAXTON HOUSE",
        "02P",
    )
    assert (m.pcn_code, m.pcn_name, m.pcn_parent_code) == ("U16464", "BARNSLEY PCN", "02P")
    assert (m.start_date, m.end_date) == (date(2019, 10, 1), date(2020, 8, 31))
    assert (p.variant, p.as_of) == (variant, date(2020, 8, 31))


@pytest.mark.parametrize(
    "row",
    [PCN[:11], PARTNER[:8], ["U16464", "BARNSLEY PCN"], [*PCN[:4], "soon", *PCN[5:]]],
    ids=["epcn-short", "partners-short", "two-columns", "epcn-undated"],
)
def test_rows_of_another_shape_are_not_taken_for_a_report(tmp_path, row):
    assert detect(write_csv(tmp_path / "epcn.csv", [row])) != ods_epcn_csv.KIND


@pytest.mark.parametrize(
    ("second", "field"),
    [
        (PARTNER[:8] + ["20191301", "", "TRUE"], "START_DATE"),
        (PARTNER[:9] + ["20190101", "TRUE"], "END_DATE"),  # ends before it starts
        ([""] + PARTNER[1:], "PARTNER_ORGANISATION_CODE"),
        (PARTNER[:7], "PCN_PARENT_NAME"),  # a truncated row names the first missing field
    ],
    ids=["bad-date", "end-before-start", "blank-code", "truncated"],
)
def test_a_malformed_partner_row_names_line_and_field(tmp_path, second, field):
    path = write_csv(tmp_path / "epcncorepartnerdetails.csv", [PARTNER, second])
    with pytest.raises(RegistryFileError) as info:
        parse(path)
    assert (info.value.line, info.value.field) == (2, field)


# One list of rows builds both the workbook and the two CSV reports.
PCNS = [
    ["U00001", "NORTH PCN", "01A", "NHS NORTH SUB ICB", "20190701", ""],
    ["U00002", "SOUTH PCN", "01A", "NHS NORTH SUB ICB", "20190701", ""],
    ["U00003", "OLD PCN", "01A", "NHS NORTH SUB ICB", "20190701", "20230331"],
]
MEMBERS = [  # practice, PCN, start, end
    ["A00001", "U00001", "20190701", ""],
    ["A00002", "U00001", "20190701", "20240331"],
    ["A00002", "U00002", "20240401", ""],
    ["A00003", "U00003", "20190701", "20230331"],
    ["A00003", "U00002", "20230401", ""],
    ["A00004", "U00002", "20250101", ""],
]
NAMES = {p[0]: p[1] for p in PCNS}


def _pcn_rows() -> list[list[str]]:
    return [[*p, "1 HIGH ST", "", "", "LEEDS", "", "LS1 1AA"] for p in PCNS]


def _partner_rows() -> list[list[str]]:
    sub = ["01A", "NHS NORTH SUB ICB"]
    return [
        [code, f"PRACTICE {code}", *sub, pcn, NAMES[pcn], *sub, start, end, "TRUE"]
        for code, pcn, start, end in MEMBERS
    ]


def _workbook(tmp_path: Path) -> Path:
    partner_header = [h.replace("Location", "Loc") for h in PARTNER_HEADER]
    return write_xlsx(
        tmp_path / "ePCN.xlsx",
        {
            "PCNDetails": [PCN_HEADER, *_pcn_rows()],
            "PCN Core Partner Details": [partner_header, *_partner_rows()],
        },
        modified=date(2025, 1, 20),
    )


def _reports(tmp_path: Path) -> list[Path]:
    return [
        write_csv(tmp_path / "epcn.csv", _pcn_rows()),
        write_csv(tmp_path / "epcncorepartnerdetails.csv", _partner_rows()),
    ]


ON = (date(2023, 1, 1), date(2024, 6, 1), date(2025, 6, 1))
EXPECTED = {
    date(2023, 1, 1): {"A00001": "U00001", "A00002": "U00001", "A00003": "U00003"},
    date(2024, 6, 1): {"A00001": "U00001", "A00002": "U00002", "A00003": "U00002"},
    date(2025, 6, 1): {"A00001": "U00001", "A00002": "U00002", "A00003": "U00002"}
    | {"A00004": "U00002"},
}


def _memberships(paths: list[Path]) -> tuple[dict, dict]:
    for path in paths:
        import_file(path)
    clear_memberships()
    pcns = dict(Organisation.objects.filter(kind="pcn").values_list("code", "name"))
    return {on: membership_as_at(on) for on in ON}, pcns


@pytest.mark.django_db
def test_the_csv_reports_give_the_workbooks_membership(tmp_path):
    with transaction.atomic():
        from_workbook = _memberships([_workbook(tmp_path)])
        transaction.set_rollback(True)
    assert not Organisation.objects.exists()
    from_reports = _memberships(_reports(tmp_path))
    assert from_reports == from_workbook
    assert from_reports[0] == EXPECTED
    assert from_reports[1] == NAMES
    assert sorted(IngestedFile.objects.values_list("kind", "name")) == [
        ("ods_epcn_csv", "epcn.csv"),
        ("ods_epcn_csv", "epcncorepartnerdetails.csv"),
    ]
    pcn = Organisation.objects.get(code="U00003")
    assert (pcn.closed, pcn.source) == (date(2023, 3, 31), "epcn.csv")
    assert Relation.objects.filter(kind="in_sub_icb", child__code="U00001").exists()


@pytest.mark.django_db
def test_a_malformed_row_refuses_the_report_and_saves_nothing(tmp_path):
    rows = _partner_rows()
    rows[3][8] = "31/02/2024"
    path = write_csv(tmp_path / "epcncorepartnerdetails.csv", rows)
    with pytest.raises(ImportFailed) as info:
        import_file(path)
    assert str(info.value).startswith("epcncorepartnerdetails.csv line 4, field START_DATE:")
    assert not IngestedFile.objects.exists()
    assert not Organisation.objects.exists()
    assert not Relation.objects.exists()


def test_a_workbook_saved_under_a_csv_name_is_still_read_as_one(tmp_path):
    book = _workbook(tmp_path)
    renamed = book.rename(tmp_path / "epcn.csv")  # a download saved under the report's name
    assert detect(renamed) == "ods_epcn"
    assert len(parse(renamed).of(EpcnMembership)) == len(MEMBERS)


@pytest.mark.django_db
def test_import_all_takes_both_reports_by_their_content(tmp_path):
    from typer.testing import CliRunner

    from openpcn.cli.main import app

    folder = tmp_path / "ods_latest"
    folder.mkdir()
    for n, path in enumerate(_reports(tmp_path)):
        path.rename(folder / f"report-{n}.csv")  # names that say nothing
    result = CliRunner().invoke(app, ["data", "import-all", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 of 2 data files" in result.output
    clear_memberships()
    assert membership_as_at(date(2024, 6, 1)) == EXPECTED[date(2024, 6, 1)]
