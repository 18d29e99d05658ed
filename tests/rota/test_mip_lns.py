"""LP-guided LNS with HiGHS sub-MIPs: rotas the checker agrees with, never below the optimum
CP-SAT proves, a bound never above it; and the fall-back when the model cannot be translated."""

from __future__ import annotations

import math
import multiprocessing
import time

import numpy as np
import pytest
from ortools.sat.python import cp_model

from openpcn.rota.highs_run import BranchAndBound
from openpcn.rota.lns import LnsResult, Values
from openpcn.rota.mip import to_mip
from openpcn.rota.mip_lns import run_process, solve_mip_lns
from openpcn.rota.mip_search import Incumbents, Job
from openpcn.rota.neighbourhoods import Family
from openpcn.rota.pcn.check import check_rota
from openpcn.rota.pcn.engine import _assignments, _families, _greedy_start, solve_rota
from openpcn.rota.pcn.generate import generate
from openpcn.rota.pcn.model import ModelBuilder
from tests.rota.limits import UNTIL_PROVED


@pytest.fixture(scope="module")
def small():
    """A generated PCN rota small enough for CP-SAT to prove its optimum."""
    inst = generate(sites=3, staff=14, weeks=1, care_homes=2, ea_sites=1, seed=3)
    ref = solve_rota(inst, time_limit=UNTIL_PROVED, workers=2, explain=False, mip=False)
    assert ref.status == "OPTIMAL"
    return inst, ref.objective


@pytest.mark.parametrize("whole_below", [0, 10**6])  # LP + RENS + LNS; the whole MIP
def test_rota_is_checked_and_never_beats_the_proven_optimum(small, whole_below):
    inst, optimum = small
    b = ModelBuilder(inst, explain=False)
    b.build()
    seen = []
    r = solve_mip_lns(
        b.m,
        _families(b),
        time_limit=UNTIL_PROVED if whole_below else 20,  # the LNS runs its whole limit
        initial=_greedy_start(b, 2),
        whole_below=whole_below,
        progress=lambda t, obj, bound: seen.append(obj),
    )
    assert r is not None
    c = check_rota(inst, _assignments(b, Values(r.values)))
    assert c.violations == []
    assert c.penalty == r.objective >= optimum
    assert r.best_bound <= optimum
    assert seen == sorted(seen, reverse=True) and seen[-1] == r.objective
    if whole_below:
        assert r.status == "OPTIMAL" and r.objective == optimum
    else:
        assert r.iterations > 0  # the neighbourhood search ran
        assert r.objective <= optimum * 1.05


def test_a_model_it_cannot_translate_falls_back_to_none():
    m = cp_model.CpModel()
    x, y, z = (m.new_int_var(0, 3, n) for n in "xyz")
    m.add_multiplication_equality(z, [x, y])
    m.minimize(z)
    assert solve_mip_lns(m, [Family("x", [[x.index], [y.index]])], time_limit=2) is None


def test_engine_without_mip_and_with_it_agree_on_the_optimum(small):
    inst, optimum = small
    r = solve_rota(inst, time_limit=UNTIL_PROVED, workers=2, explain=False)
    assert r.status == "OPTIMAL" and r.objective == optimum == r.best_bound


def test_branch_and_bound_proves_the_optimum_and_stops_when_asked(small):
    inst, optimum = small
    b = ModelBuilder(inst, explain=False)
    b.build()
    bb = BranchAndBound(to_mip(b.m), seed=0, limit=30, start=None)
    bb.thread.join(35)
    assert bb.error is None and bb.optimal
    assert math.ceil(bb.bound - 1e-6) == optimum == round(bb.take()[0])
    big = ModelBuilder(generate(seed=1), explain=False)  # minutes to prove
    big.build()
    bb = BranchAndBound(to_mip(big.m), seed=0, limit=4, start=None)
    time.sleep(1)
    bb.finish()  # its root LP does not call back: it stops at its time limit
    # it stopped, says it proved nothing, and what it had is consistent with its bound
    # (how long the stop takes is measured in benchmarks/rota/stop_bench.py)
    assert not bb.thread.is_alive() and not bb.optimal and bb.error is None
    had = bb.take()
    assert had is None or had[0] >= bb.bound - 1e-6


def _stuck(conn, stop, job):
    """A search process that sends one rota, then ignores every request to stop (as HiGHS
    did once, inside its presolve)."""
    conn.send(("rota", job.initial.astype(np.int32)))
    time.sleep(120)


def test_a_stuck_search_process_is_killed_and_what_it_sent_is_kept(small):
    inst, _ = small
    b = ModelBuilder(inst, explain=False)
    b.build()
    mip = to_mip(b.m)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(b.m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    start = np.array(solver.response_proto.solution)
    s = Incumbents(mip, integral=True)
    now = time.monotonic()
    job = Job(mip, np.arange(3), [], np.asarray(start, float), now + 1, 0, 1.0, False, True)
    # the hard stop leaves a starting process (over 10 s on a busy machine) time to send
    outcome = run_process(job, s, LnsResult("UNKNOWN", None, None, None), now + 30, _stuck)
    # it was stopped (killed: no search process is left) and what it sent is kept
    assert outcome == "timeout" and multiprocessing.active_children() == []
    assert s.objective == round(mip.objective(start))


def _no_lp(conn, stop, job):
    conn.send(("lp", False))
    conn.send(("done",))


def _fails(conn, stop, job):
    conn.send(("lp", False))
    conn.send(("error", "RuntimeError: boom"))


@pytest.mark.parametrize(("target", "outcome"), [(_no_lp, "no lp"), (_fails, "error")])
def test_how_a_search_process_ended_is_reported(small, target, outcome):
    inst, _ = small
    b = ModelBuilder(inst, explain=False)
    b.build()
    mip = to_mip(b.m)
    now = time.monotonic()
    job = Job(mip, np.arange(3), [], None, now + 5, 0, 1.0, False, True)
    s = Incumbents(mip, integral=True)
    res = LnsResult("UNKNOWN", None, None, None)
    # it returns when the process says it ended; the late hard stop is for a busy machine
    assert run_process(job, s, res, now + 120, target) == outcome
    assert multiprocessing.active_children() == [] and not s.found
