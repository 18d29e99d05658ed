"""`openpcn workforce ...`: the national NWRS workforce benchmark.

The census comes from the data directory in OPENPCN_DATA: the newest ``nhsd_pcn_workforce_*/``
CSV that :func:`openpcn.workforce.nwrs.detect` accepts (or --workforce-file). PCN registered
populations are the registry's (``DATABASE_URL``): members and practice counts as at the
registration extract nearest the census, as the web page uses; import them first with
``openpcn data import-all``.
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from openpcn.cli.tools import django_setup, err, fail, out
from openpcn.registry.errors import RegistryFileError
from openpcn.workforce import nwrs
from openpcn.workforce.benchmark import (
    Benchmark,
    BenchmarkError,
    WorkforceTable,
    registered_population,
)
from openpcn.workforce.role_map import UnmappedRoleError

app = typer.Typer(help="ARRS workforce: national NWRS benchmark.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """ARRS workforce: national NWRS benchmark."""


class Format(StrEnum):
    json = "json"
    table = "table"


def data_dir() -> Path:
    value = os.environ.get("OPENPCN_DATA")
    if not value:
        fail("OPENPCN_DATA is not set: point it at the data directory (e.g. ../shared/data/raw)")
    return Path(value)


def find_workforce_file(root: Path) -> Path | None:
    for folder in sorted(root.glob("nhsd_pcn_workforce_*"), reverse=True):
        for path in sorted(folder.glob("*.csv"), reverse=True):
            if nwrs.detect(path):
                return path
    return None


def load_benchmark(workforce_file: Path | None) -> Benchmark:
    if workforce_file is None:
        root = data_dir()
        workforce_file = find_workforce_file(root)
        if workforce_file is None:
            fail(f"no NWRS PCN workforce CSV under {root}/nhsd_pcn_workforce_*/")
    if not workforce_file.is_file():
        fail(f"{workforce_file} does not exist")
    try:
        parsed = nwrs.parse(workforce_file)
        table = WorkforceTable.from_parsed(parsed)
    except (RegistryFileError, UnmappedRoleError) as exc:
        fail(str(exc))
    for warning in parsed.warnings:
        err.print(f"[yellow]Warning:[/] {warning}")
    census = table.source.as_of
    django_setup()
    from django.db import DatabaseError

    from openpcn.data.registry.national import national_view, nearest_extract

    try:
        view = national_view(nearest_extract(census))
    except DatabaseError:
        fail("the database is not set up: run `openpcn db migrate` and `openpcn data import-all`")
    if not view.rows:
        fail(
            f"no PCN membership and registered populations are loaded near the {census} "
            "census: import the registry first (`openpcn data import-all`)"
        )
    population, source = registered_population(view, census)
    return Benchmark(table, population, source)


@app.command()
def benchmark(
    pcn: str = typer.Option(..., "--pcn", help="PCN ODS code, e.g. U96599"),
    format: Format = typer.Option(Format.table, "--format", help="json or table"),
    explain: bool = typer.Option(False, help="JSON: include every explained figure"),
    workforce_file: Path | None = typer.Option(None, help="NWRS individual-level CSV"),
) -> None:
    """FTE per 10,000 registered patients by ARRS role: the PCN against its ICB and England."""
    bench = load_benchmark(workforce_file)
    try:
        result = bench.for_pcn(pcn)
    except BenchmarkError as exc:
        fail(str(exc))
    if format is Format.json:
        print(json.dumps(result.as_dict(explain=explain), indent=2, default=str))
        return
    nwrs_src, pop_src = result.sources
    table = Table(
        box=box.SIMPLE,
        title=(
            f"{result.pcn.code} {result.pcn.name} ({result.pcn.icb_name}): FTE per 10,000 "
            f"patients; {result.population.value:,} patients"
        ),
        caption=(
            f"{Path(nwrs_src.path).name} (census {nwrs_src.as_of}); "
            f"{Path(pop_src.path).name} (extract {pop_src.as_of}; {pop_src.description}). "
            "Percentiles: linear interpolation; rank: mid-rank."
        ),
    )
    table.add_column("Role", no_wrap=True)
    for name in ("FTE", "/10k", "ICB median (IQR)", "ICB %ile", "Eng median (IQR)", "Eng %ile"):
        table.add_column(name, justify="right", no_wrap=True)
    for r in result.roles.values():
        table.add_row(
            r.role_name,
            f"{r.fte.value:.2f}",
            f"{r.rate.value:.2f}",
            f"{r.icb.median.value:.2f} ({r.icb.p25.value:.2f}-{r.icb.p75.value:.2f})",
            _rank(r.icb.percentile_rank.value),
            f"{r.england.median.value:.2f} ({r.england.p25.value:.2f}-{r.england.p75.value:.2f})",
            _rank(r.england.percentile_rank.value),
        )
    Console(width=max(out.width, 112), highlight=False).print(table)


def _rank(value) -> str:
    return "no staff" if value is None else f"{value:.0f}"
