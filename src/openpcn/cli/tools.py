"""Shared pieces for the command line: Django set-up on demand, consoles and progress bars.

The pattern every command follows: machine-readable output (JSON, CSV) on stdout through
``out``; messages and progress bars on stderr through ``err`` and ``progress()``; a clear
one-line error and exit code 1 for bad input (``fail``), never a traceback.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def django_setup() -> None:
    """Configure Django once; honours DATABASE_URL and OPENPCN_DATA from the environment."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.web.site.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def fail(message: str, code: int = 1) -> None:
    """One unwrapped line (paths and names stay whole for grep and logs), markup escaped."""
    err.print(f"[bold red]Error:[/] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def progress(description: str, total: int | None = None):
    """A progress bar on stderr: ``with progress("Importing", n) as advance: advance(1)``."""
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal and os.environ.get("OPENPCN_PROGRESS") != "1",
    )
    with bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1, description: str | None = None):
            bar.update(task, advance=n, description=description or bar.tasks[task].description)

        yield advance
