"""Bad JSON instances: clear errors naming the file, line and field."""

from __future__ import annotations

import json

import pytest

from openpcn.rota.errors import RotaInputError
from openpcn.rota.pcn.instance import Demand, Request
from openpcn.rota.pcn.jsonio import dump_instance, load_instance
from tests.rota.tiny import MONDAY, person, tiny


def _text(**kw) -> str:
    inst = tiny(days=7, staff=[person("G1"), person("G2")], **kw)
    return json.dumps(dump_instance(inst), indent=1)


def _line_of(text: str, needle: str) -> int:
    idx = text.index(needle)
    return text.rfind("{", 0, idx) and text.count("\n", 0, text.rfind("{", 0, idx)) + 1


def test_round_trip():
    text = _text(demand=[Demand("A", "morning", min=1, target=2, role="gp")])
    inst = load_instance(text)
    assert json.loads(json.dumps(dump_instance(inst), indent=1)) == json.loads(text)


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ('"staff": "G2"', '"staff": "Q9"', "staff", "unknown staff 'Q9'"),
        ('"min": 1', '"min": -1', "min", "demand cannot be negative"),
        ('"date": "2025-01-08"', '"date": "2025-02-08"', "date", "outside the horizon"),
        ('"session": "morning", "min"', '"session": "night", "min"', "session", "unknown"),
    ],
)
def test_bad_instance_names_line_and_field(old, new, field, words):
    text = _text(
        demand=[Demand("A", "morning", min=1, role="gp")],
        requests=[Request("G2", MONDAY.replace(day=8), "off")],
    )
    text = text.replace(old.replace(", ", ",\n   "), new.replace(", ", ",\n   "))
    text = json.dumps(json.loads(text), indent=1)  # normalise
    assert new.split(",")[0] in text
    with pytest.raises(RotaInputError) as exc:
        load_instance(text, "pcn.json")
    assert exc.value.field == field
    assert words in str(exc.value)
    assert exc.value.line == _line_of(text, new.split(",")[0])
    assert f"pcn.json, line {exc.value.line}" in str(exc.value)


def test_invalid_json_names_line():
    with pytest.raises(RotaInputError, match="line 3"):
        load_instance('{\n "name": "x",\n "days": ,\n}', "x.json")


def test_dumped_instance_matches_published_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from pathlib import Path

    from openpcn.rota.pcn.generate import generate

    schema_path = Path(__file__).parents[2] / "docs/reference/rota-instance.schema.json"
    schema = json.loads(schema_path.read_text())
    doc = dump_instance(generate(sites=3, staff=12, weeks=1, care_homes=2, ea_sites=1))
    jsonschema.validate(doc, schema)
    doc["demand"][0]["min"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_bad_leave_date_names_staff_line():
    text = _text().replace('"leave": []', '"leave": ["2025-13-01"]', 1)
    with pytest.raises(RotaInputError) as exc:
        load_instance(text, "pcn.json")
    assert exc.value.field == "leave"
    assert exc.value.line == _line_of(text, '"2025-13-01"')
