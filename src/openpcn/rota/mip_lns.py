"""LP-guided large neighbourhood search with exact HiGHS sub-MIPs (decision 0009).

For a CP-SAT model that :func:`openpcn.rota.mip.to_mip` can translate:

1. **The LP relaxation** (HiGHS simplex) gives the lower bound (rounded up: the objective is
   integral) and a fractional rota. On the generated PCN-scale rota only ~3% of the decision
   variables are fractional in it.
2. **RENS**: every decision variable the LP has at 0 or 1 is fixed there and HiGHS solves the
   rest exactly (well under a second): the first rota, typically within 1.5% of the bound.
   When that sub-MIP has no solution, only the zeros are fixed; with still no rota (and no
   starting rota given), HiGHS solves the whole MIP until its first rota.
3. **LNS**: repeatedly fix every decision variable outside a neighbourhood (a few staff, a run
   of days, some roles over a run of days, the staff based at neighbouring sites: the
   engine's :class:`openpcn.rota.neighbourhoods.Family` list) to the incumbent and solve the rest
   exactly with HiGHS, started from the incumbent, for at most ``sub_limit`` seconds. A
   neighbourhood solved to optimality grows its family's size, one cut off by time shrinks it.

With ``workers`` > 1 and at least ``BESIDE_FROM`` seconds, HiGHS's own branch and bound
runs on the whole MIP beside all this (:class:`openpcn.rota.highs_run.BranchAndBound`): its
cuts raise the bound above the LP's (seed 2 of the generated rota: 4,208 to 4,222 in ~35 s),
and rotas pass both ways between it and the search.

Small models (at most ``whole_below`` decision variables) are solved whole by HiGHS instead,
in this process, which proves optimality. Every rota HiGHS returns is rounded and checked
against the MIP's rows exactly; the one returned is also checked by CP-SAT against the
original model with every variable fixed (the translation is trusted only once CP-SAT agrees).

HiGHS runs in a process of its own (:mod:`openpcn.rota.mip_search`), which sends each better
rota as it finds it: some parts of HiGHS's presolve never look at the clock (seen once in a
sub-MIP of its root heuristics, minutes past the time limit), and a process, unlike a thread,
can be stopped; the rotas it sent are kept. When this route cannot be taken (a constraint
kind the translation refuses, no LP in time, no rota) it returns ``None`` and the caller
searches with CP-SAT alone.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Callable, Sequence

import numpy as np
from ortools.sat.python import cp_model

from openpcn.rota.lns import LnsResult, complete, fix
from openpcn.rota.mip import integral_objective, to_mip
from openpcn.rota.mip_search import Incumbents, Job, run_search, solve_whole
from openpcn.rota.neighbourhoods import Family

ProgressFn = Callable[[float, int, float], None]

# The search process stops RESERVE seconds before the time limit; it may overrun that by
# GRACE before it is killed, which leaves time for CP-SAT's check of the final rota (~0.15 s).
RESERVE = 1.2
GRACE = 0.6
# HiGHS's branch and bound beside the search only with this many seconds to go: its root LP
# competes with the search's for ~10 s on the PCN-scale rota and its cuts need ~30 s to pay.
BESIDE_FROM = 30.0


def solve_mip_lns(
    model: cp_model.CpModel,
    families: Sequence[Family],
    *,
    time_limit: float,
    start: float | None = None,
    seed: int = 0,
    initial: Sequence[int] | None = None,
    progress: ProgressFn | None = None,
    sub_limit: float = 3.0,
    whole_below: int = 5000,
    workers: int = 2,
) -> LnsResult | None:
    """Minimise ``model`` by the LP, RENS and HiGHS sub-MIPs; ``None`` if this route fails.

    ``start`` is the ``perf_counter`` time the caller's clock started; ``initial`` (a solution
    of ``model``) is the incumbent if nothing better is found; ``progress(seconds, objective,
    bound)`` is called on each better rota.
    """
    start = time.perf_counter() if start is None else start
    try:
        mip = to_mip(model)
    except ValueError:
        return None
    res = LnsResult("UNKNOWN", None, None, None)

    def better(obj: int, x: np.ndarray) -> None:
        t = time.perf_counter() - start
        res.improvements += 1
        res.log.append((t, obj))
        if progress:
            progress(t, obj, s.bound)

    s = Incumbents(mip, integral_objective(model), on_better=better)
    if initial is not None:
        s.take(np.asarray(initial, dtype=float))
    decision = {i for f in families for g in f.cells() for i in g}
    if len(decision) <= whole_below:
        solve_whole(mip, s, seed, time_limit - (time.perf_counter() - start) - RESERVE)
        return _result(model, s, res) if s.found else None
    left = time_limit - (time.perf_counter() - start) - RESERVE
    ends = time.monotonic() + left
    job = Job(
        mip=mip,
        decision=np.array(sorted(decision), dtype=int),
        families=list(families),
        initial=s.incumbent,
        deadline=ends,
        seed=seed,
        sub_limit=sub_limit,
        beside=workers > 1 and left >= BESIDE_FROM,
        integral=s.integral,
    )
    outcome = run_process(job, s, res, ends + GRACE)
    if outcome in ("error", "no lp") or not s.found:
        return None
    return _result(model, s, res)


def run_process(
    job: Job, s: Incumbents, res: LnsResult, hard_stop: float, target: Callable = run_search
) -> str:
    """Run ``target`` (:func:`run_search`) in a process and take in what it sends until it is
    done or ``hard_stop`` (monotonic) has passed; then stop it, killing it if it does not stop
    at once. Returns how it ended: done, error, no lp or timeout."""
    ctx = multiprocessing.get_context("spawn")  # no fork of a process with solver threads
    here, there = ctx.Pipe(duplex=False)
    stop = ctx.Event()
    proc = ctx.Process(target=target, args=(there, stop, job), daemon=True)
    proc.start()
    there.close()
    outcome, no_lp = "timeout", False
    try:
        while (wait := hard_stop - time.monotonic()) > 0:
            if time.monotonic() >= job.deadline:
                stop.set()
            if not here.poll(min(wait, 0.1)):
                continue
            try:
                msg = here.recv()
            except EOFError:
                outcome = "error"
                break
            kind = msg[0]
            if kind == "rota":
                s.take(msg[1])
            elif kind == "bound":
                s.raise_bound(msg[1])
            elif kind == "lp":
                no_lp = not msg[1]
            elif kind == "stats":
                res.iterations, res.tries = msg[1], msg[2] or {}
            elif kind in ("done", "error"):
                outcome = kind
                break
    finally:
        stop.set()
        proc.join(0.2)
        if proc.is_alive():  # stuck inside HiGHS: what it sent is kept
            proc.kill()
            proc.join()
        here.close()
    return "no lp" if no_lp and outcome != "error" else outcome


def _result(model: cp_model.CpModel, s: Incumbents, res: LnsResult) -> LnsResult | None:
    for obj, x in reversed(s.found):  # the best rota CP-SAT agrees with
        values = _checked(model, x)
        if values is not None:
            res.objective, res.values = obj, values
            break
    else:
        return None
    res.best_bound = min(s.bound, res.objective) if math.isfinite(s.bound) else None
    res.status = "OPTIMAL" if res.objective <= s.bound else "FEASIBLE"
    return res


def _checked(model: cp_model.CpModel, x: np.ndarray) -> list[int] | None:
    """``x`` as a CP-SAT solution of ``model`` (every variable fixed), or None if CP-SAT says
    it is not one."""
    m = model.clone()
    m.clear_hints()
    fix(m, ((i, int(v)) for i, v in enumerate(x)))
    return complete(m)
