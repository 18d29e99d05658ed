"""``openpcn rota ...``: solve a PCN rota (JSON) or a schedulingbenchmarks.org instance."""

from __future__ import annotations

import json
import math
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from openpcn.cli.tools import err
from openpcn.rota.errors import RotaInputError
from openpcn.rota_benchmark import format as curtois_format
from openpcn.rota_benchmark.model import solve_instance
from openpcn.rota_benchmark.scorer import score

app = typer.Typer(help="Rotas: build optimal PCN rotas and solve staff-rostering benchmarks.")


class OutFormat(StrEnum):
    json = "json"
    table = "table"


@app.callback()
def _group() -> None:
    """Rotas: build optimal PCN rotas and solve staff-rostering benchmarks."""


@app.command()
def solve(
    instance: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="JSON or benchmark file"
    ),
    time_limit: float = typer.Option(60.0, "--time-limit", help="seconds"),
    workers: int = typer.Option(2, "--workers"),
    out: Path | None = typer.Option(
        None, "--out", help="solution file (default: ./NAME.roster.txt or ./NAME.solution.json)"
    ),
    fmt: OutFormat = typer.Option(OutFormat.table, "--format"),
    quiet: bool = typer.Option(False, "--quiet", help="no progress lines on standard error"),
) -> None:
    """Solve INSTANCE; print instance, status, objective (scored), best_bound, seconds.

    While it runs, each better roster or bound is a line on standard error: seconds,
    objective, bound and the gap between them."""
    text = instance.read_text(encoding="utf-8")
    shown = None if quiet else _progress_line
    try:
        if curtois_format.looks_like_curtois(text):
            summary, solution, suffix = _solve_curtois(instance, text, time_limit, workers, shown)
        else:
            summary, solution, suffix = _solve_pcn(instance, text, time_limit, workers, shown)
    except RotaInputError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    path = out or Path.cwd() / (instance.stem + suffix)
    if solution is not None:
        path.write_text(solution, encoding="utf-8")
        summary["solution"] = str(path)
    if fmt is OutFormat.json:
        sys.stdout.write(json.dumps(summary) + "\n")
    else:
        table = Table(title=f"rota solve {instance.name}")
        table.add_column("field")
        table.add_column("value")
        for k, v in summary.items():
            if not isinstance(v, list):
                table.add_row(k, str(v))
        Console().print(table)
        for line in summary.get("conflicts", []) + summary.get("unmet", [])[:20]:
            Console().print(f"- {line}")


@app.command()
def generate(
    seed: int = typer.Argument(..., help="the seed: one seed, one instance"),
    weeks: int | None = typer.Option(None, "--weeks", help="2-52 (default: from the seed)"),
    staff: int | None = typer.Option(None, "--staff", help="default: from the seed"),
    shifts: int | None = typer.Option(None, "--shifts", help="1-32 (default: from the seed)"),
    tight: bool | None = typer.Option(None, "--tight/--loose", help="contracts"),
    requests: float | None = typer.Option(None, "--requests", help="per employee-week"),
    out: Path | None = typer.Option(None, "--out", help="file (default: standard output)"),
) -> None:
    """Write a benchmark-format instance generated from SEED (feasible by construction)."""
    from openpcn.rota_benchmark.generator import generate as make

    try:
        text = make(
            seed, weeks=weeks, staff=staff, shifts=shifts, tight=tight, request_density=requests
        )
    except ValueError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out}")


def _summary(name: str, r) -> dict:
    """What every solve reports; the objective is the independent checker's, filled in after."""
    return {
        "instance": name,
        "status": r.status,
        "objective": None,
        "best_bound": r.best_bound,
        "seconds": round(r.seconds, 2),
    }


def _progress_line(seconds: float, objective: int, bound: float | None) -> None:
    """One progress report on standard error: when, the best roster so far, the bound."""
    if bound is None or not math.isfinite(bound):
        err.print(f"{seconds:7.1f} s  objective {objective:,}  (no bound yet)")
        return
    gap = 100.0 * (objective - bound) / objective if objective else 0.0
    err.print(f"{seconds:7.1f} s  objective {objective:,}  bound {bound:,.0f}  gap {gap:.2f}%")


def _solve_curtois(path: Path, text: str, time_limit: float, workers: int, progress=None):
    inst = curtois_format.parse_instance(text, str(path))
    err.print(f"solving {inst.name}: {len(inst.staff)} staff, {inst.horizon} days")
    r = solve_instance(inst, time_limit, workers, progress=progress)
    solution = None
    summary = _summary(inst.name, r)
    if r.roster is not None:
        solution = curtois_format.format_roster(r.roster, inst.name)
        s = score(text, solution)
        summary["objective"] = s.penalty
        summary["hard_violations"] = len(s.violations)
    return summary, solution, ".roster.txt"


def _solve_pcn(path: Path, text: str, time_limit: float, workers: int, progress=None):
    from openpcn.rota.pcn.check import check_rota
    from openpcn.rota.pcn.engine import solve_rota
    from openpcn.rota.pcn.jsonio import dump_solution, load_instance

    inst = load_instance(text, str(path))
    err.print(f"solving {inst.name}: {len(inst.staff)} staff, {inst.days} days")
    r = solve_rota(inst, time_limit, workers, progress=progress)
    summary = _summary(inst.name, r)
    if r.assignments or r.status in ("OPTIMAL", "FEASIBLE"):
        c = check_rota(inst, r.assignments)
        summary["objective"] = c.penalty
        summary["hard_violations"] = len(c.violations)
    summary["unmet"] = [u.text for u in r.unmet]
    summary["conflicts"] = r.conflicts
    doc = dump_solution(inst, r, summary["objective"])
    return summary, json.dumps(doc, indent=1) + "\n", ".solution.json"
