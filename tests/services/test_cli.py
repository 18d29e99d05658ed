"""The typer app: iif-payments as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from openpcn.cli.services import app

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def run(raw, monkeypatch, *args):
    monkeypatch.setenv("OPENPCN_DATA", str(raw))
    return CliRunner().invoke(app, ["iif-payments", *args])


def test_json_for_one_pcn(registry_2024, monkeypatch):
    result = run(
        registry_2024, monkeypatch, "--year", "2023-24", "--pcn", "U00070", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    acc08 = next(r for r in rows if r["indicator"] == "ACC-08")
    assert acc08["pcn_code"] == "U00070"
    for key in ("numerator", "denominator", "achievement_pct", "points", "amount"):
        assert acc08[key] is not None
    # the registry's membership as at the achievement date, not the older map's
    assert (
        "membership ods_epcn_2025-01/ePCN.xlsx (observed 2025-01-20) as at 2024-03-31"
        in result.stderr
    )
    assert "nhsd_gp_reg_2022-01/gp-reg-pat-prac-map.csv" not in result.stderr
    assert isinstance(acc08["numerator"], int) and isinstance(acc08["amount"], str)


def test_iif_payments_subcommand_matches(registry_2024, monkeypatch):
    monkeypatch.setenv("OPENPCN_DATA", str(registry_2024))
    args = ["--pcn", "U00147", "--format", "json"]
    a = CliRunner().invoke(app, ["iif", "payments", *args])
    b = CliRunner().invoke(app, ["iif-payments", *args])
    assert a.exit_code == 0 and json.loads(a.stdout) == json.loads(b.stdout)
    acc08 = next(r for r in json.loads(a.stdout) if r["indicator"] == "ACC-08")
    # Its 7 practices on 31 March 2024: 101,600 / 120,379 = 84.40%, below 85%; 723 more
    # appointments reach the lower threshold. (The 1 January 2022 map gave 125,446 / 149,390.)
    assert (acc08["numerator"], acc08["denominator"], acc08["practices"]) == (101600, 120379, 7)
    assert (acc08["achievement_pct"], acc08["points"], acc08["amount"]) == ("84.40", "0.00", "0.00")
    assert (acc08["next_threshold"], acc08["more_to_next_threshold"]) == ("lower", 723)
    assert acc08["counts"] == "appointments"


def test_csv_all_pcns(registry_2024, monkeypatch):
    result = run(registry_2024, monkeypatch, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {
        "pcn_code",
        "indicator",
        "numerator",
        "denominator",
        "achievement_pct",
        "points",
        "amount",
    } <= set(rows[0])
    assert len({r["pcn_code"] for r in rows if r["indicator"] == "ACC-08"}) > 1200


def test_errors(registry_2024, monkeypatch):
    assert run(registry_2024, monkeypatch, "--format", "xml").exit_code == 2
    bad = run(registry_2024, monkeypatch, "--pcn", "ZZZZZ")
    assert bad.exit_code == 1 and "no IIF results for PCN ZZZZZ" in bad.stderr
    missing = run(registry_2024, monkeypatch, "--year", "2021-22")
    assert missing.exit_code == 1 and "no IIF definitions for 2021-22" in missing.stderr
