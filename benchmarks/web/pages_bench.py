"""Benchmark: every page of the URLconf, cold (first visit after start-up) and warm.

Walks ``django.urls.get_resolver()`` and fills each pattern's path parameters from the demo
data (``make demo`` minus serving: the demo PCN, its largest practice, its ICB, its newest rota
plan, the current rule year, the first object of each admin model...), signed in as the demo
user whose role the page is for (``demo users``). A run starts a server process as
``openpcn serve`` does (gunicorn with ``--preload``: the master imports
``openpcn.web.site.wsgi``, timed as start-up), then for each page forks a fresh worker that
visits it once (cold: the first request after start-up) and ``--warm`` more times (the median
kept). The table holds medians over ``--runs`` server starts. Pages are fetched with the
Django test client inside the worker (no network, no gunicorn), GET only: a view that only
accepts POST shows its 405. Patterns it cannot fill are listed with the reason.

Run from a checkout whose ``var/`` holds the demo database (``make demo``, or its steps):

    OPENPCN_DATA=../shared/data/raw .venv/bin/python benchmarks/web/pages_bench.py \\
        [--runs 3] [--warm 3] [--only REGEX] [--json out.json]

It sets ``OPENPCN_ENV=production OPENPCN_LOCAL_HTTP=1`` and reads ``var/secret-key`` as the
``demo`` target does, unless they are already set. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _environment() -> None:
    os.environ.setdefault("OPENPCN_ENV", "production")
    os.environ.setdefault("OPENPCN_LOCAL_HTTP", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.web.site.settings")
    key = REPO / "var" / "secret-key"
    if not os.environ.get("OPENPCN_SECRET_KEY") and key.exists():
        os.environ["OPENPCN_SECRET_KEY"] = key.read_text().strip()


def _patterns(resolver=None, prefix="", ns=""):
    """(route as written, namespaced name, parameter names, callback) of every pattern."""
    from django.urls import URLResolver, get_resolver

    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            sub = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _patterns(p, prefix + str(p.pattern), sub)
        else:
            params = list(getattr(p.pattern, "converters", {}) or p.pattern.regex.groupindex)
            name = (f"{ns}:{p.name}" if ns else p.name) if p.name else None
            yield prefix + str(p.pattern), name, params, p.callback


def _demo():
    """The demo organisations and the first object of each kind the patterns need."""
    from openpcn.core.fyear import FinancialYear
    from openpcn.data.accounts.models import User
    from openpcn.data.neighbourhoods.models import Neighbourhood, Team
    from openpcn.data.rota.models import RotaPlan
    from openpcn.data.scenarios.models import Scenario

    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    if "demo-pcn-lead" not in users:
        sys.exit("No demo users: run `openpcn demo users` (and the rest of `make demo`) first.")
    pcn = users["demo-pcn-lead"].scope_code
    hood = Neighbourhood.objects.order_by("pk").first()
    team = Team.objects.filter(neighbourhood=hood).order_by("pk").first() if hood else None
    plan = RotaPlan.objects.filter(pcn__code=pcn).order_by("-pk").first()
    scenario = Scenario.objects.filter(pcn__code=pcn).order_by("pk").first()
    return {
        "pcn": pcn,
        "admin_pk": users["demo-admin"].pk,
        "practice": users["demo-practice-manager"].scope_code,
        "icb": users["demo-commissioner"].scope_code,
        "plan_id": plan.pk if plan else None,
        "year": str(FinancialYear.current()),
        "hood": hood,
        "team": team.slug if team else None,
        "scenario": scenario.pk if scenario else None,
    }


def _who(route: str) -> str:
    """The demo user a page is for: its scope decides."""
    if route.startswith(("icb/", "api/neighbourhoods/icb/")):
        return "demo-commissioner"
    if route.startswith(("practice/",)):
        return "demo-practice-manager"
    if route.startswith(("caseload/", "my-rota.ics")):
        return "demo-clinician"
    if route.startswith(("network/", "api/plans/", "api/finance/", "api/services/")):
        return "demo-pcn-lead"
    if route.startswith(("api/population/", "api/workforce/")):
        return "demo-pcn-lead"
    return "demo-admin"


def _fill(route, params, callback, demo):
    """Path parameters for one pattern, or (None, reason)."""
    hood = demo["hood"]
    values = {}
    for p in params:
        if p == "code":
            if route.startswith("neighbourhoods/") or "/neighbourhoods/<code>/" in route:
                if not hood:
                    return None, "no neighbourhood in the demo data"
                values[p] = hood.owner.code
            elif route.startswith(("icb/", "api/neighbourhoods/icb/")):
                values[p] = demo["icb"]
            elif route.startswith(("practice/", "explore/practice/")):
                values[p] = demo["practice"]
            else:
                values[p] = demo["pcn"]
        elif p == "slug":
            if not hood:
                return None, "no neighbourhood in the demo data"
            values[p] = hood.slug
        elif p == "team":
            if not demo["team"]:
                return None, "no neighbourhood team in the demo data"
            values[p] = demo["team"]
        elif p == "scenario":
            if not demo["scenario"]:
                return None, "no what-if scenario in the demo data"
            values[p] = demo["scenario"]
        elif p == "plan_id":
            if not demo["plan_id"]:
                return None, "no rota plan for the demo PCN (`demo rota`)"
            values[p] = demo["plan_id"]
        elif p in {"fmt", "table", "year"}:
            values[p] = {"fmt": "csv", "table": "pcns", "year": demo["year"]}[p]
        elif p in {"object_id", "id"} and hasattr(callback, "model_admin"):
            obj = callback.model_admin.model._default_manager.order_by("pk").first()
            if obj is None:
                return None, f"no {callback.model_admin.model._meta.verbose_name} to show"
            values[p] = obj.pk
        elif p == "id" and "/user/" in route:
            values[p] = demo["admin_pk"]
        elif p == "app_label":
            values[p] = re.search(r"\(\?P<app_label>(\w+)", route).group(1)
        elif p == "url":
            return None, "the admin's catch-all: any other path under admin/ (a 404)"
        elif p == "content_type_id":
            return None, "the admin's view-on-site redirect: no model here has a site URL"
        else:
            return None, f"nothing in the demo data fills <{p}>"
    return values, ""


def plan_pages(only: str | None):
    """[(route, url, user)], [(route, reason)] for every pattern."""
    import django
    from django.urls import NoReverseMatch, reverse

    django.setup()
    demo = _demo()
    pages, unfilled = [], []
    for route, name, params, callback in _patterns():
        if only and not re.search(only, route):
            continue
        values, why = _fill(route, params, callback, demo)
        if values is None:
            unfilled.append((route, why))
            continue
        if not name:
            unfilled.append((route, "unnamed (the admin's redirect to the change page)"))
            continue
        try:
            url = reverse(name, kwargs=values)
        except NoReverseMatch:
            unfilled.append((route, "its name does not reverse with the demo values"))
            continue
        pages.append((route, url, _who(route)))
    return pages, unfilled


def serve(pages: list[tuple[str, str]], warm: int) -> dict:
    """One server start: import what a gunicorn master imports (``openpcn serve`` preloads
    ``openpcn.web.site.wsgi``), then for each page fork a worker that visits it cold (its
    first request) and ``warm`` more times, as a fresh worker would."""
    start = time.perf_counter()
    from django.db import connections

    import openpcn.web.site.wsgi  # noqa: F401 - what the master imports before forking

    startup = time.perf_counter() - start
    # The master's WSGI handler has loaded its middleware (whitenoise indexes the static
    # files): the test client's own handler does the same here, not in each worker's first
    # request, which would otherwise pay ~0.15 s that a served worker never pays.
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.handler.load_middleware()
    results = []
    for url, username in pages:
        connections.close_all()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(read)
            try:
                out = _visit(client, url, username, warm)
            except Exception as e:  # noqa: BLE001 - reported in the table, the run goes on
                out = {"error": f"{type(e).__name__}: {str(e)[:200]}"}
            os.write(write, json.dumps(out).encode())
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as fh:
            text = fh.read()
        os.waitpid(pid, 0)
        results.append(json.loads(text) if text else {"error": "the worker died"})
    return {"startup_ms": startup * 1000, "pages": results}


def _visit(client, url: str, username: str, warm: int) -> dict:
    from openpcn.data.accounts.models import User

    client.force_login(User.objects.get(username=username))

    def once():
        t = time.perf_counter()
        r = client.get(url)
        if r.streaming:
            b"".join(r.streaming_content)
        return time.perf_counter() - t, r.status_code

    cold, status = once()
    warms = [once()[0] for _ in range(warm)]
    return {
        "cold_ms": cold * 1000,
        "warm_ms": statistics.median(warms) * 1000 if warms else None,
        "status": status,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="server starts (default 3)")
    ap.add_argument("--warm", type=int, default=3, help="warm visits per page (default 3)")
    ap.add_argument("--only", help="only routes matching this regular expression")
    ap.add_argument("--json", type=Path, help="also write every measurement here")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    _environment()
    if args.serve:
        pages = json.loads(sys.stdin.read())
        print(json.dumps(serve(pages, args.warm)))
        return
    pages, unfilled = plan_pages(args.only)
    env = _child_environment()
    runs = []
    for n in range(args.runs):
        cmd = [sys.executable, __file__, "--serve", "--warm", str(args.warm)]
        todo = json.dumps([(url, user) for _, url, user in pages])
        out = subprocess.run(
            cmd, input=todo, capture_output=True, text=True, cwd=REPO, env=env, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"run {n + 1}: start-up {runs[-1]['startup_ms']:.0f} ms", file=sys.stderr)
        rows = [
            {
                "route": route,
                "url": url,
                "user": user,
                "runs": [{**r["pages"][i], "startup_ms": r["startup_ms"]} for r in runs],
            }
            for i, (route, url, user) in enumerate(pages)
        ]
        if args.json:  # after every run: a long benchmark stopped early keeps what it measured
            args.json.write_text(json.dumps({"rows": rows, "unfilled": unfilled}, indent=1))
    print(report(rows, unfilled, args))


def _child_environment() -> dict:
    """A server keeps compiled bytecode between restarts: so do the measured processes (kept
    under var/pycache, whatever PYTHONDONTWRITEBYTECODE says), primed by one unmeasured start."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(REPO / "var" / "pycache")
    prime = "import openpcn.web.site.wsgi; from django.urls import get_resolver; "
    prime += "get_resolver().url_patterns"
    subprocess.run([sys.executable, "-c", prime], cwd=REPO, env=env, check=True)
    return env


