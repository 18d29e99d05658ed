"""Storing NHS England Digital's patients per practice per LSOA (gp-reg-pat-prac-lsoa-all.csv
and its -male/-female files): recognised by its header, loaded in one transaction, a bad row
refused naming file, line and field with nothing saved, a corrected file of the same extract
replacing the first, men and women never added to the persons counts; and `openpcn data
download` fetching it from the quarterly release (or saying the network is unavailable)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from typer.testing import CliRunner

from openpcn.cli.main import app
from openpcn.data.registry import lsoa_registrations as store
from openpcn.data.registry.loaders import ImportFailed, detect_kind, import_file
from openpcn.data.registry.models import IngestedFile, LsoaRegistration
from openpcn.registry import sources
from openpcn.registry.fetch import download
from tests.neighbourhoods.residence_data import ALL, MAP, practice_totals, write
from tests.registry.test_fetch import site, zipped  # noqa: F401  (the local server fixture)
from tests.registry.test_loaders import snapshot

pytestmark = pytest.mark.django_db
AREAS = ["E01011954", "E01011955", "E01033465", "E01035011"]
DAY = date(2026, 7, 1)


def rows():
    from tests.neighbourhoods.residence_data import spread

    return spread({p: AREAS for p in practice_totals()})


@pytest.fixture
def registry():
    import_file(MAP)
    import_file(ALL)


def test_the_three_files_of_a_release_load_and_persons_are_not_double_counted(registry, tmp_path):
    data = rows()
    files = [
        write(tmp_path / f"gp-reg-pat-prac-lsoa-{s.lower()}.csv", data, s)
        for s in ("ALL", "MALE", "FEMALE")
    ]
    assert [detect_kind(f)[0] for f in files] == ["gp_reg_lsoa"] * 3
    for f in files:
        result = import_file(f)
        assert (result.status, result.kind, result.as_of) == ("loaded", "gp_reg_lsoa", DAY)
        assert not any("do not add up" in w for w in result.warnings)
    assert LsoaRegistration.objects.count() == 3 * len(data)
    assert set(LsoaRegistration.objects.values_list("lsoa_vintage", flat=True)) == {2021}
    assert store.extracts() == [(DAY, 2021)]
    loaded = store.persons(DAY, 2021)
    assert loaded.sexes == "ALL" and loaded.files == ("gp-reg-pat-prac-lsoa-all.csv",)
    by_practice: dict[str, int] = {}
    for (practice, _lsoa), n in loaded.counts.items():
        by_practice[practice] = by_practice.get(practice, 0) + n
    assert by_practice == practice_totals()  # each practice's published total, once
    # an extract loaded only as -male and -female is read as their sum, equal to the ALL rows
    LsoaRegistration.objects.filter(sex="ALL").delete()
    assert store.persons(DAY, 2021).counts == loaded.counts


def test_a_bad_row_names_file_line_and_field_and_saves_nothing(registry, tmp_path):
    path = write(tmp_path / "gp-reg-pat-prac-lsoa-all.csv", rows())
    lines = path.read_text().splitlines()
    lines[4] = lines[4].rsplit(",", 1)[0] + ",twelve"
    path.write_text("\n".join(lines) + "\n")
    before = snapshot()
    with pytest.raises(ImportFailed) as e:
        import_file(path)
    assert "gp-reg-pat-prac-lsoa-all.csv" in str(e.value)
    assert "line 5" in str(e.value) and "NUMBER_OF_PATIENTS" in str(e.value)
    assert snapshot() == before


def test_a_code_that_is_not_a_practice_is_refused(registry, tmp_path):
    path = write(tmp_path / "gp-reg-pat-prac-lsoa-all.csv", [("U00001", "E01035011", 9)])
    before = snapshot()
    with pytest.raises(ImportFailed, match="PRACTICE_CODE: U00001 is in the registry as a pcn"):
        import_file(path)
    assert snapshot() == before


def test_a_corrected_file_of_the_same_extract_replaces_the_first(registry, tmp_path):
    first = write(tmp_path / "gp-reg-pat-prac-lsoa-all.csv", rows())
    import_file(first)
    corrected = [("A00001", "E01035011", 19_953), ("A00001", "NO2021", 47)]
    (tmp_path / "v2").mkdir()
    result = import_file(write(tmp_path / "v2" / "gp-reg-pat-prac-lsoa-all.csv", corrected))
    assert "replaced the ALL rows of the 2026-07-01 extract" in result.warnings[-1]
    assert not any("do not add up" in w for w in result.warnings)  # 19,953 + 47 = 20,000
    assert store.persons(DAY, 2021).counts == {
        ("A00001", "E01035011"): 19_953,
        ("A00001", "NO2021"): 47,
    }
    assert import_file(first).status == "unchanged"  # the same file again: nothing to do


def test_rows_that_do_not_add_up_to_the_practice_total_are_named(registry, tmp_path):
    short = [("A00001", "E01035011", 19_950), ("A00001", "NO2021", 40)]
    result = import_file(write(tmp_path / "gp-reg-pat-prac-lsoa-all.csv", short))
    assert result.status == "loaded"
    assert (
        "1 practice(s) have LSOA rows that do not add up to their total of the same extract, "
        "e.g. A00001: 19,990 by LSOA, 20,000 in the practice totals"
    ) in result.warnings


def test_2011_lsoas_are_recorded_as_such(registry, tmp_path):
    old = [("A00001", "E01011954", 10), ("A00001", "NO2011", 2)]
    import_file(write(tmp_path / "gp-reg-pat-prac-lsoa-all.csv", old, extract="2021-01-04"))
    assert store.extracts() == [(date(2021, 1, 4), 2011)]
    assert store.choose(DAY) == (date(2021, 1, 4), 2011)
    assert store.choose(date(2020, 1, 1)) == (date(2021, 1, 4), 2011)  # the earliest after


def test_through_the_import_command(registry, tmp_path):
    path = write(tmp_path / "gp-reg-pat-prac-lsoa-all.csv", rows())
    result = CliRunner().invoke(app, ["data", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "gp_reg_lsoa, as of 2026-07-01, loaded" in result.output
    assert IngestedFile.objects.filter(kind="gp_reg_lsoa").count() == 1


SERIES = "/data-and-information/publications/statistical/patients-registered-at-a-gp-practice"


def test_download_follows_the_newest_quarterly_release_to_the_lsoa_zip(site, tmp_path):  # noqa: F811
    (source,) = sources.by_name(["gp-reg-pat-prac-lsoa-all"])
    source = dataclasses.replace(source, url=site.base + SERIES)
    site.files[SERIES] = (
        f'<a href="{SERIES}/november-2026">Nov</a><a href="{SERIES}/october-2026">Oct</a>'
    ).encode()
    site.files[f"{SERIES}/october-2026"] = (
        b'<a href="/CA/1B2C3D/gp-reg-pat-prac-lsoa-male-female-Oct-26.zip">LSOA</a>'
    )
    body = write(tmp_path / "src.csv", rows()).read_bytes()
    site.files["/CA/1B2C3D/gp-reg-pat-prac-lsoa-male-female-Oct-26.zip"] = zipped(
        **{"gp-reg-pat-prac-lsoa-all.csv": body, "gp-reg-pat-prac-lsoa-male.csv": body}
    )
    (result,) = download([source], tmp_path / "data")
    assert result.status == "written", result.error
    folder = tmp_path / "data" / "nhsd_gp_reg_lsoa_latest"
    assert (folder / "gp-reg-pat-prac-lsoa-all.csv").read_bytes() == body
    assert f"{SERIES}/november-2026" not in [p for p, _ in site.requests]
    assert detect_kind(folder / "gp-reg-pat-prac-lsoa-all.csv")[0] == "gp_reg_lsoa"


def test_download_says_so_when_the_network_is_unavailable(tmp_path, monkeypatch):
    (source,) = sources.by_name(["gp-reg-pat-prac-lsoa-all"])
    offline = dataclasses.replace(source, url="http://127.0.0.1:9/nothing-listens-here")
    monkeypatch.setattr(sources, "SOURCES", (offline,))
    result = CliRunner().invoke(app, ["data", "download", "--into", str(tmp_path)])
    assert result.exit_code == 1
    assert "gp-reg-pat-prac-lsoa-all: failed" in result.output
    assert "could not reach 127.0.0.1:9" in result.output and "network" in result.output
    assert "Traceback" not in result.output
