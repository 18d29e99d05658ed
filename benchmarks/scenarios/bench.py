"""Benchmark: a scenario's effects (without the rota) on a demo-like PCN (target < 2 s).

    OPENPCN_DATA=../shared/data/raw .venv/bin/python benchmarks/scenarios/bench.py [--runs 7]

Builds a throw-away SQLite database (migrated here, deleted afterwards): the registry fixture
files (PCN U00001, practices A00001 and A00002, registered lists), a 2024-25 population file
row per practice with weighted lists, and a demo-like register the way ``demo-finance`` seeds
one (``data/finance/demo.py``): posts of every role the 2024-25 rules fund, paid at band
mid-points, sessions spread over the member practices, a vacancy. Then a scenario as at
2024-07-01 with three changes (recruit 1.0 WTE first contact physiotherapist band 7 from July,
a leaver, practice A00002 leaving from October) and times ``store.run`` (inputs read from the
database, the engines run for baseline and scenario, the differences laid out) several times.
Prints each run and the median. ``--rota SECONDS``: with the sample week's rota too (the rota
page's facts read for the week, solved for the baseline and the scenario, at most SECONDS
each; target < 30 s in all). ``--year 2026-27``: the population file, rules and dates of
that year (the registry fixture's membership is dated July 2026, and the rota page reads the
members as at the sample week).

``--national``: instead, every NHS file in OPENPCN_DATA is imported (``data import-all``, as
``make demo`` does; a minute or two), the demo PCN is the one ``make demo`` picks
(``demo_scopes``) and its register is seeded by ``seed_demo`` from its NWRS roles (2024-25,
with a year of claims); the scenario recruits the physiotherapist, ends the first post and
takes the PCN's last member practice (by name) out from October. The engines then read the
national population file, membership and list sizes, as the page does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

DB = Path(tempfile.mkdtemp()) / "bench-scenarios.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.web.site.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "tests" / "registry" / "fixtures"
YEAR, AS_AT, PCN = "2024-25", date(2024, 7, 1), "U00001"
LISTS = {"A00001": (19800, 21000), "A00002": (14900, 15600)}


def seed() -> tuple[int, int]:
    from openpcn.data.finance.models import StaffMember, StaffSession, Vacancy
    from openpcn.data.registry.loaders import import_file
    from openpcn.data.registry.models import DesPopulation, IngestedFile, Organisation
    from openpcn.rules import load_year

    for name in ("map-2026-07.csv", "all-2026-07.csv"):
        import_file(REGISTRY / name)
    src = IngestedFile.objects.create(
        name=f"bench_pcn_data_{YEAR}.csv", path="bench", sha256="b" * 64,
        kind="des_population", as_of=date(AS_AT.year, 1, 1),
    )  # fmt: skip
    for code, (raw, weighted) in LISTS.items():
        DesPopulation.objects.create(
            practice=Organisation.objects.get(code=code), financial_year=YEAR, pcn_code=PCN,
            pcn_name="ALPHA NORTH PCN", raw_list_size=raw,
            adjusted_population=Decimal(raw + 300), weighted_population=Decimal(weighted),
            source=src,
        )  # fmt: skip
    pcn = Organisation.objects.get(code=PCN)
    members = sorted(LISTS)
    n = 0
    for role in load_year(YEAR).roles:
        for wte in (Decimal(1), Decimal("0.6")):  # two posts a role, as a census rounds up
            base = members[n % len(members)]
            s = StaffMember.objects.create(
                pcn=pcn, name=f"Demo {role.id} {n}", role=role.id, afc_band="7", wte=wte,
                start_date=date(2023, 4, 1), employment_model="lead_practice",
                employer_ods="A00001", base_practice=base,
                monthly_gross=Decimal("3600.00") * wte, monthly_employer_ni=Decimal("420") * wte,
                monthly_employer_pension=Decimal("518") * wte,
            )  # fmt: skip
            each = (wte * 9 / len(members)).quantize(Decimal("0.1"))
            StaffSession.objects.bulk_create(
                StaffSession(staff=s, practice_code=c, sessions=each) for c in members
            )
            n += 1
    Vacancy.objects.create(
        pcn=pcn, role="pharmacy_technician", wte=Decimal(1), planned_start=date(AS_AT.year, 10, 1)
    )
    return n, StaffMember.objects.filter(pcn=pcn).order_by("pk").first().pk


def national() -> tuple[str, str, str, int]:
    """(PCN, its first and last member practices, posts) once OPENPCN_DATA is imported and the
    demo PCN's register seeded."""
    from openpcn.cli.data import import_all
    from openpcn.data.accounts.users import demo_scopes
    from openpcn.data.finance.demo import seed_demo
    from openpcn.data.finance.models import StaffMember
    from openpcn.data.finance.register import member_practices

    import_all(Path(os.environ["OPENPCN_DATA"]), show_skipped=False)
    code = demo_scopes()["pcn"]
    seed_demo(code, YEAR, today=date(2025, 3, 31))
    members = member_practices(code, AS_AT)
    posts = StaffMember.objects.filter(pcn__code=code).count()
    return code, members[0][0], members[-1][0], posts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--national", action="store_true")
    ap.add_argument("--year", default="2024-25", help="financial year, e.g. 2026-27 (as at 1 July)")
    ap.add_argument("--rota", type=int, default=0, help="seconds for each rota solve (0: none)")
    args = ap.parse_args()
    global YEAR, AS_AT
    YEAR, AS_AT = args.year, date(int(args.year[:4]), 7, 1)
    y = AS_AT.year
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    from openpcn.data.finance.models import StaffMember
    from openpcn.data.scenarios import store

    if args.national:
        pcn, base, practice, posts = national()
    else:
        pcn, base, practice = PCN, "A00001", "A00002"
        posts, _ = seed()
    leaver = StaffMember.objects.filter(pcn__code=pcn).order_by("pk").first()
    setup_s = time.perf_counter() - t0
    changes = [
        {"kind": "recruit", "role": "first_contact_physiotherapist", "wte": "1.0", "band": "7",
         "start": f"{y}-07-01", "employer": base, "base_site": base},
        {"kind": "leave", "staff_id": leaver.staff_id, "on": f"{y}-11-30"},
        {"kind": "practice_leaves", "practice": practice, "start": f"{y}-10-01"},
    ]  # fmt: skip
    sc = store.create(pcn, "bench", AS_AT, changes)
    times = []
    for run in range(args.runs):
        start = time.perf_counter()
        result = store.run(sc, rota=args.rota or None)
        took = time.perf_counter() - start
        times.append(took)
        differ = sum(1 for r in result.rows if r.difference not in ("", 0))
        weeks = [w for w in (result.baseline.rota, result.scenario.rota) if w is not None]
        said = "; ".join(f"{w.status} penalty {w.objective}" for w in weeks)
        print(f"run {run + 1}: {took:.3f} s, {len(result.rows)} rows, {differ} differ"
              + (f"; rota {said}" if said else ""))  # fmt: skip
    print(f"PCN {pcn}; set-up (migrate, import/seed, {posts} posts): {setup_s:.1f} s; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    print(f"median of {args.runs}: {statistics.median(times):.3f} s "
          f"(first {times[0]:.3f} s, min {min(times):.3f} s, max {max(times):.3f} s)")  # fmt: skip
    DB.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
