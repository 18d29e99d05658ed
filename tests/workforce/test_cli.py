"""`openpcn workforce benchmark`: the NWRS file in OPENPCN_DATA against the registry's
members and registered patients as at the extract nearest the census (1 July 2026)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from openpcn.cli.workforce import app
from tests.conftest import real_registry

from .conftest import DATA, NWRS, QUIN_AGE, need

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def runner(django_db_setup, django_db_blocker):
    need(NWRS)
    files = [QUIN_AGE.parent / "gp-reg-pat-prac-map.csv", need(QUIN_AGE)]
    with real_registry(django_db_blocker, files):
        yield CliRunner()


def run(runner, *args, data=DATA):
    return runner.invoke(app, ["benchmark", *args], env={"OPENPCN_DATA": str(data)})


def test_json(runner):
    result = run(runner, "--pcn", "u96599", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["pcn_code"] == "U96599"
    assert doc["population"] > 0
    assert [s["as_of"] for s in doc["sources"]] == ["2026-06-30", "2026-07-01"]
    members = "members: nhsd_gp_reg_2026-07/gp-reg-pat-prac-map.csv (observed 2026-07-01)"
    assert members in doc["sources"][1]["description"]
    roles = {r["role"]: r for r in doc["roles"]}
    cp = roles["clinical_pharmacist"]
    assert cp["england"]["pcns"] == 1271
    assert cp["fte_per_10k"] == pytest.approx(float(cp["fte"]) * 10_000 / doc["population"])
    assert "figures" not in doc


def test_table(runner):
    result = run(runner, "--pcn", "U96599")
    assert result.exit_code == 0, result.output
    assert "HARINGEY - NORTH EAST PCN" in result.stdout
    assert "Clinical pharmacist" in result.stdout
    assert "census 2026-06-30" in result.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--pcn", "XXX"], "PCN XXX is not in"),
        (["--pcn", "U96599", "--workforce-file", "/nonexistent.csv"], "does not exist"),
    ],
)
def test_errors(runner, args, words):
    result = run(runner, *args)
    assert result.exit_code == 1
    assert words in " ".join(result.output.split())


def test_missing_data_dir(runner, tmp_path):
    result = run(runner, "--pcn", "U96599", data=tmp_path)
    assert result.exit_code == 1
    assert "no NWRS PCN workforce CSV" in " ".join(result.output.split())
