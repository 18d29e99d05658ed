"""``openpcn plan ...``: create, add a change, run (JSON and text), list; a bad change is one
clear line naming it, and every save is audited as the command line's."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.scenarios import store

pytestmark = pytest.mark.django_db

PCN = "U00001"


def cli(*args):
    from typer.testing import CliRunner

    from openpcn.cli.main import app

    return CliRunner().invoke(app, ["plan", *args])


def test_plan_create_add_change_run_json_and_text(small, tmp_path):
    import json

    cp = small["cp"]
    changes = tmp_path / "changes.json"
    changes.write_text(json.dumps([{"kind": "leave", "staff_id": cp.staff_id,
                                    "on": "2024-11-30"}]))  # fmt: skip
    made = cli("create", PCN, "fewer staff", "--as-at", "2024-07-01", "--changes", str(changes))
    assert made.exit_code == 0, made.output
    added = cli("add-change", "fewer staff", "--pcn", PCN, "vacancy_unfilled",
                f"vacancy_id={small['vacancy'].vacancy_id}")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "version 2" in added.output
    ran = cli("run", "--pcn", PCN, "fewer staff", "--format", "json")
    assert ran.exit_code == 0, ran.output
    data = json.loads(ran.stdout)
    assert data["scenario"]["version"] == 2 and len(data["changes"]) == 2
    rows = {(r["effect"], r["item"]): r for r in data["rows"]}
    sc = store.find(PCN, "fewer staff")
    expected = store.run(sc).scenario.forecast.pots["arrs"].committed
    assert rows[("ARRS", "committed")]["scenario"] == str(expected)
    assert Decimal(rows[("ARRS", "committed")]["difference"]) < 0
    text = cli("run", str(sc.pk))
    assert text.exit_code == 0 and "ARRS\tcommitted" in text.output
    assert "openpcn command line" in AuditEvent.objects.filter(
        action="scenario.save").values_list("username", flat=True)  # fmt: skip
    listed = cli("list", PCN)
    assert "fewer staff" in listed.output and "v2" in listed.output


def test_plan_bad_change_is_one_clear_line(small):
    assert cli("create", PCN, "p", "--as-at", "2024-07-01").exit_code == 0
    bad = cli(
        "add-change", "--pcn", PCN, "p", "practice_leaves", "practice=B00001", "start=2024-08-01"
    )
    assert bad.exit_code == 1
    assert "change 1 (practice B00001 leaves from 2024-08-01): B00001 is not a member" in " ".join(
        bad.output.split()
    )
    assert "Traceback" not in bad.output
    missing = cli("run", "nope", "--pcn", PCN)
    assert missing.exit_code == 1 and "no scenario of U00001" in missing.output
