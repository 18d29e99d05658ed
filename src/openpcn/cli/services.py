"""``openpcn services ...`` / ``openpcn iif ...``: IIF payments from the real achievement file.

Data: ``$OPENPCN_DATA/nhsd_iif_<yyyy-yy>/IIF_indicators_annual_pub_*.csv``. Practice
measures roll up to PCNs through the ``gp-reg-pat-prac-map.csv`` whose EXTRACT_DATE is
nearest the achievement date (ties: the earlier); for 2023/24 (31 Mar 2024) that is the
1 Jan 2022 map (820 days before; the next, 1 Jul 2026, is 822 days after). PCN list sizes
for the list-size adjustment are the practice totals of the ``gp-reg-pat-prac-all.csv`` in
the same folder as that map, summed over the map's members.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import typer

from openpcn.core.figures import DataRef
from openpcn.core.fyear import FinancialYear
from openpcn.services.errors import ServicesError
from openpcn.services.iif import iif_definitions
from openpcn.services.iif.achievement_file import (
    AchievementFile,
    indicator_measures,
    parse_achievement_file,
)
from openpcn.services.iif.payments import IndicatorResult, compute_payments, roll_up

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


@dataclass
class Membership:
    path: Path
    as_of: date
    members: dict[str, str]
    list_sizes: dict[str, int]


def nearest_membership(root: Path, day: date) -> Membership:
    from openpcn.registry.parsers import parse
    from openpcn.registry.records import PracticePopulation

    maps = sorted(root.glob("nhsd_gp_reg_*/gp-reg-pat-prac-map.csv"))
    if not maps:
        raise ServicesError(f"no gp-reg-pat-prac-map.csv under {root}")
    parsed = [parse(p, "gp_reg_map") for p in maps]
    best = min(parsed, key=lambda pf: (abs((pf.as_of - day).days), pf.as_of))
    members = {r.practice_code: r.pcn_code for r in best.records}
    sizes: dict[str, int] = {}
    all_file = best.path.parent / "gp-reg-pat-prac-all.csv"
    if all_file.exists():
        for r in parse(all_file, "gp_reg_all").records:
            if isinstance(r, PracticePopulation) and r.org_type == "GP" and r.sex == "ALL":
                pcn = members.get(r.org_code)
                if pcn and pcn != "U":
                    sizes[pcn] = sizes.get(pcn, 0) + r.count
    return Membership(best.path, best.as_of, members, sizes)


def iif_results(
    year: str, root: Path, pcn: str | None = None, as_awarded: bool = False
) -> tuple[list[IndicatorResult], AchievementFile, Membership, list[str]]:
    fy = FinancialYear.parse(year)
    defs = iif_definitions(fy)
    path = find_iif_file(root, fy)
    file = parse_achievement_file(path)
    membership = nearest_membership(root, file.achievement_date)
    rolled = roll_up(indicator_measures(file, defs), membership.members)
    data = DataRef(
        source=f"{path.parent.name}/{path.name}; membership {membership.path.parent.name}",
        as_of=file.achievement_date,
        description="IIF achievement measures rolled up to PCNs",
    )
    results = compute_payments(
        defs, rolled.measures, membership.list_sizes, data, as_awarded=as_awarded
    )
    if pcn:
        results = [r for r in results if r.pcn_code == pcn.upper()]
        if not results:
            raise ServicesError(f"no IIF results for PCN {pcn.upper()} in {fy}")
    return results, file, membership, rolled.unmapped_practices


#: ``openpcn iif ...`` as the issue names it: the lead can mount this as the ``iif`` domain;
#: it is also reachable as ``openpcn services iif payments``.
iif_app = typer.Typer(help="Investment and Impact Fund: payments per PCN.", no_args_is_help=True)


@iif_app.callback()
def iif_main() -> None:
    """Investment and Impact Fund: payments per PCN."""


@iif_app.command("payments")
@app.command("iif-payments")
def iif_payments(
    year: str = typer.Option("2023-24", "--year", help="financial year, e.g. 2023-24"),
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
        results, file, membership, unmapped = iif_results(year, data_dir(), pcn, as_awarded)
    except (ServicesError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"{len(results)} rows from {file.path.name} (achievement {file.achievement_date}); "
        f"membership {membership.path.parent.name} as at {membership.as_of}; "
        f"{len(unmapped)} practices without a PCN not counted",
        err=True,
    )
    rows = [r.row() for r in results]
    if fmt == "json":
        json.dump(rows, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


app.add_typer(iif_app, name="iif")
