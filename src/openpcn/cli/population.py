"""``openpcn population``: generate or import populations and run cohort definitions."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer

app = typer.Typer(help="Population health: synthetic populations, cohorts, risk (no Django).")


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


@app.command()
def generate(
    out: Path = typer.Option(..., "--out", help="dataset directory to write"),
    seed: int = typer.Option(0, "--seed"),
    pcn: str = typer.Option(None, "--pcn", help="PCN code, e.g. U89141"),
    icb: str = typer.Option(None, "--icb", help="ICB code (ODS, e.g. QHM, or ONS E54...)"),
    practices: int = typer.Option(None, "--practices", help="N real practices chosen by seed"),
    scale: float = typer.Option(1.0, "--scale", help="fraction of each list to generate"),
) -> None:
    """Generate a SYNTHETIC population (labelled so in metadata.json)."""
    from openpcn.population import generator, sources

    if sum(x is not None for x in (pcn, icb, practices)) != 1:
        raise typer.BadParameter("give exactly one of --pcn, --icb, --practices")
    t0 = time.perf_counter()
    try:
        codes = sources.select_practices(pcn=pcn, icb=icb, n=practices, seed=seed)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    meta = generator.generate_dataset(out, codes, seed, scale=scale, label=pcn or icb or "")
    _err(
        f"SYNTHETIC: {meta['patients']} patients in {len(codes)} practices -> {out} "
        f"({time.perf_counter() - t0:.1f}s)"
    )


@app.command()
def run(
    dataset: Path = typer.Option(..., "--dataset"),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb | spark | reference"),
    fmt: str = typer.Option("json", "--format", help="json"),
    definition: list[str] = typer.Option(None, "--definition", help="limit to these"),
) -> None:
    """Run every definition; print counts per cohort and category, and the seconds taken."""
    from openpcn.population import engines

    if engine not in engines.ENGINES:
        raise typer.BadParameter(f"--engine must be one of {engines.ENGINES}")
    if fmt != "json":
        raise typer.BadParameter("--format must be json")
    results, seconds = engines.timed_run(dataset, engine, names=definition or None)
    summary = engines.summarise(results, seconds)
    meta = json.loads((Path(dataset) / "metadata.json").read_text())
    summary.update(engine=engine, synthetic=bool(meta.get("synthetic")))
    print(json.dumps(summary, indent=2))


@app.command("import")
def import_(
    paths: list[Path] = typer.Argument(
        ..., exists=True, help="FHIR files or directories (.json, .ndjson, .xml), or --csv DIR"
    ),
    out: Path = typer.Option(..., "--out", help="dataset directory to write"),
    csv: bool = typer.Option(False, "--csv", help="PATHS is one folder in the CSV extract format"),
    pcn: str | None = typer.Option(
        None, "--pcn", help="make the imported dataset this PCN's (its pages then show it)"
    ),
) -> None:
    """Import a real extract (FHIR R4 JSON/NDJSON/XML or CSV); print the import report as JSON.

    Rejected records are counted by reason with their positions (file and line or entry);
    no NHS number or other identifier is printed.
    """
    from openpcn.population import importer

    if csv:
        if len(paths) != 1 or not paths[0].is_dir():
            raise typer.BadParameter("--csv takes exactly one folder")
        _tables, report = importer.import_csv(paths[0], out)
    else:
        _tables, report = importer.import_fhir(paths, out)
    body = report.as_dict()
    print(json.dumps(body, indent=2))
    _err(
        f"imported {sum(report.accepted.values())} records, rejected "
        f"{sum(report.rejected.values())} -> {out}"
    )
    if not report.accepted.get("patients"):
        _err("no patient was accepted")
        raise typer.Exit(1)
    if pcn:
        _attach(pcn, out)


def _attach(pcn: str, path: Path) -> None:
    from openpcn.cli.tools import django_setup

    django_setup()
    from openpcn.data.population.datasets import AttachError, attach

    try:
        ds, note = attach(pcn.strip().upper(), path)
    except AttachError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(1) from None
    _err(f"{path} is now the population dataset of {ds.pcn_id} ({ds.patients} patients)")
    if note:
        _err(note)


@app.command()
def attach(
    path: Path = typer.Argument(..., exists=True, file_okay=False, help="an imported dataset"),
    pcn: str = typer.Option(..., "--pcn", help="the PCN whose dataset it becomes"),
) -> None:
    """Make an imported dataset a PCN's: its population pages, worklists and SMR use it."""
    _attach(pcn, path)
