"""The adaptive default: which search it chooses from the shape (and why, in words), the
CP-SAT search it chooses for many shift types, from the quick roster, and its progress
reports."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openpcn.rota_benchmark import cpsat_search, default
from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.generator import generate
from openpcn.rota_benchmark.model import build_parts, solve_instance
from openpcn.rota_benchmark.progress import Reporter
from openpcn.rota_benchmark.scorer import score
from tests.rota_benchmark.instances import SMALL, TINY, small_optimum


def test_tightness_of_tiny_by_hand():
    inst = parse_instance(TINY)
    mean = sum(s.minutes for s in inst.shifts) / len(inst.shifts)
    allowed = sum(min(inst.horizon, s.max_minutes / mean) for s in inst.staff)
    assert default.tightness(inst) == pytest.approx(
        sum(c.requirement for c in inst.cover) / allowed
    )


@pytest.mark.parametrize(
    ("given", "time_limit", "method", "says"),
    [
        ({"shifts": 6, "weeks": 4, "staff": 12}, 20, "cpsat", "6 shift types"),
        ({"shifts": 8, "weeks": 2, "staff": 10}, 60, "cpsat", "8 shift types"),
    ],
)
def test_many_shift_types_choose_cpsat(given, time_limit, method, says):
    choice = default.choose(parse_instance(generate(5, **given)), time_limit, 2)
    assert choice.method == method and says in choice.reason


@pytest.mark.parametrize("seed", [1000, 1002, 1010, 1011])
def test_the_choice_follows_the_shape_and_the_time(seed):
    """Tight, few shift types, few enough cells: column generation; the same instance with
    too little time for its cells: CP-SAT."""
    inst = parse_instance(generate(seed))
    assert len(inst.shift_ids) <= default.CG_MAX_SHIFT_TYPES
    assert default.tightness(inst) >= default.CG_MIN_TIGHTNESS
    cells = len(inst.staff) * inst.horizon * len(inst.shift_ids)
    enough = cells / default.CG_CELLS_PER_SECOND
    assert default.choose(inst, enough + 1, 2).method == "cg"
    short = default.choose(inst, enough / 2, 2)
    assert short.method == "cpsat" and "cells" in short.reason


def test_loose_cover_chooses_cpsat():
    inst = parse_instance(generate(1001))
    assert default.tightness(inst) < default.CG_MIN_TIGHTNESS
    choice = default.choose(inst, 60, 2)
    assert choice.method == "cpsat" and "of what contracts allow" in choice.reason


@pytest.mark.parametrize("hinted", [False, True])
def test_cpsat_search_is_valid_and_never_beats_the_optimum(hinted):
    ref = small_optimum()
    inst = parse_instance(SMALL)
    parts = build_parts(inst)
    start = time.perf_counter()
    quick = default.quick_start(inst, start, 5) if hinted else None
    out = cpsat_search.solve_cpsat(
        inst,
        parts,
        time_limit=5,
        start=start,
        rows=quick.rows if quick else None,
        first=quick.objective if quick else None,
    )
    assert out.values is not None
    roster = {
        s.id: [
            next((t for t in inst.shift_ids if out.values[parts.x[s.id, d, t].index]), None)
            for d in range(inst.horizon)
        ]
        for s in inst.staff
    }
    result = score(SMALL, format_roster(roster))
    assert result.violations == [] and result.penalty == out.objective
    assert ref.objective <= out.objective and out.best_bound <= ref.objective
    assert any(name.startswith("quick roster") for name, _, _ in out.phases) == hinted
    if hinted:
        assert out.objective <= quick.objective  # never worse than its start


def test_cpsat_search_keeps_the_quick_roster_when_cp_sat_finds_none():
    """No time left for CP-SAT: the result is the quick roster itself."""
    inst = parse_instance(SMALL)
    parts = build_parts(inst)
    start = time.perf_counter()
    quick = default.quick_start(inst, start, 5)
    out = cpsat_search.solve_cpsat(
        inst, parts, time_limit=0.0, start=start, rows=quick.rows, first=quick.objective
    )
    assert out.objective == quick.objective and out.values is not None


def test_default_names_its_choice_and_solves():
    text = generate(7, shifts=6, weeks=2, staff=8)
    inst = parse_instance(text)
    out = default.solve_default(inst, build_parts(inst), time_limit=4)
    assert out.phases[0][0].startswith("chose cpsat: 6 shift types")
    r = solve_instance(inst, time_limit=4)  # the default method
    assert r.roster is not None
    result = score(text, format_roster(r.roster))
    assert result.violations == [] and result.penalty == r.objective


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["roster", "bound"]),
            st.integers(0, 1000),
            st.none() | st.floats(-10, 1000, allow_nan=False),
        ),
        max_size=30,
    )
)
def test_reports_are_monotone(events):
    """Whatever order the phases tell it in, the caller sees better rosters and higher bounds
    only, and a bound only once there is a roster."""
    seen: list[tuple[int, float | None]] = []
    report = Reporter(time.perf_counter(), lambda _s, o, b: seen.append((o, b)))
    for kind, objective, bound in events:
        if kind == "roster":
            report.roster(objective, bound)
        else:
            report.bound_is(bound)
    objectives = [o for o, _ in seen]
    assert all(a >= b for a, b in zip(objectives, objectives[1:], strict=False))
    bounds = [b for _, b in seen if b is not None]
    assert bounds == sorted(bounds)
    best = [o for kind, o, _ in events if kind == "roster"]
    assert (objectives[-1] if objectives else None) == (min(best) if best else None)


def test_the_first_roster_is_reported_before_the_model_is_built(monkeypatch):
    """The quick roster comes before the CP-SAT model (which takes seconds on large
    instances): the first progress report precedes building it, and later reports are
    only better."""
    from openpcn.rota_benchmark import model

    events: list[object] = []
    real = model.build_parts
    monkeypatch.setattr(model, "build_parts", lambda inst: events.append("model") or real(inst))
    text = generate(2010)
    inst = parse_instance(text)
    r = solve_instance(inst, time_limit=3, progress=lambda _t, o, _b: events.append(o))
    assert isinstance(events[0], int) and events.index("model") > 0
    reported = [o for o in events if o != "model"]
    assert reported == sorted(reported, reverse=True) and reported[-1] == r.objective
