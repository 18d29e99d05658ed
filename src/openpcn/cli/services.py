"""``openpcn services ...`` / ``openpcn iif ...``: IIF payments from the real achievement file.

Data: ``$OPENPCN_DATA/nhsd_iif_<yyyy-yy>/IIF_indicators_annual_pub_*.csv``. Practice
measures roll up to PCNs through the registry's membership as at the achievement date
(:func:`openpcn.data.registry.queries.membership_at`: for 2023/24, 31 March 2024, that is the
dated relations of the ODS ePCN workbook of January 2025 when it is imported), and PCN list
sizes are the registry's registered populations as at that date, summed over those members.
Import the registry first (``openpcn data import-all``); ``DATABASE_URL`` names the database.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from datetime import date
from pathlib import Path

import typer

from openpcn.cli.tools import django_setup
from openpcn.core.fyear import FinancialYear
from openpcn.services.errors import ServicesError
from openpcn.services.iif import iif_definitions
from openpcn.services.iif.achievement_file import parse_achievement_file
from openpcn.services.iif.pcn_results import IifResults, ListSizes, pcn_results

app = typer.Typer(
    help="Network services: IIF payments (and care home / access engines).",
    no_args_is_help=True,
)


@app.callback()
def main() -> None:
    """Network services: IIF payments."""


FIELDS = (
    "pcn_code",
    "indicator",
    "kind",
    "numerator",
    "denominator",
    "achievement_pct",
    "points",
    "amount",
    "next_threshold",
    "more_to_next_threshold",
    "counts",
    "practices",
)


def data_dir() -> Path:
    env = os.environ.get("OPENPCN_DATA")
    if not env:
        raise ServicesError("set OPENPCN_DATA to the directory holding the NHS data files")
    return Path(env)


def find_iif_file(root: Path, year: FinancialYear) -> Path:
    tag = f"{year.start_year}-{(year.start_year + 1) % 100:02d}"
    hits = sorted(root.glob(f"nhsd_iif_{tag}/IIF_indicators_annual_pub_*.csv"))
    if not hits:
        raise ServicesError(f"no IIF achievement file for {year} under {root}/nhsd_iif_{tag}/")
    return hits[0]


def newest_iif_year(root: Path, today: date | None = None) -> str:
    """The year IIF payments are about when none is named: the current financial year if its
    achievement file is there (it is published after the year ends), else the newest year
    whose file is; ServicesError naming the directory when there is none."""
    years = sorted(
        p.parent.name.removeprefix("nhsd_iif_")
        for p in root.glob("nhsd_iif_*/IIF_indicators_annual_pub_*.csv")
    )
    current = str(FinancialYear.current(today))
    if current in years:
        return current
    if not years:
        raise ServicesError(f"no IIF achievement file (nhsd_iif_YYYY-YY/) under {root}")
    return years[-1]


def iif_results(
    year: str, root: Path, pcn: str | None = None, as_awarded: bool = False
) -> IifResults:
    """The year's IIF results from its achievement file, through the registry's membership
    and list sizes as at the file's achievement date."""
    fy = FinancialYear.parse(year)
    defs = iif_definitions(fy)
    path = find_iif_file(root, fy)
    file = parse_achievement_file(path)
    django_setup()
    from openpcn.data.registry.national import national_view

    view = national_view(file.achievement_date)
    if not view.membership.files:
        raise ServicesError(
            f"no PCN membership is loaded for {file.achievement_date}: import the registry "
            "first (`openpcn data import-all`)"
        )
    sizes = {r.code: r.population for r in view.rows if r.population}
    lists = ListSizes(sizes, ", ".join(view.sources), view.population_as_of)
    source = f"{path.parent.name}/{path.name}"
    done = pcn_results(file, defs, view.membership, lists, source, as_awarded=as_awarded)
    if pcn:
        done.results = done.for_pcn(pcn)
    return done


#: ``openpcn iif ...`` as the issue names it: the lead can mount this as the ``iif`` domain;
#: it is also reachable as ``openpcn services iif payments``.
iif_app = typer.Typer(help="Investment and Impact Fund: payments per PCN.", no_args_is_help=True)


@iif_app.callback()
def iif_main() -> None:
    """Investment and Impact Fund: payments per PCN."""


@iif_app.command("payments")
@app.command("iif-payments")
def iif_payments(
    year: str | None = typer.Option(
        None,
        "--year",
        help="financial year, e.g. 2023-24 (default: the newest year with an achievement file)",
    ),
    pcn: str = typer.Option(None, "--pcn", help="one PCN's ODS code"),
    fmt: str = typer.Option("csv", "--format", help="csv or json"),
    as_awarded: bool = typer.Option(
        False,
        "--as-awarded",
        help="full points for indicators NHS England awarded in full (2023/24 ACC-08)",
    ),
) -> None:
    """One row per PCN per indicator: numerator, denominator, achievement, points, amount."""
    if fmt not in ("csv", "json"):
        typer.echo(f"--format must be csv or json, not {fmt!r}", err=True)
        raise typer.Exit(2)
    try:
        if year is None:
            year = newest_iif_year(data_dir())
            typer.echo(
                f"IIF achievement for {FinancialYear.current()} is not published yet; "
                f"showing {year}, the newest year imported"
                if year != str(FinancialYear.current())
                else f"IIF {year}",
                err=True,
            )
        done = iif_results(year, data_dir(), pcn, as_awarded)
    except (ServicesError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"{len(done.results)} rows from {done.file.path.name} (achievement "
        f"{done.file.achievement_date}); membership {done.membership.describe()}; list sizes "
        f"{done.list_sizes.source or 'none'} as of {done.list_sizes.as_of}; "
        f"{len(done.unmapped_practices)} practices without a PCN not counted",
        err=True,
    )
    rows = [r.row() for r in done.results]
    if fmt == "json":
        json.dump(rows, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


app.add_typer(iif_app, name="iif")
