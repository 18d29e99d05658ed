"""`openpcn plan ...`: what-if scenarios of a PCN (issue 16), stored as data.

::

    openpcn plan create U00001 "Two more pharmacists" --as-at 2026-07-01
    openpcn plan add-change 3 recruit role=clinical_pharmacist wte=1 start=2026-09-01 \\
        base_site=A00001 employer=A00001
    openpcn plan run 3 --format json            # or: --pcn U00001 "Two more pharmacists"
    openpcn plan run 3 --rota --time-limit 12   # and a sample week's rota, baseline beside it
    openpcn plan list U00001
    openpcn plan adopt 3                        # or: discard

An ICB's scenario (its changes against every PCN of the ICB) is made the same way with the
ICB's code: ``openpcn plan create QAA "A00002 to U00003" --as-at 2026-07-01``, then
``plan add-change N practice_moves practice=A00002 to_pcn=U00003 start=2026-10-01``;
``plan run N`` shows the ICB's totals and each touched PCN beside its baseline.

A scenario is named by its number (``plan list`` shows it), or by its name with ``--pcn``.
A bad change is refused with a message naming it; nothing is saved.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path

import typer

from openpcn.cli.tools import django_setup, err, fail, out
from openpcn.scenarios.rota import DEFAULT_TIME_LIMIT

app = typer.Typer(help="What-if scenarios: changes against a PCN and their effects.",
                  no_args_is_help=True)  # fmt: skip


class Format(StrEnum):
    text = "text"
    json = "json"


def _store():
    django_setup()
    from openpcn.data.scenarios import store

    return store


def _icb(code_or_scenario) -> bool:
    """Is this an ICB's code, or an ICB's scenario?"""
    if hasattr(code_or_scenario, "icb_id"):
        return code_or_scenario.icb_id is not None
    from openpcn.data.registry.models import Organisation

    code = str(code_or_scenario or "").strip().upper()
    return Organisation.objects.filter(code=code, kind="icb").exists()


def _icb_store():
    from openpcn.data.scenarios import icb_store

    return icb_store


def _find(store, pcn: str, scenario: str):
    try:
        return store.find(pcn, scenario)
    except store.ScenarioError as exc:
        fail(str(exc))


def _as_at(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--as-at must be a date like 2026-07-01, not {text!r}")
        raise  # unreachable


@app.command("create")
def create(
    pcn: str = typer.Argument(..., help="PCN ODS code, e.g. U00001 (or an ICB's, e.g. QAA)"),
    name: str = typer.Argument(..., help="The scenario's name"),
    as_at: str = typer.Option(..., "--as-at", help="The date the scenario is about"),
    changes: Path = typer.Option(None, "--changes", help="A JSON file: a list of changes"),
):
    """Save a new scenario (version 1), with the changes in a JSON file if given."""
    store = _store()
    items = []
    if changes is not None:
        try:
            items = json.loads(changes.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            fail(f"{changes}: {exc}")
    try:
        make = _icb_store().create if _icb(pcn) else store.create
        sc = make(pcn, name, _as_at(as_at), items)
    except (store.ScenarioError, store.ChangeError) as exc:
        fail(str(exc))
    err.print(f"Saved scenario {sc.pk} {sc.name!r} of {sc.subject.code} as at {sc.as_at}"
              " (version 1)")  # fmt: skip


@app.command("add-change")
def add_change(
    scenario: str = typer.Argument(..., help="Scenario number (or name, with --pcn)"),
    kind: str = typer.Argument(
        ...,
        help="recruit, leave, change_wte, vacancy_unfilled, practice_joins, practice_leaves,"
        " care_home_aligned, care_home_unaligned, rules_variant, rules_year or rooms; an ICB's:"
        " practice_moves, care_home_realigned, rules_year or rules_variant",
    ),  # fmt: skip
    fields: list[str] = typer.Argument(None, help="field=value, e.g. role=clinical_pharmacist"),
    pcn: str = typer.Option(None, "--pcn", help="PCN ODS code, to name the scenario by name"),
):
    """Add one change to a scenario, as a new version (checked first)."""
    store = _store()
    sc = _find(store, pcn, scenario)
    change = {"kind": kind}
    for item in fields or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            fail(f"{item!r}: write each field as name=value")
        change[key.strip()] = value.strip()
    try:
        v = (_icb_store() if _icb(sc) else store).add_change(sc, change)
    except (store.ScenarioError, store.ChangeError) as exc:
        fail(str(exc))
    err.print(f"Saved {sc.name!r} version {v.version}: {len(v.changes)} change(s)")


@app.command("list")
def list_(pcn: str = typer.Argument(..., help="PCN (or ICB) ODS code")):
    """The PCN's (or ICB's) scenarios: number, name, date, status, version, changes."""
    store = _store()
    of = _icb_store().scenarios_of if _icb(pcn) else store.scenarios_of
    for sc in of(pcn.strip().upper()):
        v = store.latest(sc)
        n = len(v.changes) if v else 0
        out.print(f"{sc.pk}\t{sc.name}\t{sc.as_at}\t{sc.status}\tv{v.version if v else 0}\t"
                  f"{n} change(s)")  # fmt: skip


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if not isinstance(value, str) else value


@app.command("run")
def run(
    scenario: str = typer.Argument(..., help="Scenario number (or name, with --pcn)"),
    format: Format = typer.Option(Format.text, "--format", help="text or json"),
    every: bool = typer.Option(False, "--all", help="Text: every row, not only the differences"),
    pcn: str = typer.Option(None, "--pcn", help="PCN ODS code, to name the scenario by name"),
    rota: bool = typer.Option(False, "--rota", help="Also solve a sample week's rota, twice"),
    time_limit: int = typer.Option(
        DEFAULT_TIME_LIMIT, "--time-limit", min=1, max=300, help="Seconds for each rota solve"
    ),
):
    """The scenario's effects beside the baseline (each engine on the changed inputs); with
    --rota a sample week's rota, baseline and scenario, progress on standard error."""
    store = _store()
    sc = _find(store, pcn, scenario)

    def progress(side: str, seconds: float, objective: int, bound: float) -> None:
        err.print(f"Rota ({side}): {seconds:.1f} s, penalty {objective}")

    if _icb(sc):
        if rota:
            fail("--rota: a sample week is one PCN's; an ICB scenario has none")
        from openpcn.cli.plan_icb import show

        show(sc, format is Format.json, every)
        return
    try:
        result = store.run(sc, time_limit if rota else None, progress)
    except (store.ScenarioError, store.ChangeError) as exc:
        fail(str(exc))
    v = store.latest(sc)
    if format is Format.json:
        payload = {"scenario": {"id": sc.pk, "name": sc.name, "status": sc.status,
                                "version": v.version if v else 0}} | result.as_dict()  # fmt: skip
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    out.print(f"{sc.name} ({sc.pcn.code} as at {sc.as_at}, {result.scenario.inputs.year},"
              f" version {v.version if v else 0}, {sc.status})")  # fmt: skip
    for i, c in enumerate(result.changes, 1):
        out.print(f"  {i}. {c.describe()}")
    rows = result.rows if every else result.changed_rows
    sys.stdout.flush()
    if rows:
        sys.stdout.write("effect\titem\tbaseline\tscenario\tdifference\n")
    else:
        out.print("No differences from the baseline.")
    for r in rows:
        sys.stdout.write(
            f"{r.effect}\t{r.item}\t{_fmt(r.baseline)}\t{_fmt(r.scenario)}\t{_fmt(r.difference)}\n"
        )  # fmt: skip (tabs kept for cut and awk)
    for note in (*result.scenario.inputs.notes, *result.scenario.messages):
        err.print(f"Note: {note}")
    for side, week in (("baseline", result.baseline.rota), ("scenario", result.scenario.rota)):
        for line in () if week is None else (week.message, *week.unmet, *week.conflicts):
            if line:
                out.print(f"Rota ({side}, week of {week.start}): {line}")