def _median(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def _line(row) -> str:
    runs = row["runs"]
    if any("error" in r for r in runs):
        error = next(r["error"] for r in runs if "error" in r)
        return f"| `{row['route']}` | `{row['url']}` | {row['user']} | error: {error} | | | |"
    cold, warm = _median(runs, "cold_ms"), _median(runs, "warm_ms")
    statuses = "/".join(sorted({str(r["status"]) for r in runs}))
    flag = " **>300**" if max(cold, warm or 0) > 300 else ""
    return (
        f"| `{row['route']}` | `{row['url']}` | {row['user']} | {statuses} "
        f"| {cold:.0f}{flag} | {warm:.0f} | {_median(runs, 'startup_ms'):.0f} |"
    )


def report(rows, unfilled, args) -> str:
    head = [
        f"Date {date.today()}, machine {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}; "
        f"load average {os.getloadavg()[0]:.1f}. {args.runs} server starts, a fresh worker per "
        f"page, {args.warm} warm visits each; medians in ms.",
        "",
        "| pattern | URL | as | status | cold | warm | start-up |",
        "|---|---|---|---|---|---|---|",
    ]
    lines = head + [_line(r) for r in rows]
    if unfilled:
        lines += ["", "Patterns not measured:", ""]
        lines += [f"- `{route}`: {why}" for route, why in unfilled]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
