"""The ``rota solve`` command on a benchmark text file and a JSON instance."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from openpcn.cli.rota import app
from openpcn.rota.pcn.instance import Demand
from openpcn.rota.pcn.jsonio import dump_instance
from openpcn.rota_benchmark.scorer import score_files
from tests.rota.tiny import person, tiny
from tests.rota_benchmark.instances import TINY

runner = CliRunner()


def test_solve_benchmark_text(tmp_path):
    inst = tmp_path / "tiny.txt"
    inst.write_text(TINY)
    out = tmp_path / "tiny.roster"
    res = runner.invoke(
        app, ["solve", str(inst), "--time-limit", "5", "--out", str(out), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout.strip().splitlines()[-1])
    assert doc["status"] == "OPTIMAL"
    assert doc["objective"] == score_files(inst, out).penalty
    assert {"instance", "status", "objective", "best_bound", "seconds"} <= doc.keys()


def test_solve_json_instance(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    inst = tiny(
        rooms=1, staff=[person("G1"), person("G2")], demand=[Demand("A", "morning", target=2)]
    )
    path = tmp_path / "pcn.json"
    path.write_text(json.dumps(dump_instance(inst)))
    res = runner.invoke(app, ["solve", str(path), "--time-limit", "5", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout.strip().splitlines()[-1])
    assert doc["status"] == "OPTIMAL"
    assert any("has 1 room" in u for u in doc["unmet"])
    sol = json.loads(Path("pcn.solution.json").read_text())
    assert sum(a["session"] == "morning" for a in sol["assignments"]) == 1  # one room


def test_bad_file_exits_with_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(TINY.replace("B,0,D,2", "Z,0,D,2"))
    res = runner.invoke(app, ["solve", str(bad), "--format", "json"])
    assert res.exit_code == 2
    assert "line 13" in res.output
