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


def _reports(stderr: str) -> list[tuple[float, int, float | None]]:
    """The progress lines of a solve: (seconds, objective, bound or None)."""
    import re

    pattern = r"\s*([\d.]+) s  objective ([\d,]+)  (?:bound ([\d,]+)|\(no bound yet\))"
    rows = []
    for line in stderr.splitlines():
        m = re.match(pattern, line)
        if m:
            bound = float(m.group(3).replace(",", "")) if m.group(3) else None
            rows.append((float(m.group(1)), int(m.group(2).replace(",", "")), bound))
    return rows


def test_progress_is_reported_and_monotone(tmp_path):
    inst = tmp_path / "tiny.txt"
    inst.write_text(TINY)
    args = ["solve", str(inst), "--time-limit", "5", "--format", "json"]
    res = runner.invoke(app, [*args, "--out", str(tmp_path / "a.roster")])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout.strip().splitlines()[-1])
    rows = _reports(res.stderr)
    assert rows, res.stderr
    objectives = [o for _, o, _ in rows]
    assert objectives == sorted(objectives, reverse=True)  # each report no worse
    assert objectives[-1] == doc["objective"]  # the last report is the roster returned
    bounds = [b for _, _, b in rows if b is not None]
    assert bounds == sorted(bounds) and all(b <= o for _, o, b in rows if b is not None)
    quiet = runner.invoke(app, [*args, "--quiet", "--out", str(tmp_path / "b.roster")])
    assert quiet.exit_code == 0 and not _reports(quiet.stderr)
