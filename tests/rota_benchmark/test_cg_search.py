"""The search on column generation: rosters from the relaxation (RINS, dives, the cover-first
re-solve) and the whole search, checked by the independent scorer."""

from __future__ import annotations

import itertools
import math
import random
import time

from openpcn.rota_benchmark import cg_search, colgen, lp_rosters
from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.model import build_parts
from openpcn.rota_benchmark.scorer import score
from tests.rota_benchmark.instances import SMALL, TINY, legal_rows


def test_cg_search_runs_every_phase_and_is_scored_the_same():
    inst = parse_instance(SMALL)
    parts = build_parts(inst)
    seen: list[str] = []
    out = cg_search.solve_cg(
        inst, parts, time_limit=6, workers=2, probe=0.0, on_phase=lambda n, t, v: seen.append(n)
    )
    assert out.values is not None
    if out.status != "OPTIMAL" or seen:  # the probe did not prove it: the rest ran
        assert seen[:3] == ["greedy", "probe", "columns"]
    shifts = [
        [
            next((t for t in inst.shift_ids if out.values[parts.x[s.id, d, t].index]), None)
            for d in range(inst.horizon)
        ]
        for s in inst.staff
    ]
    s = score(SMALL, format_roster({st.id: shifts[e] for e, st in enumerate(inst.staff)}))
    assert s.violations == []
    assert s.penalty == out.objective
    assert out.best_bound <= out.objective


def test_dive_and_rins_give_legal_rosters_no_better_than_the_bound():
    inst = parse_instance(SMALL)
    parts = build_parts(inst)
    pricers = [colgen.Pricer(inst, s) for s in inst.staff]
    master = colgen.Master(inst, pricers)
    state = colgen.generate(
        master, list(range(len(pricers))), deadline=time.perf_counter() + 30, workers=2, limit=2
    )
    bound = math.ceil(state.bound - 1e-6)
    found = lp_rosters.rins(master, parts, limit=3, workers=2, seed=0, bound=bound)
    dived = lp_rosters.dive(
        master, parts, deadline=time.perf_counter() + 8, workers=2, limit=0.5, complete_for=3
    )
    for roster in (found, dived):
        assert roster is not None
        s = score(SMALL, format_roster(roster))
        assert s.violations == []
        assert s.penalty >= bound


def test_cover_first_re_solve_is_lexicographic():
    """The re-solve aiming at cover first reaches the least under-cover penalty any roster
    has and, among those rosters, the least whole penalty: checked against every pair of
    legal rows of the tiny instance, each scored by the independent scorer. Day 1's cover is
    made cheap (1 a unit against A's request of 3 to be off), so the plain optimum misses it
    and the lexicographic one does not."""
    text = TINY.replace("1,D,2,100,1", "1,D,2,1,1")
    inst = parse_instance(text)
    parts = build_parts(inst)
    a, b = (s.id for s in inst.staff)
    scored = []
    for ra, rb in itertools.product(legal_rows(a), legal_rows(b)):
        s = score(text, format_roster({a: list(ra), b: list(rb)}))
        scored.append((s.breakdown["cover_under"], s.penalty))
    least_under = min(u for u, _ in scored)
    best_then = min(p for u, p in scored if u == least_under)
    assert min(p for _, p in scored) < best_then  # the two orders really differ here
    empty = [colgen.Pattern() for _ in inst.staff]
    roster = lp_rosters.subsolve(
        parts, inst, {}, empty, limit=10, workers=2, seed=0, cover_first=least_under
    )
    s = score(text, format_roster(roster))
    assert s.violations == []
    assert (s.breakdown["cover_under"], s.penalty) == (least_under, best_then)
    plain = lp_rosters.subsolve(parts, inst, {}, empty, limit=10, workers=2, seed=0)
    assert score(text, format_roster(plain)).penalty == min(p for _, p in scored)


def test_a_dive_releases_the_master_and_a_shuffled_dive_is_legal():
    """A dive pins columns while rounding and releases them all afterwards (the master is
    reused by the next dive); a second dive in a shuffled order gives a legal roster too."""
    inst = parse_instance(SMALL)
    parts = build_parts(inst)
    master = colgen.Master(inst, [colgen.Pricer(inst, s) for s in inst.staff])
    state = colgen.generate(
        master, list(range(len(inst.staff))), deadline=time.perf_counter() + 30, workers=2, limit=2
    )
    bound = math.ceil(state.bound - 1e-6)
    for rng in (None, random.Random(1)):
        roster = lp_rosters.dive(
            master,
            parts,
            deadline=time.perf_counter() + 6,
            workers=2,
            limit=0.5,
            complete_for=2,
            bound=bound,
            rng=rng,
        )
        assert all(v.lb() == 0 for cols in master.cols for _, v in cols)
        s = score(SMALL, format_roster(roster))
        assert s.violations == []
        assert s.penalty >= bound
