"""The greedy starting rota and the redundant constraints that strengthen the bound."""

from __future__ import annotations

import pytest

from openpcn.rota.pcn import engine, model
from openpcn.rota.pcn.check import check_rota
from openpcn.rota.pcn.generate import generate
from openpcn.rota.pcn.greedy import greedy_rota
from tests.rota.limits import UNTIL_PROVED


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_greedy_rota_of_pcn_scale_instance_breaks_no_rule(seed):
    inst = generate(seed=seed)
    rota = greedy_rota(inst)
    c = check_rota(inst, rota)
    assert c.violations == []
    # it must be a real rota: most contracted sessions are rostered
    assert len(rota) > 0.8 * sum(e.contracted_sessions * 4 for e in inst.staff)


def test_greedy_start_is_a_solution_with_the_checkers_objective():
    inst = generate(seed=2)
    b = model.ModelBuilder(inst, explain=False)
    b.build()
    values = engine._greedy_start(b, workers=2)
    assert values is not None
    obj = b.m.proto.objective
    solver_obj = sum(
        c * (values[v] if v >= 0 else 1 - values[-v - 1])
        for v, c in zip(obj.vars, obj.coeffs, strict=True)
    )
    assert solver_obj + obj.offset == check_rota(inst, greedy_rota(inst)).penalty


def test_redundant_constraints_prove_the_optimum_and_do_not_cut_it(monkeypatch):
    inst = generate(sites=2, staff=12, weeks=1, care_homes=1, ea_sites=1, seed=2)
    r = engine.solve_rota(inst, time_limit=UNTIL_PROVED, workers=2, explain=False, lns=False)
    assert r.status == "OPTIMAL"  # without them the bound stays far below (125 vs 236)
    assert check_rota(inst, r.assignments).penalty == r.objective
    monkeypatch.setattr(model.ModelBuilder, "_redundant", lambda self, at, busy: None)
    plain = engine.solve_rota(inst, time_limit=5, workers=2, explain=False, lns=False, hint=False)
    assert plain.objective is not None and plain.objective >= r.objective
    if plain.status == "OPTIMAL":
        assert plain.objective == r.objective
