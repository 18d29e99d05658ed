"""Imports without the module's real data: a trust file relating trusts to a known ICB, and a
file refused (or failing half way) saving nothing."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from openpcn.data.registry.ingest_common import ImportFailed
from openpcn.data.registry.loaders import import_file
from openpcn.data.registry.models import IngestedFile, Lsoa, Organisation, Relation
from tests.neighbourhoods.conftest import ETR, IOD

pytestmark = pytest.mark.django_db


def test_trust_relations_to_a_known_icb(db, raw):
    Organisation.objects.create(code="QOP", kind="icb", name="NHS Greater Manchester ICB")
    result = import_file(raw / ETR)
    assert result.status == "loaded"
    rel = Relation.objects.get(child__code="R0A", parent__code="QOP")
    assert rel.kind == "in_icb" and rel.start.isoformat() == "2017-10-01" and rel.end is None


def test_a_bad_iod_file_saves_nothing(db, tmp_path, raw):
    """The real workbook with one bad cell near the end: refused whole, no LSOA saved."""
    path = tmp_path / "File_1_IoD2025_broken.xlsx"
    shutil.copy(raw / IOD, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["IMD25"]
    ws.cell(row=ws.max_row, column=6, value=12)
    wb.save(path)
    before = (IngestedFile.objects.count(), Lsoa.objects.count(), Organisation.objects.count())
    with pytest.raises(ImportFailed, match=r"row 33756, field IMD_DECILE: 12 is not a decile"):
        import_file(path)
    after = (IngestedFile.objects.count(), Lsoa.objects.count(), Organisation.objects.count())
    assert after == before


def test_a_failure_while_loading_rolls_back(db, raw, monkeypatch):
    """A loader that fails half way (after the LSOAs were written) leaves nothing."""
    from openpcn.data.registry import ingestors

    real = ingestors.load_lsoas

    def failing(parsed, ingested):
        real(parsed, ingested)
        assert Lsoa.objects.exists()
        raise ImportFailed("simulated failure after writing")

    monkeypatch.setitem(ingestors.LOADERS, "ons_imd_lookup", failing)
    with pytest.raises(ImportFailed):
        import_file(raw / "ons_imd2019_lsoa11_lookup_2019-12/IMD_2019_Lookup_in_England.csv")
    assert not Lsoa.objects.exists() and not IngestedFile.objects.exists()


def test_through_the_import_command(db, raw):
    """`openpcn data import` recognises the trusts file and the lookup by their content."""
    from typer.testing import CliRunner

    from openpcn.cli.main import app

    result = CliRunner().invoke(
        app,
        [
            "data",
            "import",
            str(raw / ETR),
            str(raw / "ons_imd2019_lsoa11_lookup_2019-12/IMD_2019_Lookup_in_England.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(IngestedFile.objects.values_list("kind", flat=True)) == [
        "ods_etr",
        "ons_imd_lookup",
    ]
    assert Lsoa.objects.filter(vintage=2011).count() == 32844


def test_a_newer_file_replaces_and_derived_deciles_never_replace_published(db, tmp_path):
    from tests.neighbourhoods.test_parsers import IOD19, IOD25, workbook

    rows = [
        ("E01000001", "A", "E09000001", "City", 1, 1),
        ("E01000002", "B", "E09000001", "City", 2, 10),
    ]
    import_file(workbook(tmp_path, IOD25, rows, name="first.xlsx"))
    swapped = [
        ("E01000001", "A", "E09000001", "City", 2, 10),
        ("E01000002", "B", "E09000001", "City", 1, 1),
    ]
    result = import_file(workbook(tmp_path, IOD25, swapped, name="second.xlsx"))
    assert any("2 LSOA(s) of 2021 replaced" in w for w in result.warnings)
    assert Lsoa.objects.get(code="E01000001", vintage=2021).imd_decile == 10
    import_file(workbook(tmp_path, IOD19, rows, "IMD2019", notes=True, name="iod19.xlsx"))
    lookup = tmp_path / "lookup.csv"
    lookup.write_text(
        "LSOA11CD,LSOA11NM,LAD19CD,LAD19NM,IMD19,FID\n"
        "E01000001,A,E09000001,City,2,1\nE01000002,B,E09000001,City,1,2\n"
    )
    result = import_file(lookup)
    assert result.rows_loaded == 0
    assert any("kept their published deciles" in w for w in result.warnings)
    old = Lsoa.objects.get(code="E01000001", vintage=2011)
    assert (old.imd_decile, old.decile_derived) == (1, False)
