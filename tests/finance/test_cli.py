"""`openpcn finance entitlements`: CSV and JSON on stdout, the population file named on stderr."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from openpcn.cli.finance import COLUMNS, app
from tests.finance.conftest import DATA, FILE_2425, need

runner = CliRunner()
pytestmark = pytest.mark.django_db  # the registry is asked for members (empty here)


@pytest.fixture
def data_env(monkeypatch):
    monkeypatch.setenv("OPENPCN_DATA", str(need(DATA)))


def run(*args):
    return runner.invoke(app, ["entitlements", *args])


def test_csv_for_one_pcn(data_env):
    result = run("--year", "2024-25", "--pcn", "U74819", "--format", "csv", "--beds", "40")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == COLUMNS
    got = {r["stream"]: r for r in rows}
    assert set(got) >= {"arrs", "arrs_gp", "core_pcn_funding", "enhanced_access",
                        "care_home_premium"}  # fmt: skip
    assert got["arrs"]["annual_amount"] == "1001131.73"  # 22.894 x 43,729
    assert got["arrs"]["population"] == "43729" and got["arrs"]["rate"] == "22.894"
    assert got["care_home_premium"]["annual_amount"] == "5088.00"
    assert "pcn_data_2024-25_weighted.csv" in result.stderr


def test_json_every_pcn(data_env):
    result = run("--year", "2024-25", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len({r["pcn_code"] for r in rows}) == 1273
    assert all(set(COLUMNS) == set(r) for r in rows[:20])
    assert isinstance(rows[0]["verified"], bool)


def test_year_without_a_population_file_says_so(data_env):
    result = run("--year", "2022-23")
    assert result.exit_code == 1
    assert "no NHS England PCN DES population file for 2022-23" in result.stderr
    assert "2024-25 (pcn_data_2024-25_weighted.csv)" in result.stderr
    assert result.stdout == ""


def test_explicit_file_of_another_year_is_flagged(data_env):
    result = run("--year", "2023-24", "--pcn", "U74819", "--population-file", str(need(FILE_2425)),
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert all("populations from the 2024-25 file, not 2023-24" in r["notes"] for r in rows)


def test_2025_26_arrs_unavailable(data_env):
    result = run("--year", "2025-26", "--pcn", "U74819", "--format", "json")
    assert result.exit_code == 0, result.stderr
    arrs = next(r for r in json.loads(result.stdout) if r["stream"] == "arrs")
    assert arrs["available"] is False and arrs["annual_amount"] is None
    assert "no weighted population" in arrs["reason"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2024"], "not a financial year"),
        (["--year", "2018-19"], "no rule file for 2018-19"),
        (["--year", "2024-25", "--pcn", "U99999"], "U99999 is not in"),
        (["--year", "2024-25", "--beds", "3"], "--beds needs --pcn"),
    ],
)
def test_bad_input(data_env, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())
