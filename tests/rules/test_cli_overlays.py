"""`openpcn rules diff` in words and `openpcn rules overlay show|check`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openpcn.cli.rules import app
from openpcn.rules.loader import DATA_DIR

runner = CliRunner()
FIXTURE = Path(__file__).parent / "fixtures" / "overlays" / "2025-26" / "QAA.yaml"


def test_diff_in_words_is_the_default():
    result = runner.invoke(app, ["diff", "2024-25", "2025-26"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Rules 2024-25 -> 2025-26: ")
    assert "\nARRS\n" in out and "\nRoles\n" in out and "\nPayments\n" in out
    assert "- Enhanced Access: £7.975 per adjusted patient in 2024-25; £8.427 in 2025-26" in out
    table = runner.invoke(app, ["diff", "2024-25", "2025-26", "--format", "table"])
    assert table.exit_code == 0 and "Rules 2024-25 -> 2025-26 (" in table.stdout


def test_overlay_check_good_and_bad(tmp_path):
    good = runner.invoke(app, ["overlay", "check", str(FIXTURE)])
    assert good.exit_code == 0, good.output
    assert "a valid overlay of 2025-26 for NHS Alpha Integrated Care Board (QAA), 2 rows" in (
        good.stdout
    )
    assert "Care Home Premium: £150.00 per bed a year" in good.stdout
    bad = tmp_path / "QAA.yaml"
    bad.write_text(FIXTURE.read_text().replace('value: "150.00"', 'value: "-150.00"'))
    result = runner.invoke(app, ["overlay", "check", str(bad)])
    assert result.exit_code == 1
    assert "QAA.yaml line 13" in result.output and "must not be negative" in result.output


@pytest.fixture
def rules_dir(tmp_path, monkeypatch):
    for name in ("2025-26.yaml", "sources.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    (tmp_path / "overlays" / "2025-26").mkdir(parents=True)
    shutil.copy(FIXTURE, tmp_path / "overlays" / "2025-26" / "QAA.yaml")
    monkeypatch.setenv("OPENPCN_RULES_DIR", str(tmp_path))
    return tmp_path


@pytest.mark.django_db
def test_overlay_show_from_the_file(rules_dir):
    result = runner.invoke(app, ["overlay", "show", "qaa", "2025-26"])
    assert result.exit_code == 0, result.output
    assert "Alpha frailty and care home variation (test)" in result.stdout
    assert "file QAA.yaml" in result.stdout
    assert "Enhanced Access: £9.000 per adjusted patient from 1 October 2025" in result.stdout
    data = json.loads(runner.invoke(app, ["overlay", "show", "QAA", "2025-26", "--format",
                                          "json"]).stdout)  # fmt: skip
    assert data["icb"] == "QAA" and data["verified"] is False
    assert data["rows"][0]["varied_by"].startswith("national rule, varied by")
    missing = runner.invoke(app, ["overlay", "show", "QBB", "2025-26"])
    assert missing.exit_code == 1 and "QBB has no overlay for 2025-26" in missing.output
