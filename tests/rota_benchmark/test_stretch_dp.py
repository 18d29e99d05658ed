"""The stretch DP: each employee's best row under the stretch rules, checked against every
row enumerated (slow, obvious) and against the generator's witness rosters."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.generator import with_witness
from openpcn.rota_benchmark.quick_roster import guess
from openpcn.rota_benchmark.scorer import score
from openpcn.rota_benchmark.stretch_dp import arrays, best_rows, counts, swap_types

# TINY's stretch rules with the counts left loose (minutes, shifts per type and weekends
# never bind), so the rows the scorer accepts are exactly those keeping the stretch rules;
# C has no maximum run within the week (the DP's saturating state).
STRETCH = """SECTION_HORIZON
7
SECTION_SHIFTS
D,480,
N,600,D
SECTION_STAFF
A,D=7|N=7,99999,0,3,2,1,1
B,D=7|N=0,99999,0,5,1,2,1
C,D=7|N=7,99999,0,7,3,2,1
SECTION_DAYS_OFF
A,5,6
SECTION_COVER
0,D,1,100,1
"""


@functools.cache
def stretch_legal(emp: str) -> tuple[tuple[str | None, ...], ...]:
    inst = parse_instance(STRETCH)
    others = [s.id for s in inst.staff if s.id != emp]
    blank = "".join(f"{o}" + "," * inst.horizon + "\n" for o in others)
    rows = []
    for row in itertools.product([None, *inst.shift_ids], repeat=inst.horizon):
        text = f"{emp}," + ",".join(t or "" for t in row) + "\n" + blank
        if not [v for v in score(STRETCH, text).violations if v.startswith(f"{emp}:")]:
            rows.append(row)
    return tuple(rows)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-20, 20), min_size=3 * 7 * 2, max_size=3 * 7 * 2))
def test_best_row_is_the_best_legal_row(values):
    inst = parse_instance(STRETCH)
    a = arrays(inst)
    gain = np.array(values, dtype=float).reshape(3, 7, 2)
    rows = best_rows(a, np.arange(3), gain)
    for e, s in enumerate(inst.staff):
        legal = stretch_legal(s.id)
        worth = {
            r: sum(gain[e, d, a.shift_ids.index(t)] for d, t in enumerate(r) if t) for r in legal
        }
        got = tuple(a.shift_ids[t] if t >= 0 else None for t in rows[e])
        assert got in legal  # keeps every stretch rule
        assert worth[got] == max(worth.values())  # and no legal row is worth more


@pytest.mark.parametrize("seed", [1000, 1003, 1007, 1015, 1023, 1030, 2003, 2019])
def test_witness_is_found_when_it_is_worth_most(seed):
    """Gains that favour each employee's witness row: the DP returns exactly the witness
    (so no legal row is cut off by the states), and its counts match the witness's."""
    text, witness = with_witness(seed)
    inst = parse_instance(text)
    a = arrays(inst)
    col = {t: i for i, t in enumerate(a.shift_ids)}
    want = np.array([[col[s] if s else -1 for s in witness[st.id]] for st in inst.staff])
    gain = np.full((len(inst.staff), a.horizon, len(col)), -1.0)
    e_i, d_i = np.nonzero(want >= 0)
    gain[e_i, d_i, want[e_i, d_i]] = 1.0
    rows = best_rows(a, np.arange(len(inst.staff)), gain)
    assert (rows == want).all()
    minutes, per_type, weekends = counts(a, np.arange(len(inst.staff)), rows)
    assert (minutes >= a.min_minutes).all() and (per_type <= a.max_shifts).all()


def test_no_legal_row_is_marked():
    text = STRETCH.replace("B,D=7|N=0,99999,0,5,1,2,1", "B,D=0|N=0,99999,0,5,1,2,1")
    a = arrays(parse_instance(text))
    rows = best_rows(a, np.arange(3), np.ones((3, 7, 2)))
    assert (rows[1] == -1).all()  # B may not work at all: a row of days off is still legal
    text = STRETCH.replace("A,5,6", "A,1,3,5")  # A's one-day stretches must be two long
    rows = best_rows(arrays(parse_instance(text)), np.arange(3), np.ones((3, 7, 2)))
    line = tuple(rows[0])
    assert line[1] == line[3] == line[5] == -1 and line[2] == -1 and line[4] == -1


@pytest.mark.parametrize("seed", [1003, 1005, 2000])
def test_swapped_rows_keep_every_rule(seed):
    """Rows whose types are over their maxima, moved onto other types: the scorer finds
    no fault with the result (or there is none)."""
    text = with_witness(seed)[0]
    inst = parse_instance(text)
    a = arrays(inst)
    E = len(inst.staff)
    rng = np.random.default_rng(seed)
    gain = rng.uniform(0, 1, (E, a.horizon, len(a.shift_ids)))
    gain = np.where(a.allowed, gain, -np.inf)
    lam = guess(a, np.arange(E), gain)  # a minute price near each contract's minutes
    gain = gain - lam[:, None, None] * a.minutes[None, None, :]
    rows = best_rows(a, np.arange(E), gain)
    swapped = 0
    for e, s in enumerate(inst.staff):
        row = swap_types(a, e, rows[e], gain[e])
        if row is None:
            continue
        swapped += 1
        line = {s.id: [a.shift_ids[t] if t >= 0 else None for t in row]}
        for o in inst.staff:
            line.setdefault(o.id, [None] * a.horizon)
        faults = [
            v for v in score(text, format_roster(line)).violations if v.startswith(f"{s.id}:")
        ]
        assert faults == []
    assert swapped  # the test checks something
