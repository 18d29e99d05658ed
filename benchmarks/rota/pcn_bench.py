"""Benchmark: the generated PCN-scale rota (12 sites, 80 staff, 4 weeks, EA, 10 care homes).

Usage: .venv/bin/python benchmarks/rota/pcn_bench.py [--seeds 1,2,3] [--workers 2] [--runs 3]
       [--limits 10,60] [--no-lns] [--no-hint] [--no-mip]
For each seed: a 10 s solve (is a rota found?) and a 60 s solve (gap to the bound).
Objective is the independent checker's penalty (with its breakdown); hard violations must be
0. Also printed per seed: the greedy rota's penalty and an aggregate lower bound computed here,
outside the solver (:func:`aggregate_bound`).
"""

from __future__ import annotations

import argparse
import json

from openpcn.rota.pcn.check import check_rota
from openpcn.rota.pcn.engine import solve_rota
from openpcn.rota.pcn.generate import generate
from openpcn.rota.pcn.greedy import greedy_rota
from openpcn.rota.pcn.instance import RotaInstance


def aggregate_bound(inst: RotaInstance) -> dict:
    """A lower bound on the target shortfall from counting alone (no solver).

    Per week and role r with demand targets: the sessions of r that can count towards them
    are at most sum over staff of min(contract, 2 x weekdays not on leave) (two daytime
    sessions a day), and at most the sum of contracts minus the sessions r must give to
    Enhanced Access (GPs: one per NSH slot, and enough GP-led site-slots for the weekly NSH
    minutes, each giving at most rooms x minutes). Shortfall >= targets - that, summed.
    Assumes one role-only demand per site/session (as generated); skill demands are left out.
    """
    slots = inst.slots()
    ea = inst.enhanced_access
    out: dict[str, int] = {}
    for wk in inst.weeks():
        ea_gp = 0
        if ea:
            nsh = [s for s in slots if s.date in wk and inst.session(s.session).covers_nsh(s.date)]
            need = -(-ea.weekly_minutes * len(wk) // 7)
            # each GP-led site-slot gives at most rooms x NSH minutes; take the biggest first
            gains = sorted(
                (
                    inst.site(sid).rooms_at(s) * inst.session(s.session).nsh_minutes(s.date)
                    for s in nsh
                    for sid in ea.sites
                ),
                reverse=True,
            )
            got = n = 0
            while got < need and n < len(gains):
                got, n = got + gains[n], n + 1
            ea_gp = max(n, len(nsh))
        for role in sorted({d.role for d in inst.demand if d.role and d.skill is None}):
            target = sum(
                d.target
                for d in inst.demand
                if d.role == role and d.skill is None and d.target > d.min
                for s in slots
                if s.date in wk and d.applies(s)
            )
            people = [e for e in inst.staff if e.role == role]
            day = sum(
                min(
                    e.contracted_sessions,
                    2 * sum(1 for d in wk if d.weekday() < 5 and d not in e.leave),
                )
                for e in people
            )
            total = sum(e.contracted_sessions for e in people)
            if ea and role == ea.gp_role:
                total -= ea_gp
            out[role] = out.get(role, 0) + max(0, target - min(day, total))
    w = inst.weights.target_shortfall
    return {"sessions_short": out, "bound": w * sum(out.values())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limits", default="10,60")
    ap.add_argument("--runs", type=int, default=1, help="solver seeds 0..runs-1 per instance")
    ap.add_argument("--no-lns", action="store_true", help="plain CP-SAT (the old engine)")
    ap.add_argument("--no-hint", action="store_true", help="no greedy starting rota")
    ap.add_argument("--no-mip", action="store_true", help="CP-SAT alone: no LP-guided HiGHS search")
    a = ap.parse_args()
    for seed in [int(s) for s in a.seeds.split(",")]:
        inst = generate(seed=seed)
        g = check_rota(inst, greedy_rota(inst))
        agg = aggregate_bound(inst)
        print(
            json.dumps(
                {
                    "instance": inst.name,
                    "greedy_penalty": g.penalty,
                    "greedy_violations": len(g.violations),
                    "greedy_breakdown": g.breakdown,
                    "aggregate_bound": agg["bound"],
                    "aggregate_sessions_short": agg["sessions_short"],
                }
            ),
            flush=True,
        )
        for run, limit in [(r, float(x)) for r in range(a.runs) for x in a.limits.split(",")]:
            first: list[float] = []
            r = solve_rota(
                inst,
                limit,
                a.workers,
                explain=False,
                progress=lambda t, o, b, f=first: f.append(t),
                lns=not a.no_lns,
                seed=run,
                hint=not a.no_hint,
                mip=not a.no_mip,
            )
            c = check_rota(inst, r.assignments) if r.assignments else None
            obj = c.penalty if c else None
            known = obj and r.best_bound is not None
            gap = (obj - r.best_bound) / obj * 100 if known else None
            print(
                json.dumps(
                    {
                        "instance": inst.name,
                        "time_limit": limit,
                        "run": run,
                        "lns": not a.no_lns,
                        "mip": not a.no_mip,
                        "status": r.status,
                        "objective": obj,
                        "solver_objective": r.objective,
                        "best_bound": r.best_bound,
                        "gap_percent": round(gap, 2) if gap is not None else None,
                        "hard_violations": len(c.violations) if c else None,
                        "breakdown": c.breakdown if c else None,
                        "assignments": len(r.assignments),
                        "seconds": round(r.seconds, 1),
                        "first_rota_seconds": round(first[0], 1) if first else None,
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