@app.command("discard")
def discard(
    scenario: str = typer.Argument(..., help="Scenario number (or name, with --pcn)"),
    pcn: str = typer.Option(None, "--pcn", help="PCN ODS code, to name the scenario by name"),
):
    """Discard a scenario (kept, marked discarded, audited)."""
    store = _store()
    sc = _find(store, pcn, scenario)
    try:
        (_icb_store() if _icb(sc) else store).discard(sc)
    except store.ScenarioError as exc:
        fail(str(exc))
    err.print(f"Discarded {sc.name!r}")


@app.command("rota-run", hidden=True)
def rota_run(run: int = typer.Argument(..., help="RotaRun id")):
    """Solve a scenario's sample-week rota (started by the web page)."""
    django_setup()
    from openpcn.data.scenarios.rota_runs import solve

    done = solve(run)
    err.print(f"Rota run {done.pk}: {done.state}{': ' + done.message if done.message else ''}")


@app.command("adopt")
def adopt(
    scenario: str = typer.Argument(..., help="Scenario number (or name, with --pcn)"),
    pcn: str = typer.Option(None, "--pcn", help="PCN ODS code, to name the scenario by name"),
):
    """Make the scenario's changes real register records, in one transaction (audited)."""
    store = _store()
    sc = _find(store, pcn, scenario)
    from openpcn.data.scenarios.adopt import adopt as make_real

    if _icb(sc):
        try:
            done = _icb_store().adopt(sc)
        except (store.ScenarioError, store.ChangeError) as exc:
            fail(str(exc))
        err.print(f"Adopted {sc.name!r}: {', '.join(done) or 'nothing'}")
        return
    try:
        done = make_real(sc)
    except (store.ScenarioError, store.ChangeError) as exc:
        fail(str(exc))
    err.print(
        f"Adopted {sc.name!r}: created {', '.join(done.created) or 'none'}; changed"
        f" {', '.join(done.changed) or 'none'}; deleted {', '.join(done.deleted) or 'none'}"
    )
