"""The benchmark's CP-SAT model and its searches: rosters the independent scorer agrees with,
never better than the proven optimum."""

from __future__ import annotations

import pytest

from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.model import solve_instance
from openpcn.rota_benchmark.scorer import score
from tests.rota.limits import UNTIL_PROVED
from tests.rota_benchmark.instances import INSTANCE1, INSTANCE2, SMALL, TINY, small_optimum


def test_model_and_scorer_agree_on_tiny():
    inst = parse_instance(TINY)
    r = solve_instance(inst, time_limit=5, workers=2)
    assert r.status == "OPTIMAL"
    s = score(TINY, format_roster(r.roster))
    assert s.violations == []
    assert s.penalty == r.objective


@pytest.mark.skipif(not INSTANCE1.exists(), reason=f"benchmark file absent: {INSTANCE1}")
def test_instance1_reaches_best_known_optimum():
    text = INSTANCE1.read_text()
    r = solve_instance(parse_instance(text, str(INSTANCE1)), time_limit=UNTIL_PROVED, workers=2)
    assert r.status == "OPTIMAL"
    assert score(text, format_roster(r.roster)).penalty == 607


def test_search_never_beats_the_proven_optimum():
    ref = small_optimum()
    r = solve_instance(parse_instance(SMALL), time_limit=5, workers=2)
    s = score(SMALL, format_roster(r.roster))
    assert s.violations == [] and s.penalty == r.objective
    assert r.best_bound <= r.objective
    assert r.objective >= ref.objective
    assert r.best_bound <= ref.objective  # the search's bound is a bound on the whole


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="unknown method"):
        solve_instance(parse_instance(TINY), time_limit=1, method="magic")


@pytest.mark.skipif(not INSTANCE2.exists(), reason=f"benchmark file absent: {INSTANCE2}")
def test_default_search_on_instance2_gives_a_valid_roster_in_its_time_limit():
    """How long it takes is a benchmark (benchmarks/rota/RESULTS.md), not a test."""
    text = INSTANCE2.read_text()
    r = solve_instance(parse_instance(text, str(INSTANCE2)), time_limit=8, workers=2)
    assert r.status in ("OPTIMAL", "FEASIBLE")
    s = score(text, format_roster(r.roster))
    assert s.violations == []
    assert s.penalty == r.objective
    assert r.objective >= 828 * 0.9  # sanity: near the best known, never far below it
