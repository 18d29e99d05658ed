"""The `openpcn` command line. Every command honours DATABASE_URL and OPENPCN_DATA."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import typer

from openpcn.cli.tools import django_setup, err, fail, out, progress

app = typer.Typer(
    help="OpenPCN: run a Primary Care Network from NHS open data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database: migrate.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts: create users with a role and scope.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data: users per role.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(demo_app, name="demo")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    workers: int = typer.Option(0, help="Worker processes (0: 2 x CPUs + 1, at most 9)"),
):
    """Serve the web app with gunicorn (a production-grade WSGI server)."""
    django_setup()
    from django.conf import settings

    if not settings.STATIC_ROOT.exists():
        fail(f"static files are not collected into {settings.STATIC_ROOT}; run `make assets`.")
    n = workers or min(9, 2 * (os.cpu_count() or 1) + 1)
    err.print(f"Serving OpenPCN on http://{host}:{port}/ with {n} gunicorn workers")
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "openpcn.web.site.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(n),
        "--preload",
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--timeout",
        "120",
    ]
    os.execv(sys.executable, args)  # noqa: S606 - replace this process with gunicorn


@app.command()
def check():
    """Run Django's deployment checks against production settings (fails on any warning)."""
    env = dict(os.environ, OPENPCN_ENV="production")
    env.pop("OPENPCN_LOCAL_HTTP", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings",
            "openpcn.web.site.settings",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        lines = [ln for ln in result.stderr.strip().splitlines() if ln.strip()]
        if any("ImproperlyConfigured" in ln for ln in lines):
            fail(lines[-1].split(":", 1)[-1].strip())
        sys.stderr.write(
            "\n".join(ln for ln in lines if not ln.startswith(("Traceback", "  "))) + "\n"
        )
        fail("deployment checks failed (see above)")
    out.print("Deployment checks passed.")


@db_app.command("migrate")
def db_migrate():
    """Create or update the database tables."""
    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.db import connection

    out.print(f"Database is up to date ({connection.vendor}: {connection.settings_dict['NAME']}).")


ROLE_HELP = "admin, icb_commissioner, pcn_lead, practice_manager or clinician"


@user_app.command("create")
def user_create(
    username: str = typer.Argument(..., help="Sign-in name"),
    role: str = typer.Option(..., help=ROLE_HELP),
    scope: str = typer.Option("", help="ODS code of the ICB, PCN or practice"),
    password: str = typer.Option("", help="Password (generated when empty)"),
    email: str = typer.Option("", help="Email address"),
):
    """Create a user with a role and scope; prints a generated password once."""
    django_setup()
    from openpcn.data.accounts.users import AccountError, create_user

    try:
        _user, pw = create_user(username, role, scope, password or None, email)
    except AccountError as e:
        fail(str(e))
    out.print(f"Created {username} ({role}{', scope ' + scope.upper() if scope else ''}).")
    if not password:
        out.print(f"Password (shown once): {pw}")


@demo_app.command("users")
def demo_users():
    """Create one demo user per role, scoped to real organisations, and print passwords once."""
    django_setup()
    from openpcn.data.accounts.users import AccountError, create_demo_users

    try:
        rows = create_demo_users()
    except AccountError as e:
        fail(str(e))
    out.print("Demo users (passwords are shown once; re-run to make new ones):")
    for username, role, scope, pw in rows:
        out.print(f"  {username:<22} {role:<18} {scope or '(all of England)':<12} {pw}")


@demo_app.command("population")
def demo_population(
    pcn: str = typer.Option("", help="PCN code (default: the demo PCN)"),
    seed: int = typer.Option(1, help="Random seed"),
    scale: float = typer.Option(1.0, help="Fraction of the real list sizes"),
):
    """Generate the demo PCN's synthetic population and show its cohorts."""
    django_setup()
    from openpcn.data.accounts.users import AccountError, demo_scopes
    from openpcn.data.population.cohorts import cohort_table, members
    from openpcn.data.population.datasets import generate_for_pcn

    try:
        code = pcn.upper() or demo_scopes()["pcn"]
    except AccountError as e:
        fail(str(e))
    with progress(f"Generating a synthetic population for {code}") as advance:
        try:
            ds = generate_for_pcn(code, seed, scale)
        except (ValueError, LookupError) as e:  # missing files, unknown PCN, no practices
            fail(f"demo population for {code}: {e}")
        advance(1)  # its cohorts and aggregates are worked out as it is registered
    out.print(f"{ds.patients:,} synthetic patients for {code} in {ds.path}")
    for row in cohort_table(ds, members(code), disclose=False):
        if row["total"]:
            out.print(f"  {row['definition']:<26} {row['cohort']:<22} {row['total']:>7,}")


@demo_app.command("finance")
def demo_finance(
    year: str | None = typer.Option(
        None, help="Financial year of the claims (default: the current one, up to this month)"
    ),
):
    """Seed the demo PCN's ARRS staff register and a year of claims from its NWRS roles (every
    ARRS role it has staff in), and link the demo clinician to one member of staff."""
    django_setup()
    from openpcn.data.accounts.users import AccountError, demo_scopes
    from openpcn.data.finance.demo import seed_demo
    from openpcn.data.rota.planning import link_staff_account
    from openpcn.finance.errors import FinanceError

    try:
        code = demo_scopes()["pcn"]
        summary = seed_demo(code, year)
    except (AccountError, FinanceError) as e:
        fail(f"demo finance: {e}")
    out.print(f"Demo staff register and claims for {code}: {summary}")
    if link_staff_account("demo-clinician", code):
        out.print("demo-clinician is linked to the first member of staff (sees their rota).")


@demo_app.command("rota")
def demo_rota(
    weeks: int = typer.Option(2, help="Weeks"),
    time_limit: int = typer.Option(20, help="Solver seconds"),
):
    """Build and publish a rota for the demo PCN from its staff register."""
    django_setup()
    from openpcn.data.accounts.users import AccountError, demo_scopes
    from openpcn.data.rota.models import PlanStatus
    from openpcn.data.rota.planning import demo_plan

    try:
        code = demo_scopes()["pcn"]
    except AccountError as e:
        fail(str(e))
    with progress(f"Solving a {weeks}-week rota for {code}") as advance:
        plan = demo_plan(code, weeks, time_limit)
        advance(1)
    if plan.status == PlanStatus.PUBLISHED:
        sessions = len(plan.solution.get("assignments", []))
        out.print(f"Published a rota for {code} from {plan.start} ({sessions} sessions).")
    else:
        out.print(f"No demo rota: {plan.message.splitlines()[0] if plan.message else plan.status}")


def _mount_domains() -> None:
    """Each domain's commands, as `openpcn <domain> ...`."""
    import importlib

    for name, module in [
        ("data", "openpcn.cli.data"),
        ("report", "openpcn.cli.report"),
        ("rules", "openpcn.cli.rules"),
        ("rota", "openpcn.cli.rota"),
        ("population", "openpcn.cli.population"),
        ("workforce", "openpcn.cli.workforce"),
        ("finance", "openpcn.cli.finance"),
        ("services", "openpcn.cli.services"),
        ("rota-plan", "openpcn.cli.rota_plan"),
        ("neighbourhoods", "openpcn.cli.neighbourhoods"),
        ("plan", "openpcn.cli.plan"),
        ("governance", "openpcn.cli.governance"),
    ]:
        try:
            sub = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name and module.startswith(e.name):
                continue  # domain not built yet
            raise
        app.add_typer(sub.app, name=name)
    from openpcn.cli.services import iif_app  # `openpcn iif payments`, as the issue names it

    app.add_typer(iif_app, name="iif")


_mount_domains()


def main() -> None:
    try:
        app()
    except Exception as exc:  # a database without tables must not print a stack trace
        from django.db import DatabaseError

        if not isinstance(exc, DatabaseError):
            raise
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        err.print(
            f"[red]error:[/red] the database is not ready ({first}): run `openpcn db migrate`"
            " and import the data (`openpcn data import-all`), or `make demo`"
        )
        raise SystemExit(1) from None


__all__ = ["app", "main", "progress", "secrets"]
