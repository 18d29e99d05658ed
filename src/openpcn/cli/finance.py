"""`openpcn finance ...`: PCN entitlements from NHS England's population file for a year.

Populations come from the NHS England PCN DES population file for the year found (by content,
see :func:`openpcn.finance.populations.find_population_files`) under the data directory in
OPENPCN_DATA, or from ``--population-file``. The file used is named on stderr; when there is
none for the year the command says so and lists the years it does have. A PCN's members are
the registry's as at the year's first day (``membership_at``) when the database holds a
membership file; otherwise the population file's own PCN column groups them, and every
figure says which. A PCN whose ICB has a local variation (an overlay, see
``openpcn rules overlay show``) is worked out with it, and its figures name the ICB.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from enum import StrEnum
from pathlib import Path

import typer

from openpcn.cli.tools import django_setup, err, fail
from openpcn.core.fyear import FinancialYear
from openpcn.finance.entitlements import all_entitlements, entitlements
from openpcn.finance.populations import (
    Populations,
    find_population_files,
    from_records,
    read_population_file,
)
from openpcn.registry.errors import RegistryFileError
from openpcn.rules import RuleFileError, RuleNotFound, load_year
from openpcn.rules.current import chosen_year

app = typer.Typer(help="PCN finance: entitlements per payment stream.", no_args_is_help=True)

COLUMNS = (
    "pcn_code", "year", "stream", "basis", "population", "rate", "unit", "months",
    "annual_amount", "available", "reason", "population_source", "population_as_of",
    "source", "verified", "notes",
)  # fmt: skip


@app.callback()
def main() -> None:
    """PCN finance: entitlements per payment stream."""


class Format(StrEnum):
    csv = "csv"
    json = "json"


def _population_file(year: FinancialYear, explicit: Path | None) -> Path:
    if explicit is not None:
        if not explicit.is_file():
            fail(f"population file {explicit} does not exist")
        return explicit
    root = os.environ.get("OPENPCN_DATA")
    if not root:
        fail("OPENPCN_DATA is not set: point it at the data directory (e.g. ../shared/data/raw)")
    files = find_population_files(root)
    if str(year) in files:
        return files[str(year)]
    have = ", ".join(f"{y} ({p.name})" for y, p in files.items()) or "none"
    earlier = [y for y in files if y < str(year)]
    if not earlier:
        fail(
            f"no NHS England PCN DES population file for {year} or an earlier year under {root};"
            f" files found for: {have}. Pass --population-file to use one knowingly."
        )
    err.print(
        f"[yellow]No NHS England PCN DES population file for {year} under {root}: the"
        f" {earlier[-1]} file stands in until the {year} file is published.[/]"
    )
    return files[earlier[-1]]


def _by_registry(pops: Populations, fy: FinancialYear) -> Populations:
    """The file's practice figures grouped by the registry's members as at the year's first
    day; the file as read when the database holds no membership (or no tables yet)."""
    django_setup()
    from django.db import DatabaseError

    from openpcn.data.registry.queries import membership_at

    try:
        members = membership_at(fy.start)
    except DatabaseError:
        return pops
    if not members.files:
        return pops
    return from_records(
        pops.practices,
        pops.source,
        pops.as_of,
        str(pops.financial_year),
        membership=members,
        membership_source=f"members: {members.describe()}",
    )


def _rules_by_pcn(rules, codes: list[str]) -> dict:
    """Each PCN's rules: the year's national rules plus its ICB's overlay (saved versions and
    files); every PCN gets the national rules when the database cannot be read."""
    django_setup()
    from django.db import DatabaseError

    from openpcn.data.rules.overlays import rules_by_pcn
    from openpcn.rules.overlays import OverlayError

    try:
        return rules_by_pcn(rules.year, codes)
    except DatabaseError:
        return dict.fromkeys(codes, rules)
    except OverlayError as exc:
        fail(str(exc))
        raise  # unreachable


@app.command("entitlements")
def entitlements_cmd(
    year: str | None = typer.Option(
        None, "--year", help="financial year, e.g. 2026-27 (default: the year today falls in)"
    ),
    pcn: str | None = typer.Option(None, "--pcn", help="one PCN code (default: every PCN)"),
    fmt: Format = typer.Option(Format.csv, "--format", help="csv or json (to stdout)"),
    population_file: Path | None = typer.Option(
        None, "--population-file", help="a DES population file (default: found in OPENPCN_DATA)"
    ),
    beds: int | None = typer.Option(None, "--beds", min=0, help="care home beds (with --pcn)"),
) -> None:
    """Every payment stream of every PCN (or one) in a year: one row per PCN per stream."""
    try:
        fy = FinancialYear.parse(chosen_year(year))
        rules = load_year(fy)
    except (ValueError, RuleNotFound, RuleFileError) as exc:
        fail(str(exc))
    path = _population_file(fy, population_file)
    try:
        pops = _by_registry(read_population_file(path), fy)
    except RegistryFileError as exc:
        fail(str(exc))
    other = pops.financial_year != fy
    err.print(
        f"Populations: {path.name} ({pops.financial_year}, as of {pops.as_of},"
        f" {len(pops.pcns)} PCNs; {pops.membership_note})"
        + (f" [bold yellow]not {fy}: figures say so[/]" if other else "")
    )
    if not pops.has_weighted:
        err.print(f"[yellow]{path.name} has no weighted population: ARRS is unavailable[/]")
    if beds is not None and not pcn:
        fail("--beds needs --pcn")
    codes = [pcn] if pcn else sorted(pops.pcns)
    by_pcn = _rules_by_pcn(rules, codes)
    varied = sorted({c for c, r in by_pcn.items() if r is not rules})
    if varied:
        err.print(f"ICB local variations apply to {len(varied)} PCN(s); their figures name them")
    try:
        if pcn:
            rows = entitlements(pcn, by_pcn[pcn], pops, beds, allow_other_year=other)
        elif not varied:
            rows = all_entitlements(rules, pops, allow_other_year=other)
        else:
            rows = [
                row
                for code in codes
                for row in entitlements(code, by_pcn[code], pops, allow_other_year=other)
            ]
    except KeyError as exc:
        fail(str(exc.args[0]))
    except ValueError as exc:
        fail(str(exc))
    records = [{k: row[k] for k in COLUMNS} for row in (r.as_row() for r in rows)]
    if fmt == Format.json:
        sys.stdout.write(json.dumps(records, indent=1) + "\n")
    else:
        w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(records)
    unavailable = sum(1 for r in rows if not r.available)
    err.print(f"{len(rows)} rows; {unavailable} unavailable (see the reason column)")
