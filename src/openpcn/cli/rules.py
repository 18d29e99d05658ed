"""`openpcn rules ...`: show one year's rule rows, or what changed between two years.

    openpcn rules show 2024-25 [--format table|json|csv] [--prefix arrs_]
    openpcn rules diff 2023-24 2024-25 [--format table|json|csv]

Tables (rich) and JSON/CSV go to stdout; errors are one line on stderr with exit code 1.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from openpcn.cli.tools import err
from openpcn.core.fyear import FinancialYear
from openpcn.rules.current import chosen_year
from openpcn.rules.diff import diff as diff_years
from openpcn.rules.loader import RuleFileError, RuleNotFound, RuleSet, load_year

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
    format: Format = typer.Option(Format.table, "--format", help="table, json or csv"),
):
    """Rule keys and ARRS roles added, removed or changed from YEAR_A to YEAR_B."""
    result = diff_years(_load(year_a), _load(year_b))
    records = result.records()
    if format is Format.json:
        payload = {"year_a": result.year_a, "year_b": result.year_b, "changes": records}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    if format is Format.csv:
        _csv(records, DIFF_COLUMNS)
        return
    table = Table(title=f"Rules {result.year_a} -> {result.year_b} ({len(records)} changes)")
    for col in DIFF_COLUMNS:
        table.add_column(col)
    for rec in records:
        table.add_row(*(str(rec[c]) for c in DIFF_COLUMNS))
    _stdout().print(table)
