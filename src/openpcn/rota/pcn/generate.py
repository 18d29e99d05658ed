"""A generated PCN-scale rota instance (deterministic for a seed), for benchmarks and demos.

Default shape: 12 practices with one site each, 80 staff (GPs, pharmacists, physios,
paramedics, nurses, care coordinators), 4 weeks from a Monday, rooms per site and session,
Enhanced Access at 4 sites, 10 care homes, fairness for pharmacists and physios, requests.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from openpcn.rota.pcn import instance as ri

STANDARD_SESSIONS = [
    ri.Session("morning", time(8, 0), time(13, 0)),
    ri.Session("afternoon", time(13, 0), time(18, 0)),
    ri.Session("evening", time(18, 30), time(20, 0)),
    ri.Session("saturday", time(9, 0), time(17, 0), "saturday"),
]

ROLES = [  # role, count, WTE choices, clinical
    ("gp", 30, (0.67, 0.78, 0.89, 1.0), True),
    ("pharmacist", 12, (0.8, 1.0), True),
    ("physio", 8, (0.6, 1.0), True),
    ("paramedic", 8, (1.0,), True),
    ("nurse", 14, (0.6, 0.8, 1.0), True),
    ("care_coordinator", 8, (1.0,), False),
]


def generate(
    sites: int = 12,
    staff: int = 80,
    weeks: int = 4,
    care_homes: int = 10,
    ea_sites: int = 4,
    start: date = date(2025, 1, 6),
    seed: int = 1,
) -> ri.RotaInstance:
    rng = random.Random(seed)
    practices = [
        ri.Practice(f"P{i + 1:02d}", f"Practice {i + 1}", rng.randrange(6000, 14000, 100))
        for i in range(sites)
    ]
    ea = [f"S{i + 1:02d}" for i in range(0, sites, max(1, sites // ea_sites))][:ea_sites]
    site_list = []
    for i, p in enumerate(practices):
        sid = f"S{i + 1:02d}"
        big = p.list_size > 10000
        rooms = {"morning": 6 if big else 4, "afternoon": 6 if big else 4}
        if sid in ea:
            rooms |= {"evening": 2, "saturday": 3}
        site_list.append(ri.Site(sid, f"{p.name} surgery", p.id, rooms))
    people = []
    scale = staff / sum(n for _, n, _, _ in ROLES)
    counts = [(r, max(1, round(n * scale)), w, c) for r, n, w, c in ROLES]
    counts[0] = (
        counts[0][0],
        counts[0][1] + staff - sum(n for _, n, _, _ in counts),
        *counts[0][2:],
    )
    dates = [start + timedelta(days=i) for i in range(7 * weeks)]
    k = 0
    for role, n, wtes, clinical in counts:
        for j in range(n):
            base = k % sites
            k += 1
            reach = 1 if role == "gp" else 3
            allowed = frozenset(f"S{(base + d) % sites + 1:02d}" for d in range(-reach, reach + 1))
            leave_start = rng.randrange(len(dates))
            leave = frozenset(dates[leave_start : leave_start + rng.choice((0, 0, 2, 5))])
            skills = frozenset(
                {"minor_illness"} if role in ("paramedic", "nurse") and j % 2 else set()
            )
            people.append(
                ri.Staff(
                    id=f"{role[:3].upper()}{j + 1:02d}",
                    name=f"{role.replace('_', ' ').title()} {j + 1}",
                    role=role,
                    wte=rng.choice(wtes),
                    base_site=f"S{base + 1:02d}",
                    skills=skills,
                    allowed_sites=allowed,
                    leave=leave,
                    clinical=clinical,
                )
            )
    demand = []
    for s, p in zip(site_list, practices, strict=True):
        gp_target = 2 if p.list_size < 10000 else 3
        for sess in ("morning", "afternoon"):
            demand.append(ri.Demand(s.id, sess, min=1, target=gp_target, role="gp"))
            demand.append(ri.Demand(s.id, sess, target=1, role="nurse"))
        for wd in rng.sample(range(5), 3):
            demand.append(ri.Demand(s.id, "morning", target=1, role="pharmacist", weekday=wd))
        for wd in rng.sample(range(5), 2):
            demand.append(ri.Demand(s.id, "afternoon", target=1, role="physio", weekday=wd))
            demand.append(ri.Demand(s.id, "morning", target=1, skill="minor_illness", weekday=wd))
    population = sum(p.list_size for p in practices)
    homes = [
        ri.CareHome(
            f"CH{i + 1:02d}",
            f"Care home {i + 1}",
            f"S{i % sites + 1:02d}",
            ("gp", "nurse", "paramedic"),
        )
        for i in range(care_homes)
    ]
    by_role = [e for e in people if e.role in ("gp", "pharmacist", "nurse")]
    requests = []
    for _ in range(2 * staff // 4):
        e = rng.choice(by_role)
        d = rng.choice([x for x in dates if x.weekday() < 5])
        requests.append(
            ri.Request(
                e.id,
                d,
                rng.choice(("on", "off")),
                rng.choice((None, "morning")),
                weight=rng.choice((2, 5)),
            )
        )
    return ri.RotaInstance(
        name=f"pcn-{sites}sites-{staff}staff-{weeks}w-seed{seed}",
        start=start,
        days=7 * weeks,
        sessions=list(STANDARD_SESSIONS),
        practices=practices,
        sites=site_list,
        staff=people,
        demand=demand,
        enhanced_access=ri.EnhancedAccess(tuple(ea), population),
        care_homes=homes,
        fairness=ri.Fairness(("pharmacist", "physio"), 5),
        requests=requests,
    )
