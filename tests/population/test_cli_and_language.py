"""CLI generate/run round trip, and definition-language errors name the file and place."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from openpcn.cli.population import app
from openpcn.population.definitions import DefinitionError, load_definition


def test_generate_and_run_json(tmp_path):
    out = tmp_path / "ds"
    r = CliRunner().invoke(
        app, ["generate", "--practices", "1", "--seed", "3", "--scale", "0.05", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["synthetic"] is True
    r = CliRunner().invoke(app, ["run", "--dataset", str(out), "--definition", "efi"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout[r.stdout.index("{") :])
    efi = body["definitions"]["efi"]
    assert sum(efi["categories"].values()) == efi["population"]
    assert body["synthetic"] is True and isinstance(body["seconds"], int | float)


def test_generate_needs_exactly_one_selector(tmp_path):
    r = CliRunner().invoke(app, ["generate", "--seed", "1", "--out", str(tmp_path / "x")])
    assert r.exit_code != 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("cohorts: {x: {frobnicate: 1}}", "cohorts.x: unknown operator 'frobnicate'"),
        ("cohorts: {x: {has_event: {list: nope}}}", "unknown code list 'nope'"),
        ("cohorts: {x: {cohort: later}}", "cohort 'later' not defined earlier"),
        ("cohorts: {x: {and: []}}", "and needs a non-empty list"),
    ],
)
def test_language_errors(tmp_path, body, message):
    path = tmp_path / "bad.yaml"
    path.write_text(f"name: bad\n{body}\n")
    with pytest.raises(DefinitionError, match="bad.yaml") as exc:
        load_definition(path)
    assert message in str(exc.value)
