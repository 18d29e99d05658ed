"""`openpcn rules ...`: show one year's rule rows, or what changed between two years.

    openpcn rules show 2024-25 [--format table|json|csv] [--prefix arrs_]
    openpcn rules diff 2023-24 2024-25 [--format words|table|json|csv]
    openpcn rules overlay show QKS 2026-27 [--format words|yaml|json]
    openpcn rules overlay check path/to/QKS.yaml

``diff`` says what changed in words by default, one sentence per change grouped by topic.
``overlay show`` prints the overlay in force for an ICB and year (the newest version saved
through the product when the database is reachable, else the overlay file) and what it
changes against the national rules; ``overlay check`` validates a file and saves nothing.

Tables (rich) and JSON/CSV go to stdout; errors are one line on stderr with exit code 1.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from openpcn.cli.tools import err
from openpcn.core.fyear import FinancialYear
from openpcn.rules.current import chosen_year
from openpcn.rules.diff import diff as diff_years
from openpcn.rules.diff_words import by_topic, sentences
from openpcn.rules.loader import RuleFileError, RuleNotFound, RuleSet, load_year
from openpcn.rules.overlays import (
    OverlayError,
    changes,
    load_overlay_file,
    overlay_for,
    overlay_path,
)

app = typer.Typer(help="Rules: the PCN DES rates and ARRS rules by year.", no_args_is_help=True)

SHOW_COLUMNS = (
    "key",
    "value",
    "unit",
    "basis",
    "applies_from",
    "applies_to",
    "verified",
    "source_tags",
    "source",
    "derivation",
    "note",
    "confidence",
    "carried_from",
)
DIFF_COLUMNS = ("change", "key", "before", "after")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class DiffFormat(StrEnum):
    words = "words"
    table = "table"
    json = "json"
    csv = "csv"


def _fail(message: str) -> None:
    err.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(1)


def _load(text: str) -> RuleSet:
    try:
        return load_year(FinancialYear.parse(text))
    except (ValueError, RuleNotFound, RuleFileError) as exc:
        _fail(str(exc))
        raise  # unreachable


def _stdout() -> Console:
    return Console(file=sys.stdout, width=200, highlight=False, soft_wrap=False)


def _csv(records: list[dict], columns: tuple[str, ...]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({c: record.get(c, "") for c in columns})


@app.command()
def show(
    year: str | None = typer.Argument(
        None, help="Financial year, e.g. 2026-27 (default: the year today falls in)"
    ),
    format: Format = typer.Option(Format.table, "--format", help="table, json or csv"),
    prefix: str = typer.Option("", help="Only keys starting with this"),
):
    """Every rule row and ARRS role of one year, with its source and verified flag."""
    try:
        year = chosen_year(year)
    except (ValueError, RuleNotFound) as exc:
        _fail(str(exc))
    rules = _load(year)
    rows = rules.rows(prefix)
    records = []
    for r in rows:
        d = r.as_dict()
        d["source_tags"] = " ".join(r.source_tags)
        records.append(d)
    if format is Format.json:
        roles = [
            {
                "id": r.id,
                "name": r.name,
                "afc_band": r.afc_band,
                "available_from": r.available_from.isoformat(),
                "verified": r.verified,
                "source": r.source,
            }
            for r in rules.roles
        ]
        payload = {"year": str(rules.year), "rules": [r.as_dict() for r in rows], "roles": roles}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    if format is Format.csv:
        _csv(records, SHOW_COLUMNS)
        return
    table = Table(title=f"PCN DES rules {rules.year} ({len(rows)} rows)")
    for col in ("key", "value", "unit", "from", "to", "verified", "source"):
        table.add_column(col)
    for r in rows:
        flag = "yes" if r.verified else "[yellow]UNVERIFIED[/yellow]"
        if r.carried_from:
            flag += f" (carried from {r.carried_from})"
        table.add_row(
            r.key,
            str(r.value),
            r.unit,
            f"{r.applies_from:%d %b %Y}",
            f"{r.applies_to:%d %b %Y}",
            flag,
            " ".join(r.source_tags),
        )
    console = _stdout()
    console.print(table)
    if not prefix:
        roles = Table(title=f"ARRS roles {rules.year}")
        for col in ("role", "name", "AfC band", "available from", "verified"):
            roles.add_column(col)
        for role in rules.roles:
            roles.add_row(
                role.id,
                role.name,
                role.afc_band,
                f"{role.available_from:%d %b %Y}",
                "yes" if role.verified else "[yellow]UNVERIFIED[/yellow]",
            )
        console.print(roles)


@app.command()
def diff(
    year_a: str = typer.Argument(..., help="Earlier financial year, e.g. 2023-24"),
    year_b: str = typer.Argument(..., help="Later financial year, e.g. 2024-25"),
    format: DiffFormat = typer.Option(
        DiffFormat.words, "--format", help="words (default), table, json or csv"
    ),
):
    """Rule keys and ARRS roles added, removed or changed from YEAR_A to YEAR_B."""
    rules_a, rules_b = _load(year_a), _load(year_b)
    result = diff_years(rules_a, rules_b)
    records = result.records()
    if format is DiffFormat.json:
        payload = {"year_a": result.year_a, "year_b": result.year_b, "changes": records}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    if format is DiffFormat.csv:
        _csv(records, DIFF_COLUMNS)
        return
    if format is DiffFormat.words:
        names = {r.id: r.name for r in (*rules_a.roles, *rules_b.roles)}
        said = sentences(result, names)
        console = _stdout()
        console.print(
            f"Rules {result.year_a} -> {result.year_b}: {len(said)} changes", markup=False
        )
        for topic, items in by_topic(said):
            console.print(f"\n{topic}", markup=False)
            for s in items:
                console.print(f"- {s.text}", markup=False, soft_wrap=True)
        return
    table = Table(title=f"Rules {result.year_a} -> {result.year_b} ({len(records)} changes)")
    for col in DIFF_COLUMNS:
        table.add_column(col)
    for rec in records:
        table.add_row(*(str(rec[c]) for c in DIFF_COLUMNS))
    _stdout().print(table)


overlay_app = typer.Typer(
    help="ICB local variations (overlays) of a year's national rules.", no_args_is_help=True
)
app.add_typer(overlay_app, name="overlay")


class OverlayFormat(StrEnum):
    words = "words"
    yaml = "yaml"
    json = "json"


def _effective(icb: str, fy: FinancialYear):
    """(overlay or None, where it came from): the database's newest version, else the file."""
    try:
        from openpcn.cli.tools import django_setup

        django_setup()
        from django.db import DatabaseError

        from openpcn.data.rules.overlays import effective_overlay

        try:
            return effective_overlay(icb, fy), "the newest saved version, else the file"
        except DatabaseError:
            pass
    except ImportError:  # pragma: no cover - Django is a dependency
        pass
    return overlay_for(icb, fy), "the overlay file"


