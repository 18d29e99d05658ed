"""`openpcn data ...`: download, import one file, import a directory, load the demo."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from openpcn.cli.tools import django_setup, err, fail, out, progress

app = typer.Typer(help="NHS open data: download, import.", no_args_is_help=True)


def data_dir(path: Path | None = None) -> Path:
    if path is not None:
        return path
    env = os.environ.get("OPENPCN_DATA")
    if not env:
        fail("OPENPCN_DATA is not set: point it at the directory of NHS data files.")
    return Path(env)


def _analyze() -> None:
    """Refresh the database's query-planner statistics after bulk loads."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _report(result) -> None:
    verb = "loaded" if result.status == "loaded" else "unchanged (already imported)"
    out.print(
        f"{result.name}: {result.kind}, as of {result.as_of}, {verb}: "
        f"{result.rows_loaded:,} rows from {result.rows_read:,} read"
    )
    for w in result.warnings[:5]:
        err.print(f"  [yellow]warning:[/] {w}")
    if len(result.warnings) > 5:
        err.print(f"  ... and {len(result.warnings) - 5} more warnings")


@app.command("import")
def import_paths(paths: list[Path] = typer.Argument(..., help="Files to import")):
    """Import files, detecting each one's type from its content."""
    django_setup()
    from openpcn.data.registry.loaders import ImportFailed, import_file

    failed = 0
    for path in paths:
        if not path.is_file():
            err.print(f"[red]{path}: no such file[/]")
            failed += 1
            continue
        try:
            _report(import_file(path))
        except ImportFailed as e:
            err.print(f"[red]Refused:[/] {e} (nothing was saved)")
            failed += 1
    _analyze()
    if failed:
        raise typer.Exit(1)


def plan_directory(directory: Path):
    """Every file under ``directory`` with its detected kind, in dependency order."""
    from openpcn.data.registry.loaders import detect_kind, import_order

    order = import_order()
    known, unknown = [], []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        kind, reason = detect_kind(path)
        (known if kind else unknown).append((path, kind or reason))
    known.sort(key=lambda pk: (order.index(pk[1]) if pk[1] in order else 99, str(pk[0])))
    return known, unknown


@app.command("import-all")
def import_all(
    directory: Path = typer.Argument(None, help="Directory (default OPENPCN_DATA)"),
    show_skipped: bool = typer.Option(True, help="List files that were skipped"),
):
    """Import every recognised file in a directory, in dependency order."""
    django_setup()
    from openpcn.data.registry.loaders import ImportFailed, import_file

    directory = data_dir(directory)
    if not directory.is_dir():
        fail(f"{directory} is not a directory of NHS data files.")
    known, unknown = plan_directory(directory)
    failed = 0
    with progress("Importing", total=len(known)) as advance:
        for path, _kind in known:
            advance(0, description=f"Importing {path.name}")
            try:
                _report(import_file(path))
            except ImportFailed as e:
                err.print(f"[red]Refused:[/] {e} (nothing was saved)")
                failed += 1
            advance(1)
    _analyze()
    if show_skipped and unknown:
        err.print(f"Skipped {len(unknown)} files that are not registry files:")
        for path, reason in unknown:
            err.print(f"  {path.relative_to(directory)}: {reason}")
    out.print(f"Imported {len(known) - failed} of {len(known)} data files from {directory}.")
    if failed:
        raise typer.Exit(1)


@app.command("download")
def download(into: Path = typer.Option(None, help="Directory (default OPENPCN_DATA)")):
    """Download the current releases from their publishers (same file = no work)."""
    from openpcn.registry import sources
    from openpcn.registry.fetch import download as fetch

    target = data_dir(into)
    target.mkdir(parents=True, exist_ok=True)
    failed = 0
    chosen = list(sources.SOURCES)
    with progress("Downloading", total=len(chosen)) as advance:
        for source in chosen:
            advance(0, description=f"Downloading {source.name}")
            (result,) = fetch([source], target)
            if result.status == "failed":
                failed += 1
                err.print(f"[red]{result.source}: failed[/] {result.error}")
            else:
                out.print(
                    f"{result.source}: {result.status}"
                    + (f" ({result.bytes:,} bytes)" if result.status == "written" else "")
                )
            advance(1)
    if failed:
        err.print(
            f"{failed} of {len(chosen)} downloads failed; files already in {target} are unchanged."
        )
        raise typer.Exit(1)


@app.command("demo-load")
def demo_load():
    """What `make demo` loads: everything found in OPENPCN_DATA (downloading first when the
    directory is empty and the network allows)."""
    directory = data_dir()
    if not directory.is_dir() or not any(directory.iterdir()):
        err.print(f"{directory} is empty; trying to download the current NHS releases...")
        try:
            download(into=directory)
        except typer.Exit:
            fail(
                f"Could not download NHS data into {directory}. Copy the files there (see "
                "docs/how-to/get-nhs-data.md) or set OPENPCN_DATA to a directory holding them."
            )
    import_all(directory, show_skipped=False)
