"""The quick roster: legal rows priced as the scorer prices them, never worse as it goes,
the same for a seed, and CP-SAT's pricing for the employees the stretch DP cannot fit."""

from __future__ import annotations

import time

import numpy as np
import pytest

from openpcn.rota_benchmark import quick_roster as quick
from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.generator import generate
from openpcn.rota_benchmark.greedy import as_roster
from openpcn.rota_benchmark.scorer import score
from openpcn.rota_benchmark.stretch_dp import arrays
from tests.rota_benchmark.instances import SMALL, TINY


def _roster(inst, out):
    return as_roster(inst, [out.rows[e] for e in range(len(inst.staff))])


def _faults(text, inst, out):
    """The scorer's faults with the rows there are (employees without one left off)."""
    roster = {s.id: [None] * inst.horizon for s in inst.staff}
    for e, row in out.rows.items():
        cells = dict(row)
        roster[inst.staff[e].id] = [cells.get(d) for d in range(inst.horizon)]
    rowless = {inst.staff[e].id for e in range(len(inst.staff)) if e not in out.rows}
    return [
        v for v in score(text, format_roster(roster)).violations if v.split(":")[0] not in rowless
    ]


@pytest.mark.parametrize(
    "text", [TINY, SMALL, generate(1003), generate(1006), generate(2010), generate(2026)]
)
def test_rows_are_legal_and_the_objective_is_the_scorers(text):
    inst = parse_instance(text)
    now = time.perf_counter()
    out = quick.quick_roster(inst, first_by=now + 30, improve_until=now + 30)
    assert _faults(text, inst, out) == []
    assert out.objective is not None  # these all get a whole roster
    assert out.objective == score(text, format_roster(_roster(inst, out))).penalty
    objectives = [o for _, o in out.log]
    assert objectives == sorted(objectives, reverse=True)  # each pass keeps or lowers it
    assert objectives[-1] == out.objective


def test_the_same_seed_gives_the_same_roster():
    inst = parse_instance(generate(2012))
    runs = []
    for _ in range(2):
        now = time.perf_counter()
        runs.append(quick.quick_roster(inst, first_by=now + 30, improve_until=now + 30, seed=3))
    assert runs[0].rows == runs[1].rows and runs[0].objective == runs[1].objective


def test_no_time_to_improve_is_one_pass():
    inst = parse_instance(generate(1006))
    past = time.perf_counter() - 1
    out = quick.quick_roster(inst, first_by=past, improve_until=past)
    assert out.passes == 1


def test_rows_the_dp_cannot_fit_come_from_cp_sat(monkeypatch):
    monkeypatch.setattr(quick, "fit", lambda *args, **kw: {})
    inst = parse_instance(SMALL)
    now = time.perf_counter()
    out = quick.quick_roster(inst, first_by=now + 30, improve_until=now)
    assert set(out.rows) == set(range(len(inst.staff)))
    assert _faults(SMALL, inst, out) == []
    assert out.objective == score(SMALL, format_roster(_roster(inst, out))).penalty


def test_guess_reaches_the_middle_of_the_minutes():
    """With one value per minute on each day, the guess is the rate at which the best days'
    minutes reach the middle of the contract."""
    inst = parse_instance(generate(1006))
    a = arrays(inst)
    E, H, T = len(inst.staff), a.horizon, len(a.shift_ids)
    rate = np.tile(np.linspace(2.0, 1.0, H)[None, :, None], (E, 1, T))
    lam = quick.guess(a, np.arange(E), rate * a.minutes[None, None, :])
    for e in range(E):
        days = np.flatnonzero(rate[e, :, 0] >= lam[e] - 1e-9)
        middle = (a.min_minutes[e] + a.max_minutes[e]) / 2
        assert len(days) * a.minutes.max() >= middle - 1e-6
