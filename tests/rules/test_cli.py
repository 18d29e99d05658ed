"""`openpcn rules show|diff` through typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from openpcn.cli.rules import app

runner = CliRunner()


def test_show_json():
    result = runner.invoke(app, ["show", "2024-25", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["year"] == "2024-25"
    rows = {(r["key"], r["applies_from"]): r for r in data["rules"]}
    rate = rows[("arrs_rate_per_weighted_patient", "2024-04-01")]
    assert rate["value"] == "22.894" and rate["verified"] is True
    assert rows[("arrs_max_reimbursement.advanced_practitioner", "2024-04-01")]["verified"] is False
    assert "gp" in {r["id"] for r in data["roles"]}


def test_show_csv_with_prefix():
    args = ["show", "2023/24", "--format", "csv", "--prefix", "arrs_max_reimb"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 31
    assert all(r["key"].startswith("arrs_max_reimbursement.") for r in rows)
    cp = [r for r in rows if r["key"] == "arrs_max_reimbursement.clinical_pharmacist"]
    assert [(r["applies_from"], r["value"]) for r in cp] == [
        ("2023-04-01", "59312"),
        ("2023-07-01", "62340"),
    ]


def test_show_table_marks_unverified():
    result = runner.invoke(app, ["show", "2021-22"])
    assert result.exit_code == 0, result.output
    assert "arrs_rate_per_weighted_patient" in result.stdout
    assert "UNVERIFIED" in result.stdout
    assert "ARRS roles 2021-22" in result.stdout


def test_diff_json_and_csv():
    result = runner.invoke(app, ["diff", "2023-24", "2024-25", "--format", "json"])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    by_key = {c["key"]: c for c in changes}
    assert by_key["arrs_gp_rate_per_weighted_patient"]["change"] == "added"
    assert by_key["arrs_rate_per_weighted_patient"]["change"] == "changed"
    assert "22.671" in by_key["arrs_rate_per_weighted_patient"]["before"]
    assert by_key["gp"]["change"] == "role_added"
    csv_result = runner.invoke(app, ["diff", "2023-24", "2024-25", "--format", "csv"])
    assert len(list(csv.DictReader(io.StringIO(csv_result.stdout)))) == len(changes)


def test_diff_table():
    result = runner.invoke(app, ["diff", "2019-20", "2020-21"])
    assert result.exit_code == 0, result.output
    assert "Rules 2019-20 -> 2020-21" in result.stdout


def test_bad_year_is_one_line_error():
    result = runner.invoke(app, ["show", "2030-31"])
    assert result.exit_code == 1
    assert "no rule file for 2030-31" in result.output
    result = runner.invoke(app, ["diff", "2023-24", "soon"])
    assert result.exit_code == 1
    assert "'soon' is not a financial year" in result.output


def test_show_defaults_to_the_year_today_falls_in():
    from openpcn.core.fyear import FinancialYear

    result = runner.invoke(app, ["show", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["year"] == str(FinancialYear.current())


def test_carried_rows_say_so():
    result = runner.invoke(app, ["show", "2026-27", "--format", "json"])
    data = json.loads(result.stdout)
    carried = [r for r in data["rules"] if r["carried_from"]]
    assert carried and all(not r["verified"] for r in carried)
    assert all("assumed unchanged from 2025-26" in r["caveat"] for r in carried)
    keys = {r["key"] for r in data["rules"]}
    assert "capacity_access_support_per_adjusted_patient" not in keys
