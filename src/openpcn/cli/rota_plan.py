"""`openpcn rota-plan run ID`: solve a stored rota plan (started by the web app)."""

from __future__ import annotations

import typer

from openpcn.cli.tools import django_setup, fail, out

app = typer.Typer(help="Stored rota plans: solve in the background.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """Stored rota plans."""


@app.command("run")
def run(plan_id: int = typer.Argument(..., help="Rota plan id")):
    """Solve a stored plan, recording progress as it goes."""
    django_setup()
    from openpcn.data.rota.models import RotaPlan
    from openpcn.data.rota.planning import run_plan

    if not RotaPlan.objects.filter(pk=plan_id).exists():
        fail(f"There is no rota plan {plan_id}.")
    plan = run_plan(plan_id)
    out.print(f"Plan {plan_id}: {plan.get_status_display()}")
