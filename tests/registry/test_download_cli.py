"""`openpcn data download` against a local HTTP server (no other network)."""

from __future__ import annotations

from typer.testing import CliRunner

from openpcn.cli.main import app
from openpcn.registry import sources
from tests.registry.test_fetch import site, src  # noqa: F401  (the local server fixture)

runner = CliRunner()


def test_download_is_idempotent_and_reports_failures(site, tmp_path, monkeypatch):  # noqa: F811
    site.files["/epraccur.csv"] = b"A81001,THE PRACTICE\n"
    site.files["/map.csv"] = b"PRACTICE_CODE\n"
    monkeypatch.setattr(
        sources,
        "SOURCES",
        (src(site, "/epraccur.csv"), src(site, "/map.csv", "gp-reg-pat-prac-map.csv")),
    )
    first = runner.invoke(app, ["data", "download", "--into", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "epraccur.csv: written" in first.output
    second = runner.invoke(app, ["data", "download", "--into", str(tmp_path)])
    assert "epraccur.csv: unchanged" in second.output
    site.mode = "fail"
    site.files["/epraccur.csv"] = b"changed\n"
    third = runner.invoke(app, ["data", "download", "--into", str(tmp_path)])
    assert third.exit_code == 1 and "failed" in third.output
    assert (tmp_path / "epraccur.csv").read_bytes() == b"A81001,THE PRACTICE\n"