@overlay_app.command("show")
def overlay_show(
    icb: str = typer.Argument(..., help="ICB ODS code, e.g. QKS"),
    year: str = typer.Argument(..., help="Financial year, e.g. 2026-27"),
    format: OverlayFormat = typer.Option(OverlayFormat.words, "--format", help="words, yaml, json"),
):
    """The overlay in force for ICB in YEAR and what it changes against the national rules."""
    national = _load(year)
    code = icb.strip().upper()
    try:
        overlay, where = _effective(code, national.year)
    except OverlayError as exc:
        _fail(str(exc))
        raise  # unreachable
    if overlay is None:
        _fail(
            f"{code} has no overlay for {national.year}: its PCNs use the national rules"
            f" (no version saved, no file {overlay_path(code, national.year).name})"
        )
        raise  # unreachable
    if format is OverlayFormat.yaml:
        sys.stdout.write(overlay.text if overlay.text.endswith("\n") else overlay.text + "\n")
        return
    said = changes(national, overlay)
    if format is OverlayFormat.json:
        payload = {
            "icb": overlay.icb,
            "icb_name": overlay.icb_name,
            "year": str(overlay.year),
            "title": overlay.title,
            "approved_on": overlay.approved_on.isoformat() if overlay.approved_on else None,
            "source": overlay.source,
            "verified": overlay.verified,
            "version": overlay.version,
            "rows": [r.as_dict() for r in overlay.rows],
            "changes": [c.sentence for c in said],
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    console = _stdout()
    flag = "" if overlay.verified else " (unverified)"
    console.print(f"{overlay.title}: {overlay.who}, {overlay.year}{flag}", markup=False)
    approved = f", approved {overlay.approved_on}" if overlay.approved_on else ""
    console.print(f"Source: {overlay.source}{approved}; {overlay.version} ({where})", markup=False)
    for c in said:
        console.print(f"- {c.sentence}", markup=False, soft_wrap=True)


@overlay_app.command("check")
def overlay_check(path: Path = typer.Argument(..., help="An overlay YAML file")):
    """Validate an overlay file against its year's national rules; nothing is saved."""
    try:
        overlay = load_overlay_file(path)
    except OverlayError as exc:
        _fail(str(exc))
        raise  # unreachable
    national = load_year(overlay.year)
    console = _stdout()
    console.print(
        f"{path.name}: a valid overlay of {overlay.year} for {overlay.who},"
        f" {len(overlay.rows)} rows",
        markup=False,
    )
    for c in changes(national, overlay):
        console.print(f"- {c.sentence}", markup=False, soft_wrap=True)
