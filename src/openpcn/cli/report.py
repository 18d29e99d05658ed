"""`openpcn report ...`: reports over the loaded registry."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from enum import StrEnum

import typer
from rich.table import Table

from openpcn.cli.tools import django_setup, fail, out

app = typer.Typer(help="Reports over the loaded registry.", no_args_is_help=True)


class Format(StrEnum):
    json = "json"
    csv = "csv"
    table = "table"


@app.command("pcn-sizes")
def pcn_sizes(
    as_of: str = typer.Option(..., "--as-of", help="Date, YYYY-MM-DD"),
    band: str = typer.Option("30000-50000", help="Band of registered patients"),
    format: Format = typer.Option(Format.table, "--format"),
):  # noqa: A002
    """How many PCNs are within a size band as at a date, nationally and by ICB."""
    django_setup()
    from openpcn.data.registry.explorer import parse_band, size_report

    try:
        on = date.fromisoformat(as_of)
    except ValueError:
        fail(f"--as-of '{as_of}' is not a date; write it like 2026-07-01")
    try:
        low, high = parse_band(band)
    except ValueError as e:
        fail(str(e))
    report = size_report(on, low, high)
    if report["pcn_count"] == 0:
        fail(f"No PCN membership is loaded at or before {on}; run `openpcn data import-all`.")
    if format is Format.json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
    elif format is Format.csv:
        w = csv.writer(sys.stdout)
        cols = ["pcn_count", "in_band", "in_band_pct", "below", "above", "median"]
        w.writerow(["icb_code", "icb_name", *cols, "as_of", "membership_as_of", "population_as_of"])
        meta = [report["as_of"], report["membership_as_of"], report["population_as_of"]]
        w.writerow(["ENGLAND", "England", *[report[c] for c in cols], *meta])
        for i in report["by_icb"]:
            w.writerow([i["icb_code"], i["icb_name"], *[i[c] for c in cols], *meta])
    else:
        t = Table(
            title=f"PCNs with {low:,}-{high:,} patients as at {on} "
            f"(membership {report['membership_as_of']}, "
            f"list sizes {report['population_as_of']})"
        )
        for c in ("ICB", "PCNs", "In band", "%", "Below", "Above", "Median"):
            t.add_column(c, justify="left" if c == "ICB" else "right")

        def add(name, r):
            t.add_row(
                name,
                f"{r['pcn_count']:,}",
                f"{r['in_band']:,}",
                f"{r['in_band_pct']}",
                f"{r['below']:,}",
                f"{r['above']:,}",
                f"{r['median']:,.0f}" if r["median"] is not None else "",
            )

        add("England", report)
        for i in report["by_icb"]:
            add(i["icb_name"] or i["icb_code"], i)
        out.print(t)
