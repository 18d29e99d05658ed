"""A trusted national file defines the organisations it names: the DES population file imports
into an empty registry; ODS files take the records over later, keeping the source history;
only a malformed file is refused, and then nothing is saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from openpcn.data.registry.loaders import ImportFailed, import_file
from openpcn.data.registry.models import DesPopulation, Organisation

from .conftest import write_xlsx
from .test_loaders import snapshot

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
DES = FIXTURES / "des-2025-26.csv"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def epraccur(tmp_path, code="A00001", name="ALPHA SURGERY (ODS)"):
    row = [code, name, "Y01", "QAA", "1 HIGH STREET", "", "", "TOWN", "", "AA1 1AA", "19740401"]
    row += ["", "ACTIVE", "B", "01A", "20200401", "", "0100", "", "", "", "1", "", "01A", ""]
    row += ["RO76", ""]
    path = tmp_path / "epraccur.csv"
    path.write_text(",".join(f'"{c}"' for c in row) + "\n")
    return path


def epcn(tmp_path):
    pcn = ["PCN Code", "PCN Name", "Current Sub ICB Loc Code", "Sub ICB Location", "Open Date"]
    partner = ["Partner Organisation Code", "Partner Name", "PCN Code", "PCN Name"]
    partner += ["Practice to PCN Relationship Start Date", "Practice to PCN Relationship End Date"]
    sheets = {
        "PCNDetails": [
            pcn,
            ["U00001", "ALPHA NORTH PCN (ODS)", "01A", "NHS ALPHA - 01A", "20190701"],
        ],
        "PCN Core Partner Details": [
            partner,
            ["A00002", "ALDER MEDICAL CENTRE (ODS)", "U00001", "ALPHA NORTH PCN", "20190701", None],
        ],
    }
    return write_xlsx(tmp_path / "ePCN.xlsx", sheets)


def org(code):
    return Organisation.objects.get(code=code)


def test_des_file_alone_into_an_empty_registry():
    assert not Organisation.objects.exists()
    result = import_file(DES)
    assert result.status == "loaded" and result.rows_loaded == 3
    assert any(
        "recorded from this file: A00001, A00002, A00003, U00001, U00002" in w
        for w in result.warnings
    )
    a1 = org("A00001")
    assert (a1.kind, a1.name, a1.source) == ("practice", "ALPHA SURGERY", "des-2025-26.csv")
    assert (org("U00001").kind, org("U00001").name) == ("pcn", "ALPHA NORTH PCN")
    row = DesPopulation.objects.get(practice__code="A00003")
    assert (row.pcn_code, row.raw_list_size) == ("U00002", 27900)


def test_ods_files_take_over_and_keep_the_history(tmp_path):
    import_file(DES)
    ids = dict(Organisation.objects.values_list("code", "id"))
    import_file(epraccur(tmp_path))
    import_file(epcn(tmp_path))
    a1, a2, pcn = org("A00001"), org("A00002"), org("U00001")
    assert (a1.name, a1.postcode, str(a1.opened)) == (
        "ALPHA SURGERY (ODS)",
        "AA1 1AA",
        "1974-04-01",
    )
    assert a1.source == "des-2025-26.csv; epraccur.csv"
    assert (a2.name, a2.source) == ("ALDER MEDICAL CENTRE (ODS)", "des-2025-26.csv; ePCN.xlsx")
    assert (pcn.name, pcn.source) == ("ALPHA NORTH PCN (ODS)", "des-2025-26.csv; ePCN.xlsx")
    # merged, not duplicated: the DES rows still belong to the same organisations
    after = dict(Organisation.objects.values_list("code", "id"))
    assert {code: after[code] for code in ids} == ids and len(after) == len(ids) + 1  # + 01A
    assert DesPopulation.objects.get(practice__code="A00001").practice_id == ids["A00001"]


def test_a_lower_ranked_file_does_not_rename_what_ods_named(tmp_path):
    import_file(epraccur(tmp_path))
    import_file(FIXTURES / "map-2026-07.csv")  # names A00001 "ALPHA SURGERY"
    import_file(DES)
    a1 = org("A00001")
    assert (a1.name, a1.source) == ("ALPHA SURGERY (ODS)", "epraccur.csv")
    assert org("A00002").source == "map-2026-07.csv"  # the map defined it, the DES did not


def test_an_ods_file_does_not_rename_what_another_ods_file_named(tmp_path):
    import_file(epraccur(tmp_path, code="A00002", name="ALDER (EPRACCUR)"))
    import_file(epcn(tmp_path))
    assert org("A00002").name == "ALDER (EPRACCUR)"


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            "A00003,ASH",
            "A0003,ASH",
            "line 4, field PRACTICE_CODE: 'A0003' is not an ODS practice code",
        ),
        (",27900,", ",27x00,", "line 4, field RAW_LIST_SIZE"),
        ("U00002,ALPHA SOUTH", "X2,ALPHA SOUTH", "line 4, field PCN_CODE"),
    ],
)
def test_one_malformed_row_refuses_the_file_and_saves_nothing(tmp_path, old, new, words):
    path = tmp_path / "des.csv"
    path.write_text(DES.read_text().replace(old, new))
    before = snapshot()
    with pytest.raises(ImportFailed, match=words):
        import_file(path)
    assert snapshot() == before
    assert not Organisation.objects.exists()


def test_a_pcn_code_in_the_practice_column_refuses_the_file(tmp_path):
    import_file(FIXTURES / "map-2026-07.csv")
    path = tmp_path / "des.csv"
    # U00003 is a PCN in the registry; a DES row naming it as a practice is wrong, not new
    path.write_text(DES.read_text().replace("A00003,ASH", "U00003,ASH"))
    before = snapshot()
    with pytest.raises(ImportFailed, match="row 3, field Practice Code: 'U00003' is in the regis"):
        import_file(path)
    assert snapshot() == before


def test_the_lsoa_file_is_imported_after_the_map_and_totals(tmp_path):
    """Stored since issue 18: import-all loads it after the practices and their PCNs."""
    import shutil

    from openpcn.cli.data import plan_directory

    lsoa = tmp_path / "gp-reg-pat-prac-lsoa-all.csv"
    lsoa.write_text(
        "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS\n"
        "GP_PRAC_PAT_LIST,2026-07-01,A00001,ALPHA SURGERY,E01011959,ALL,7\n"
    )
    shutil.copy(FIXTURES / "map-2026-07.csv", tmp_path / "zz-map.csv")
    known, unknown = plan_directory(tmp_path)
    assert unknown == []
    assert known == [(tmp_path / "zz-map.csv", "gp_reg_map"), (lsoa, "gp_reg_lsoa")]
