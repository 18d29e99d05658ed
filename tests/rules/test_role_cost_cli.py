"""`openpcn rules role-cost` through typer's CliRunner."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from openpcn.cli.rules import app
from openpcn.core.fyear import FinancialYear

runner = CliRunner()


def test_role_cost_json_matches_the_published_gp_maximum():
    result = runner.invoke(
        app,
        ["role-cost", "--role", "gp", "--year", "2025-26", "--salary", "82418", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["annual_per_wte"]["total"]["value"] == "105882.41"
    assert data["maximum_per_wte_per_year"]["value"] == "105882"
    assert any(s["key"] == "pay.employer_ni.rate" for s in data["sources"])


def test_role_cost_text_with_band_point_and_region():
    result = runner.invoke(
        app,
        ["role-cost", "--role", "clinical_pharmacist", "--band", "7", "--point", "2",
         "--region", "inner_london", "--wte", "0.8", "--year", "2025-26"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "pay/2025-26.yaml line" in result.stdout
    assert "Reimbursable under ARRS" in result.stdout


def test_default_year_is_the_one_containing_today():
    result = runner.invoke(app, ["role-cost", "--role", "pharmacy_technician", "--point", "1",
                                 "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["year"] == str(FinancialYear.containing(date.today()))


def test_missing_pay_file_and_unknown_role_are_one_line_errors():
    missing = runner.invoke(app, ["role-cost", "--role", "gp", "--year", "2030-31"])
    assert missing.exit_code == 1
    assert "rules/data/pay/2030-31.yaml not found" in missing.output
    unknown = runner.invoke(
        app, ["role-cost", "--role", "gp", "--year", "2023-24", "--salary", "1"]
    )
    assert unknown.exit_code == 1
    assert "role 'gp' is not an ARRS role in 2023-24" in unknown.output
    outside = runner.invoke(
        app, ["role-cost", "--role", "gp", "--year", "2025-26", "--on", "2026-05-01"]
    )
    assert outside.exit_code == 1
    assert "2026-05-01 is outside 2025-26" in outside.output
