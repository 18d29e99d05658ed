"""Rostering neighbourhoods on the rota engine's LNS driver: each family frees what it says,
and the search from a poor roster gives rosters the independent scorer agrees with."""

from __future__ import annotations

import random
import time
from collections import defaultdict

import pytest

from openpcn.rota.lns import LnsResult, complete, objective_of
from openpcn.rota_benchmark import roster_lns
from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.model import build_parts
from openpcn.rota_benchmark.scorer import score
from tests.rota_benchmark.instances import SMALL

INST = parse_instance(SMALL)
N, H = len(INST.staff), INST.horizon


@pytest.fixture(scope="module")
def first_roster():
    """The model, and a first roster of SMALL (any one: the objective is left out)."""
    parts = build_parts(INST)
    m = parts.model.clone()
    m.clear_objective()
    values = complete(m)
    assert values is not None
    return parts, values


@pytest.fixture(scope="module")
def draws(first_roster):
    parts, values = first_roster
    moves = roster_lns.RosterMoves(INST, parts.x, random.Random(5))
    moves.moved(values)
    by_family = defaultdict(list)
    for _ in range(400):
        fam, cells = moves.draw_cells()
        by_family[fam].append(cells)
    return moves, by_family


def _days(cells) -> list[int]:
    return sorted({d for _, d in cells})


def _staff(cells) -> set[int]:
    return {e for e, _ in cells}


def _run(days: list[int]) -> bool:
    return days == list(range(days[0], days[0] + len(days)))


@pytest.mark.parametrize(
    ("family", "holds"),
    [
        ("staff", lambda m, c: 2 <= len(_staff(c)) < N and len(c) == len(_staff(c)) * H),
        ("block", lambda m, c: _run(_days(c)) and 7 <= len(_days(c)) <= 14),
        ("days", lambda m, c: _staff(c) == set(range(N)) and _run(_days(c))),
        ("cover", lambda m, c: any(d in _days(c) for d, _ in m.missed) and _run(_days(c))),
        ("request", lambda m, c: any(cell in c for cell in m.requests) and _run(_days(c))),
    ],
)
def test_each_family_frees_what_it_says(draws, family, holds):
    moves, by_family = draws
    if family == "cover":
        assert moves.missed, "a first roster of SMALL misses cover (more cover than staff)"
    assert by_family[family], f"{family} never drawn in 400 draws"
    for cells in by_family[family]:
        assert cells <= {(e, d) for e in range(N) for d in range(H)}
        assert holds(moves, cells), (family, sorted(cells))
    # and draw() frees exactly the x variables of those cells
    fam, free = moves.draw()
    assert free <= set(moves.decision)


def test_rostering_lns_improves_a_poor_roster_and_is_scored_the_same(first_roster):
    parts, values = first_roster
    start_obj = objective_of(parts.model, values)
    out = LnsResult("FEASIBLE", start_obj, 0, list(values), log=[(0.0, start_obj)])
    roster_lns.improve(
        INST, parts.model, parts.x, out, deadline=time.perf_counter() + 4, start=0.0, lanes=2
    )
    assert out.iterations > 0 and out.objective < start_obj
    assert sum(t[0] for t in out.tries.values()) == out.iterations
    shifts = roster_lns.shifts(INST, parts.x, out.values)
    s = score(SMALL, format_roster({st.id: shifts[e] for e, st in enumerate(INST.staff)}))
    assert s.violations == []
    assert s.penalty == out.objective == roster_lns.penalty(INST, shifts)[0]
