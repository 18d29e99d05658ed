"""Column generation for benchmark instances: pricing against enumeration, bounds, search."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openpcn.rota_benchmark import colgen
from openpcn.rota_benchmark.format import parse_instance
from tests.rota_benchmark.instances import SMALL, TINY, legal_rows, small_optimum

TINY_INST = parse_instance(TINY)
H = TINY_INST.horizon
CELLS = [(d, t) for d in range(H) for t in TINY_INST.shift_ids]


LEGAL = {s.id: legal_rows(s.id) for s in TINY_INST.staff}


def _request_cost(emp: str, row) -> int:
    cost = sum(r.weight for r in TINY_INST.on_requests if r.staff == emp and row[r.day] != r.shift)
    return cost + sum(
        r.weight for r in TINY_INST.off_requests if r.staff == emp and row[r.day] == r.shift
    )


def test_pricing_patterns_are_exactly_the_legal_rows():
    """Zero duals and a cost that rewards every cell: the pricer's optimum is a legal row and
    no legal row is cheaper (the enumeration of every row is the reference)."""
    for e, staff in enumerate(TINY_INST.staff):
        pricer = colgen.Pricer(TINY_INST, staff)
        assert LEGAL[staff.id], "the tiny instance has legal rows for everyone"
        pats, low = pricer.price({}, 5.0)
        best = pats[-1]
        row = tuple(
            next((t for t in TINY_INST.shift_ids if (d, t) in best), None) for d in range(H)
        )
        assert row in LEGAL[staff.id], e
        assert pricer.cost(best) == _request_cost(staff.id, row)
        assert pricer.cost(best) == min(_request_cost(staff.id, r) for r in LEGAL[staff.id])
        assert low <= pricer.cost(best) + 1e-9


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-300, 300), min_size=len(CELLS), max_size=len(CELLS)))
def test_pricing_optimum_matches_enumeration(raw):
    """Random cover duals: min(cost - duals) over legal rows equals the pricer's optimum, and
    the pricer's lower bound never exceeds it."""
    pi = {c: v / 7 for c, v in zip(CELLS, raw, strict=True)}
    for staff in TINY_INST.staff:
        pricer = colgen.Pricer(TINY_INST, staff)
        ref = min(
            _request_cost(staff.id, row) - sum(pi[d, t] for d, t in enumerate(row) if t is not None)
            for row in LEGAL[staff.id]
        )
        pats, low = pricer.price(pi, 5.0)
        got = pricer.cost(pats[-1]) - sum(pi[k] for k in pats[-1])
        assert low <= ref + 1e-9
        assert got == pytest.approx(ref, abs=H / colgen.SCALE)


def test_master_refuses_a_pattern_twice():
    pricers = [colgen.Pricer(TINY_INST, s) for s in TINY_INST.staff]
    master = colgen.Master(TINY_INST, pricers)
    pat = colgen.Pattern({(0, "D"), (1, "D")})
    assert master.add(0, pat) is True
    assert master.add(0, pat) is False
    assert master.add(1, pat) is True


def test_column_generation_bound_is_below_the_proven_optimum():
    """Root column generation converges; its Lagrangian bound and LP value never exceed the
    optimum proved by a long plain CP-SAT solve (and the LP is not trivially weak)."""
    inst = parse_instance(SMALL)
    ref = small_optimum()
    pricers = [colgen.Pricer(inst, s) for s in inst.staff]
    master = colgen.Master(inst, pricers)
    state = colgen.generate(
        master,
        list(range(len(pricers))),
        deadline=time.perf_counter() + 30,
        workers=2,
        limit=2.0,
    )
    assert state.converged
    assert state.bound <= state.lp + 1e-6
    assert state.lp <= ref.objective + 1e-6
    assert math.ceil(state.bound - 1e-6) <= ref.objective
    assert state.lp >= 0.5 * ref.objective


def test_a_root_gap_stops_column_generation_early_with_a_valid_bound():
    """Stopping once the Lagrangian bound is within 5% of the LP takes fewer rounds than
    running to convergence (SMALL: 7 against 10), not before ``gap_after``, and the bound it
    gives is within 5% of that LP and still no more than the proven optimum."""
    inst = parse_instance(SMALL)
    ref = small_optimum()

    def run(gap: float, gap_after: float = 0.0) -> colgen.CgState:
        master = colgen.Master(inst, [colgen.Pricer(inst, s) for s in inst.staff])
        return colgen.generate(
            master,
            list(range(len(inst.staff))),
            deadline=time.perf_counter() + 30,
            workers=2,
            limit=2.0,
            gap=gap,
            gap_after=gap_after,
        )

    full, early = run(0.0), run(0.05)
    later = run(0.05, gap_after=time.perf_counter() + 60)  # never late: runs to convergence
    assert early.iterations < full.iterations == later.iterations
    assert early.bound >= early.lp - 0.05 * early.lp - 1e-6
    assert math.ceil(early.bound - 1e-6) <= ref.objective
    assert full.bound <= full.lp + 1e-6
