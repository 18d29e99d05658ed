"""The CP-SAT -> MIP translation: the same solutions (CP-SAT is the judge) and objective."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from openpcn.rota.mip import to_mip


def _cp_feasible(model: cp_model.CpModel, x: list[int]) -> bool:
    """The reference: CP-SAT itself on the model with every variable fixed to ``x``."""
    m = model.clone()
    for var, v in zip(m.proto.variables, x, strict=True):
        var.domain.clear()
        var.domain.extend([v, v])
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    return s.solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _cp_objective(model: cp_model.CpModel, x: list[int]) -> float:
    o = model.proto.objective
    total = sum(
        k * (x[v] if v >= 0 else 1 - x[-v - 1]) for v, k in zip(o.vars, o.coeffs, strict=True)
    )
    return total + o.offset


def _agree_everywhere(model: cp_model.CpModel) -> int:
    """Every assignment of the (small) model: feasible for CP-SAT iff for the MIP, with the
    same objective. Returns how many are feasible."""
    mip = to_mip(model)
    domains = [range(v.domain[0], v.domain[1] + 1) for v in model.proto.variables]
    feasible = 0
    for x in itertools.product(*domains):
        ok = _cp_feasible(model, list(x))
        assert (mip.violation(x) <= 1e-9) == ok, x
        if ok:
            feasible += 1
            assert mip.objective(x) == pytest.approx(_cp_objective(model, list(x)))
    return feasible


@pytest.mark.parametrize(
    "kind",
    ["linear", "enforced", "enforced_by_negation", "at_most_one", "exactly_one", "bool_or", "max"],
)
def test_each_constraint_kind_has_the_same_solutions(kind):
    m = cp_model.CpModel()
    a, b, c = (m.new_bool_var(n) for n in "abc")
    n = m.new_int_var(0, 3, "n")
    if kind == "linear":
        m.add(2 * a + b - n >= 0)
        m.add(a + c + n <= 3)
    elif kind == "enforced":
        m.add(a + b + n >= 3).only_enforce_if(c)
        m.add(n - b <= 1).only_enforce_if([a, c])
    elif kind == "enforced_by_negation":
        m.add(n + b <= 1).only_enforce_if(c.Not())
    elif kind == "at_most_one":
        m.add_at_most_one([a, b.Not(), c])
    elif kind == "exactly_one":
        m.add_exactly_one([a, b, c.Not()])
    elif kind == "bool_or":
        m.add_bool_or([a.Not(), b, c.Not()])
    else:
        m.add_max_equality(a, [b, c.Not()])
    m.minimize(3 * a - 2 * b + n + 5 * c.Not() + 1)
    feasible = _agree_everywhere(m)
    assert 0 < feasible < 2 * 2 * 2 * 4  # the constraint cuts something, leaves something


KINDS = ("linear", "enforced", "at_most_one", "exactly_one", "bool_or", "max")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(KINDS),
            st.lists(st.integers(-4, 3), min_size=2, max_size=4, unique=True),
            st.lists(st.integers(-3, 3), min_size=4, max_size=4),
            st.integers(-3, 4),
        ),
        min_size=1,
        max_size=3,
    ),
    st.lists(st.integers(-5, 5), min_size=4, max_size=4),
)
def test_random_models_have_the_same_solutions_and_objective(rows, cost):
    m = cp_model.CpModel()
    bools = [m.new_bool_var(f"b{i}") for i in range(3)]
    n = m.new_int_var(0, 2, "n")

    def lit(r: int):  # 0..2: a variable, -1..-3: its negation
        return bools[r] if r >= 0 else bools[-r - 1].Not()

    for kind, refs, coeffs, rhs in rows:
        lits = [lit(r) for r in refs if r != 3 and -r - 1 != 3][:3]
        if len({(x.index if x.index >= 0 else -x.index - 1) for x in lits}) < len(lits):
            continue  # a variable and its negation in one constraint: skip
        if kind == "linear":
            m.add(sum(k * v for k, v in zip(coeffs, [*bools, n], strict=True)) <= rhs)
        elif kind == "enforced" and lits:
            m.add(coeffs[0] * n + coeffs[1] * bools[0] >= rhs).only_enforce_if(lits[0])
        elif kind == "at_most_one" and lits:
            m.add_at_most_one(lits)
        elif kind == "exactly_one" and lits:
            m.add_exactly_one(lits)
        elif kind == "bool_or" and lits:
            m.add_bool_or(lits)
        elif kind == "max" and len(lits) >= 2 and lits[0].index >= 0:
            m.add_max_equality(lits[0], lits[1:])
    m.minimize(sum(k * v for k, v in zip(cost, [*bools, n], strict=True)))
    _agree_everywhere(m)


def test_constraints_it_cannot_translate_exactly_are_refused():
    m = cp_model.CpModel()
    x, y, z = (m.new_int_var(0, 3, n) for n in "xyz")
    m.add_multiplication_equality(z, [x, y])
    with pytest.raises(ValueError, match="does not handle"):
        to_mip(m)
    m2 = cp_model.CpModel()
    m2.new_int_var_from_domain(cp_model.Domain.from_values([0, 2]), "holes")
    with pytest.raises(ValueError, match="holes"):
        to_mip(m2)


def test_rota_solve_json_stdout_is_only_json(tmp_path):
    """HiGHS's banner must not reach standard output (a process of its own: fd 1)."""
    from openpcn.rota.pcn.jsonio import dump_instance
    from tests.rota.tiny import person, tiny

    path = tmp_path / "pcn.json"
    path.write_text(json.dumps(dump_instance(tiny(rooms=1, staff=[person("G1")]))))
    out = subprocess.run(
        [Path(sys.executable).parent / "openpcn", "rota", "solve", str(path)]
        + ["--time-limit", "5", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    doc = json.loads(out.stdout)
    assert doc["status"] == "OPTIMAL"
