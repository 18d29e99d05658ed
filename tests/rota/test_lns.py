"""Large neighbourhood search driver: reaches known optima; its rotas pass the judges."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from openpcn.rota.lns import Family, Values, solve_lns
from openpcn.rota.pcn.check import check_rota
from openpcn.rota.pcn.engine import solve_rota
from openpcn.rota.pcn.generate import generate
from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.model import solve_instance
from openpcn.rota_benchmark.scorer import score


def _assignment(cost: list[list[int]]):
    n = len(cost)
    m = cp_model.CpModel()
    x = {(i, j): m.new_bool_var(f"x{i}{j}") for i in range(n) for j in range(n)}
    for i in range(n):
        m.add_exactly_one(x[i, j] for j in range(n))
        m.add_exactly_one(x[j, i] for j in range(n))
    m.minimize(sum(cost[i][j] * x[i, j] for i in range(n) for j in range(n)))
    rows = [[x[i, j].index for j in range(n)] for i in range(n)]
    return m, x, rows


def _brute_force(cost: list[list[int]]) -> int:
    n = len(cost)
    return min(sum(cost[i][p[i]] for i in range(n)) for p in itertools.permutations(range(n)))


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000))
def test_lns_reaches_brute_force_optimum_of_assignment(seed):
    rng = random.Random(seed)
    n = 6
    cost = [[rng.randrange(100) for _ in range(n)] for _ in range(n)]
    m, x, rows = _assignment(cost)
    cols = [[rows[i][j] for i in range(n)] for j in range(n)]
    # first_phase=0: the full solve stops at its first solution, the rest is LNS.
    r = solve_lns(
        m,
        [
            Family("rows", rows),
            Family("cols", cols, window=True),
            Family("block", grid=[[[i] for i in row] for row in rows]),
        ],
        time_limit=1.0,
        workers=2,
        seed=seed,
        first_phase=0.0,
        sub_limit=0.2,
    )
    best = _brute_force(cost)
    assert r.objective == best
    sol = Values(r.values)
    chosen = [j for i in range(n) for j in range(n) if sol.boolean_value(x[i, j])]
    assert sorted(chosen) == list(range(n))  # a permutation
    assert sum(cost[i][chosen[i]] for i in range(n)) == best
    assert r.status in ("OPTIMAL", "FEASIBLE")
    if r.status == "OPTIMAL":
        assert r.best_bound == pytest.approx(best)


def test_values_reads_literals_and_negations():
    m = cp_model.CpModel()
    a, b = m.new_bool_var("a"), m.new_int_var(0, 9, "b")
    sol = Values([1, 7])
    assert (sol.value(a), sol.value(a.Not()), sol.value(b)) == (1, 0, 7)
    assert sol.boolean_value(a) and not sol.boolean_value(a.Not())


def test_infeasible_model_reports_no_solution():
    m = cp_model.CpModel()
    v = m.new_bool_var("v")
    m.add(v == 1)
    m.add(v == 0)
    m.minimize(v)
    r = solve_lns(m, [Family("v", [[v.index]])], time_limit=2)
    assert r.status == "INFEASIBLE"
    assert r.values is None and r.objective is None


CURTOIS = """SECTION_HORIZON
14
SECTION_SHIFTS
D,480,
N,480,D
SECTION_STAFF
A,D=14|N=3,4800,2880,4,2,2,1
B,D=14|N=3,4800,2880,4,2,2,1
C,D=14|N=3,4800,2880,4,2,2,1
D,D=14|N=0,3840,1920,5,1,1,2
SECTION_DAYS_OFF
A,3
SECTION_SHIFT_ON_REQUESTS
B,2,N,3
C,9,D,2
SECTION_SHIFT_OFF_REQUESTS
D,5,D,4
SECTION_COVER
"""


def test_curtois_lns_roster_is_scored_the_same_and_has_no_violations():
    text = CURTOIS + "".join(
        f"{d},D,{2 if d % 7 < 5 else 1},100,1\n{d},N,1,100,1\n" for d in range(14)
    )
    inst = parse_instance(text)
    r = solve_instance(inst, time_limit=2, workers=2, lns=True, first_phase=0.0)
    ref = solve_instance(inst, time_limit=10, workers=2, lns=False)
    s = score(text, format_roster(r.roster))
    assert s.violations == []
    assert s.penalty == r.objective
    if ref.status == "OPTIMAL":
        assert r.objective >= ref.objective  # never below the proven optimum


def test_pcn_lns_rota_passes_the_checker():
    inst = generate(sites=3, staff=14, weeks=1, care_homes=2, ea_sites=1, seed=3)
    r = solve_rota(inst, time_limit=3, workers=2, explain=False, first_phase=0.0, mip=False)
    assert r.status in ("OPTIMAL", "FEASIBLE")
    c = check_rota(inst, r.assignments)
    assert c.violations == []
    assert c.penalty == r.objective


@pytest.mark.parametrize("bound_thread", [False, True])
def test_lns_from_a_given_start_never_returns_worse_and_reaches_optimum(bound_thread):
    rng = random.Random(7)
    n = 6
    cost = [[rng.randrange(100) for _ in range(n)] for _ in range(n)]
    m, x, rows = _assignment(cost)
    # the identity permutation as the starting solution (a value for every variable)
    start = [0] * len(m.proto.variables)
    for i in range(n):
        start[x[i, i].index] = 1
    r = solve_lns(
        m,
        [Family("rows", rows), Family("block", grid=[[[i] for i in row] for row in rows])],
        time_limit=2.0,
        workers=2,
        first_phase=0.0,
        sub_limit=0.2,
        initial=start,
        bound_thread=bound_thread,
    )
    assert r.log[0][1] == sum(cost[i][i] for i in range(n))  # the start is reported first
    assert r.objective <= r.log[0][1]
    assert r.objective == _brute_force(cost)
