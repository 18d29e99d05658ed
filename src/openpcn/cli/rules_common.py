"""What the `openpcn rules` commands share: one-line errors, loading a year, stdout."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from openpcn.cli.tools import err
from openpcn.core.fyear import FinancialYear
from openpcn.rules.loader import RuleFileError, RuleNotFound, RuleSet, load_year


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
