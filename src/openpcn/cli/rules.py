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

import typer
from rich.markup import escape
from rich.table import Table

from openpcn.cli.rules_common import _fail, _load, _stdout
from openpcn.cli.rules_overlay import overlay_app
from openpcn.rules.current import chosen_year
from openpcn.rules.diff import diff as diff_years
from openpcn.rules.diff_words import by_topic, sentences
from openpcn.rules.loader import RuleNotFound

app = typer.Typer(help="Rules: the PCN DES rates and ARRS rules by year.", no_args_is_help=True)
app.add_typer(overlay_app, name="overlay")

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


class CostFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("role-cost")
def role_cost_command(
    role: str = typer.Option(..., "--role", help="ARRS role id, e.g. clinical_pharmacist or gp"),
    band: str = typer.Option("", "--band", help="Agenda for Change band, e.g. 7 or 8a"),
    point: int | None = typer.Option(None, "--point", help="Pay point in the band (1 = entry)"),
    salary: str = typer.Option("", "--salary", help="Full-time annual salary instead of a point"),
    wte: str = typer.Option("1.0", "--wte", help="Whole-time equivalent"),
    region: str = typer.Option(
        "national", "--region", help="national, outer_london or inner_london"
    ),
    year: str = typer.Option(
        "", "--year", help="Financial year, e.g. 2026-27 (default: the year containing today)"
    ),
    on: str = typer.Option("", "--on", help="Start date YYYY-MM-DD (default: 1 April)"),
    months: int | None = typer.Option(None, "--months", help="Months to cost (default: to March)"),
    format: CostFormat = typer.Option(CostFormat.text, "--format", help="text or json"),
):
    """The cost of a post: salary, London supplement, employer NI and pension, against the
    role's ARRS maximum; every line says which pay file row and source it used."""
    from datetime import date
    from decimal import Decimal, InvalidOperation

    from openpcn.core.figures import shown
    from openpcn.finance.role_cost import (
        LINE_LABELS,
        LINES,
        REGION_NAMES,
        RoleCostError,
        cost_for,
    )

    try:
        start = date.fromisoformat(on) if on else None
    except ValueError:
        _fail(f"--on must be a date like 2025-10-01, not {on!r}")
    try:
        amount = Decimal(salary.replace(",", "").removeprefix("£")) if salary else None
        wte_value = Decimal(wte)
    except InvalidOperation:
        _fail(f"--salary and --wte must be numbers, not {salary or wte!r}")
    try:
        c = cost_for(
            role,
            year=year or None,
            on=start,
            band=band or None,
            point=point,
            salary=amount,
            wte=wte_value,
            region=region,
            months=months,
        )
    except RoleCostError as exc:
        _fail(str(exc))
        raise  # unreachable
    if format is CostFormat.json:
        sys.stdout.write(json.dumps(c.as_dict(), indent=2) + "\n")
        return
    out = _stdout()
    out.print(
        f"[bold]{escape(c.role_name)}[/bold], {c.year}, {escape(c.pay_description)},"
        f" {REGION_NAMES[c.region]}"
    )
    table = Table(title="A year per WTE at the rates on the start date")
    for col in ("line", "amount", "how", "verified"):
        table.add_column(col)
    for name in (*LINES, "total"):
        f = c.annual[name]
        table.add_row(
            LINE_LABELS[name],
            shown(f.value, "GBP"),
            escape(f.method),
            "yes" if f.verified else "[yellow]UNVERIFIED[/yellow]",
        )
    out.print(table)
    period = Table(title=f"{c.months} months from {c.start:%d %b %Y} at {c.wte} WTE")
    for col in ("line", "amount"):
        period.add_column(col)
    for name in (*LINES, "total"):
        period.add_row(LINE_LABELS[name], shown(c.period[name].value, "GBP"))
    for fig in (c.maximum, c.reimbursable, c.top_up):
        if fig is not None:
            period.add_row(fig.label, shown(fig.value, "GBP"))
    out.print(period)
    if c.maximum_annual is not None:
        out.print(
            f"ARRS maximum per WTE for a year: {shown(c.maximum_annual.value, 'GBP')}"
            f" ({escape(c.maximum_annual.method)})"
        )
    for gap in c.gaps:
        out.print(f"[yellow]gap:[/yellow] {escape(gap)}")
    for note in c.notes:
        out.print(f"note: {escape(note)}")
