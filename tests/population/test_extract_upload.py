"""A PCN's own extract: imported with `openpcn population import --pcn` or uploaded in the web
app, it becomes the PCN's dataset; anything wrong attaches nothing and keeps no files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.population import cohorts
from openpcn.data.population.datasets import AttachError, attach
from openpcn.data.population.models import PopulationDataset
from openpcn.population.importer import import_csv

pytestmark = pytest.mark.django_db
GOOD = "9912003888"
PATIENTS = (
    "nhs_number,birth_date,sex,ethnicity,practice_code,care_home\n"
    f"{GOOD},1940-01-01,F,A,A00001,true\n"
    "1234567890,1940-01-01,F,A,A00001,false\n"
)
EVENTS = f"nhs_number,code,date,value,unit\n{GOOD},271649006,2026-10-02,141,mm[Hg]\n"


def zipped(files: dict[str, str], name: str = "extract.zip") -> SimpleUploadedFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, text in files.items():
            z.writestr(n, text)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/zip")


@pytest.fixture
def popdir(tmp_path):
    with override_settings(POPULATION_DIR=tmp_path / "population"):
        cohorts.clear()
        yield tmp_path / "population"
        cohorts.clear()


def test_imported_extract_carries_its_date_and_size(tmp_path):
    (tmp_path / "patients.csv").write_text(PATIENTS)
    (tmp_path / "clinical_events.csv").write_text(EVENTS)
    import json

    import_csv(tmp_path, tmp_path / "ds")
    meta = json.loads((tmp_path / "ds" / "metadata.json").read_text())
    assert meta["patients"] == 1 and meta["index_date"] == "2026-10-02"
    assert meta["synthetic"] is False


def test_attach_refuses_an_extract_of_another_pcn(orgs, tmp_path):
    (tmp_path / "patients.csv").write_text(PATIENTS.replace("A00001", "B00001"))
    import_csv(tmp_path, tmp_path / "ds")
    with pytest.raises(AttachError, match="none of the 1 patients"):
        attach("U00001", tmp_path / "ds")
    assert not PopulationDataset.objects.exists()
    ds, note = attach("U00002", tmp_path / "ds")
    assert ds.patients == 1 and not ds.synthetic and note == ""


def test_pcn_lead_uploads_the_extract(client, users, popdir):
    client.force_login(users["pcn_lead"])
    assert client.get("/network/U00001/population/extract/").status_code == 200
    page = client.post(
        "/network/U00001/population/extract/",
        {"extract": zipped({"x/patients.csv": PATIENTS, "x/clinical_events.csv": EVENTS})},
    )
    body = page.content.decode()
    assert page.status_code == 200, body
    assert 'data-testid="loaded"' in body and "invalid NHS number" in body.replace("_", " ")
    ds = PopulationDataset.objects.get(pcn__code="U00001")
    assert ds.patients == 1 and not ds.synthetic
    event = AuditEvent.objects.get(action="population extract loaded")
    assert GOOD not in str(event.detail)
    overview = client.get("/network/U00001/population/").content.decode()
    assert "Population health" in overview and "Synthetic data" not in overview


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.csv", b"a,b\n"), "Upload a .zip file"),
        (SimpleUploadedFile("x.zip", b"not a zip"), "not a readable .zip"),
        (lambda: zipped({"readme.txt": "hello"}), "neither patients.csv"),
        (lambda: zipped({"patients.csv": PATIENTS.replace("A00001", "B00001")}), "None of the"),
    ],
)
def test_bad_uploads_attach_nothing(client, users, popdir, upload, message):
    client.force_login(users["pcn_lead"])
    upload = upload() if callable(upload) else upload
    page = client.post("/network/U00001/population/extract/", {"extract": upload})
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not PopulationDataset.objects.exists()
    assert not any(popdir.rglob("*.parquet"))
    assert AuditEvent.objects.filter(action="population extract refused").exists()


def test_only_the_pcn_lead_and_admins_load_extracts(client, users, popdir):
    for role in ("practice_manager", "clinician", "icb_commissioner"):
        client.force_login(users[role])
        assert client.get("/network/U00001/population/extract/").status_code == 403


def test_a_path_in_the_zip_cannot_escape_the_extract_folder(client, users, popdir, tmp_path):
    client.force_login(users["pcn_lead"])
    page = client.post(
        "/network/U00001/population/extract/", {"extract": zipped({"../../patients.csv": PATIENTS})}
    )
    assert page.status_code == 200
    assert not (popdir.parent / "patients.csv").exists()
    assert PopulationDataset.objects.get(pcn__code="U00001").path.startswith(str(popdir))


def test_cli_import_with_pcn_attaches(orgs, tmp_path):
    from typer.testing import CliRunner

    from openpcn.cli.population import app

    (tmp_path / "ex").mkdir()
    (tmp_path / "ex" / "patients.csv").write_text(PATIENTS)
    out = tmp_path / "ds"
    result = CliRunner().invoke(
        app, ["import", str(tmp_path / "ex"), "--csv", "--out", str(out), "--pcn", "U00001"]
    )
    assert result.exit_code == 0, result.output
    assert PopulationDataset.objects.get(pcn__code="U00001").path == str(out.resolve())
    wrong = CliRunner().invoke(app, ["attach", str(out), "--pcn", "U00002"])
    assert wrong.exit_code == 1 and "none of the 1 patients" in wrong.output
    assert GOOD not in result.output + wrong.output


def test_an_uploaded_extract_is_worked_out_before_the_page_answers(
    client, users, popdir, django_capture_on_commit_callbacks
):
    client.force_login(users["pcn_lead"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = client.post(
            "/network/U00001/population/extract/",
            {"extract": zipped({"patients.csv": PATIENTS, "clinical_events.csv": EVENTS})},
        )
    assert page.status_code == 200 and len(callbacks) == 1
    ds = PopulationDataset.objects.get(pcn__code="U00001")
    assert list((Path(ds.path) / "results").glob("aggregates-*.json"))
    assert not AuditEvent.objects.filter(action="population aggregates viewed").exists()
