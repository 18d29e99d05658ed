"""Loaders: one transaction, verified, recorded, idempotent; bad files change nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache

from openpcn.data.registry.explorer import size_report as pcn_sizes_report
from openpcn.data.registry.loaders import ImportFailed, import_file
from openpcn.data.registry.models import (
    DesPopulation,
    IngestedFile,
    Organisation,
    RegisteredPopulation,
    Relation,
)
from openpcn.data.registry.queries import contains, membership_as_at

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = Path(__file__).parent / "broken"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def snapshot() -> dict:
    """Every row of every registry table, to prove a failed import changed nothing."""
    out = {}
    for model in apps.get_app_config("registry").get_models():
        out[model.__name__] = sorted(map(repr, model.objects.values_list()))
    return out


@pytest.fixture
def loaded():
    for name in ("map-2026-07.csv", "all-2026-07.csv"):
        import_file(FIXTURES / name)


def test_map_creates_the_tree_and_membership(loaded):
    assert Organisation.objects.get(code="U00001").kind == "pcn"
    assert Organisation.objects.get(code="QAA").kind == "icb"
    assert Organisation.objects.get(code="01A").kind == "sub_icb"
    assert not Organisation.objects.filter(code="U", kind="pcn").exists()
    members = membership_as_at(date(2026, 7, 1))
    assert members == {
        "A00001": "U00001",
        "A00002": "U00001",
        "A00003": "U00002",
        "B00001": "U00003",
        "B00002": "U",
    }
    assert membership_as_at(date(2026, 6, 30)) == {}  # nothing known before the extract
    assert contains("QAA", "U00001", date(2026, 8, 1))
    assert contains("QAA", "A00002", date(2026, 8, 1))
    assert not contains("QAA", "B00001", date(2026, 8, 1))


def test_report_figures_from_fixtures(loaded):
    report = pcn_sizes_report(date(2026, 7, 1), 30000, 50000)
    # U00001 = 35,000 (in band); U00002 = 28,000 (below); U00003 = 60,000 (above); U skipped
    assert report["pcn_count"] == 3
    assert (report["in_band"], report["below"], report["above"]) == (1, 1, 1)
    assert report["in_band_pct"] == 33.3
    assert report["median"] == 35000
    assert report["practices_matched"] == 5
    assert report["membership_as_of"] == report["population_as_of"] == "2026-07-01"
    by_icb = {i["icb_code"]: i for i in report["by_icb"]}
    assert by_icb["QAA"]["pcn_count"] == 2 and by_icb["QBB"]["pcn_count"] == 1


def test_reimporting_the_same_file_changes_nothing(loaded):
    before = snapshot()
    result = import_file(FIXTURES / "map-2026-07.csv")
    assert result.status == "unchanged"
    assert snapshot() == before


def test_ingest_record(loaded):
    record = IngestedFile.objects.get(name="all-2026-07.csv")
    assert record.kind == "gp_reg_all" and record.as_of == date(2026, 7, 1)
    assert record.rows_read == 5 and record.rows_loaded == 5 and len(record.sha256) == 64


def test_a_second_file_for_the_same_extract_is_refused_whole(loaded):
    before = snapshot()
    with pytest.raises(ImportFailed):
        import_file(FIXTURES / "all-2026-07-changed.csv")
    assert snapshot() == before


def test_des_file_loads_and_drops_the_total_row(loaded):
    result = import_file(FIXTURES / "des-2025-26.csv")
    assert result.rows_loaded == 3
    assert any("total row" in w for w in result.warnings)
    row = DesPopulation.objects.get(practice__code="A00001")
    assert row.financial_year == "2025-26"
    assert (row.raw_list_size, int(row.adjusted_population)) == (19800, 20500)


def test_a_practice_only_the_des_file_names_is_recorded_from_it(loaded, tmp_path):
    text = (FIXTURES / "des-2025-26.csv").read_text().splitlines()
    text.insert(2, "Z99999,NO SUCH PRACTICE,U00001,ALPHA NORTH PCN,QAA,NHS Alpha,Y01,North,5,5,Yes")
    path = tmp_path / "unknown-practice-des.csv"
    path.write_text("\n".join(text) + "\n")
    result = import_file(path)
    assert result.rows_loaded == 4
    new = Organisation.objects.get(code="Z99999")
    assert (new.kind, new.name, new.source) == ("practice", "NO SUCH PRACTICE", path.name)
    assert DesPopulation.objects.get(practice=new).pcn_code == "U00001"


BROKEN_FILES = sorted(
    p.name for p in BROKEN.glob("*.csv") if not p.name.startswith("unknown-practice")
)


@pytest.mark.parametrize("name", BROKEN_FILES)
def test_broken_files_are_refused_with_file_and_nothing_changes(loaded, name):
    before = snapshot()
    with pytest.raises(ImportFailed) as info:
        import_file(BROKEN / name)
    assert name in str(info.value)
    assert snapshot() == before


def test_xlsx_without_the_expected_sheet(loaded, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Something else"
    wb.active.append(["PCN Code", "PCN Name"])
    path = tmp_path / "ePCN.xlsx"
    wb.save(path)
    before = snapshot()
    with pytest.raises(ImportFailed, match="ePCN.xlsx"):
        import_file(path)
    assert snapshot() == before


def test_practice_rows_stored_pcn_rows_not(loaded):
    assert RegisteredPopulation.objects.filter(org__kind="pcn").count() == 0
    assert RegisteredPopulation.objects.filter(org__kind="practice").count() == 5
    assert Relation.objects.filter(kind="pcn_member").count() == 5
