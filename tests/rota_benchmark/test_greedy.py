"""The one-employee-at-a-time first roster: legal (the independent scorer finds no broken
hard rule), its objective the scorer's, improving passes never worse than the first, and the
default search never worse than the roster it starts from."""

from __future__ import annotations

import time

import pytest

from openpcn.rota_benchmark.colgen import Infeasible, Pricer
from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.generator import generate
from openpcn.rota_benchmark.greedy import as_roster, greedy
from openpcn.rota_benchmark.model import solve_instance
from openpcn.rota_benchmark.scorer import score
from tests.rota_benchmark.instances import SMALL, TINY


@pytest.mark.parametrize(
    "text",
    [TINY, SMALL, generate(3, weeks=2, staff=12, shifts=3), generate(4, weeks=4, staff=20)],
    ids=["tiny", "small", "gen-2w-12-3", "gen-4w-20"],
)
def test_the_first_roster_is_legal_and_scored_as_the_scorer_scores_it(text):
    inst = parse_instance(text)
    pricers = [Pricer(inst, st) for st in inst.staff]
    now = time.perf_counter()
    rows, objective = greedy(inst, pricers, first_by=now + 5, improve_until=now)
    s = score(text, format_roster(as_roster(inst, rows)))
    assert s.violations == []
    assert s.penalty == objective


def test_improving_passes_never_make_it_worse():
    text = generate(8, weeks=3, staff=15, shifts=2)
    inst = parse_instance(text)
    pricers = [Pricer(inst, st) for st in inst.staff]
    now = time.perf_counter()
    _, first = greedy(inst, pricers, first_by=now + 5, improve_until=now)
    rows, better = greedy(inst, pricers, first_by=time.perf_counter() + 5,
                          improve_until=time.perf_counter() + 10)  # fmt: skip
    assert better <= first
    assert score(text, format_roster(as_roster(inst, rows))).penalty == better


def test_an_employee_with_no_legal_row_is_named():
    # minimum 3,000 minutes but at most one 480-minute shift: no row keeps both rules
    text = TINY_IMPOSSIBLE
    inst = parse_instance(text)
    pricers = [Pricer(inst, st) for st in inst.staff]
    now = time.perf_counter()
    with pytest.raises(Infeasible, match="A"):
        greedy(inst, pricers, first_by=now + 5, improve_until=now)


def test_the_default_search_is_never_worse_than_its_first_roster():
    text = generate(21, weeks=4, staff=30, shifts=4)
    inst = parse_instance(text)
    pricers = [Pricer(inst, st) for st in inst.staff]
    now = time.perf_counter()
    _, first = greedy(inst, pricers, first_by=now + 5, improve_until=now)
    r = solve_instance(inst, time_limit=8, workers=2)
    s = score(text, format_roster(r.roster))
    assert s.violations == [] and s.penalty == r.objective
    assert r.objective <= first


TINY_IMPOSSIBLE = """SECTION_HORIZON
14
SECTION_SHIFTS
D,480,
SECTION_STAFF
A,D=1,4320,3000,5,1,1,2
SECTION_COVER
0,D,1,100,1
"""
