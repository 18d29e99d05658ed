"""Generated benchmark instances: the published format (the parser and the independent scorer
read them), feasible by construction (the witness keeps every hard rule), deterministic, and
spread over the published ranges of size and shape."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from openpcn.cli.main import app
from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.generator import DEV_SEEDS, TEST_SEEDS, generate, shape, with_witness
from openpcn.rota_benchmark.model import solve_instance
from openpcn.rota_benchmark.scorer import score


@pytest.mark.parametrize("seed", DEV_SEEDS[:10] + TEST_SEEDS[:10])
def test_the_witness_keeps_every_hard_rule(seed):
    text, witness = with_witness(seed)
    inst = parse_instance(text, f"gen{seed}")
    sh = shape(seed)
    assert (inst.horizon, len(inst.staff), len(inst.shifts)) == (sh.weeks * 7, sh.staff, sh.shifts)
    result = score(text, format_roster(witness))
    assert result.violations == []


def test_every_seed_of_both_sets_parses_and_is_feasible():
    for seed in DEV_SEEDS + TEST_SEEDS:
        text, witness = with_witness(seed)
        parse_instance(text, f"gen{seed}")
        assert score(text, format_roster(witness)).feasible, seed


def test_one_seed_one_text_and_the_sets_are_apart():
    assert generate(2001) == generate(2001)
    assert generate(2001) != generate(2002)
    assert not set(DEV_SEEDS) & set(TEST_SEEDS)
    assert len(DEV_SEEDS) >= 40 and len(TEST_SEEDS) >= 40


def test_the_sets_vary_what_the_published_set_varies():
    shapes = [shape(s) for s in DEV_SEEDS + TEST_SEEDS]
    weeks = [s.weeks for s in shapes]
    staff = [s.staff for s in shapes]
    shifts = [s.shifts for s in shapes]
    assert min(weeks) <= 3 and max(weeks) >= 26
    assert min(staff) <= 12 and max(staff) >= 100
    assert min(shifts) == 1 and max(shifts) >= 12
    assert {s.tight for s in shapes} == {True, False}
    assert len({s.request_density for s in shapes}) >= 3
    assert len({(s.under_weight, s.over_weight) for s in shapes}) >= 3


def test_sizes_and_knobs_can_be_given():
    text = generate(7, weeks=2, staff=8, shifts=3, tight=True, request_density=0.0)
    inst = parse_instance(text)
    assert (inst.horizon, len(inst.staff), len(inst.shifts)) == (14, 8, 3)
    assert inst.on_requests == [] and inst.off_requests == []
    with pytest.raises(ValueError, match="weeks 2-52"):
        shape(1, weeks=60)


def test_the_default_search_solves_a_generated_instance_the_scorer_agrees_with():
    text = generate(11, weeks=2, staff=10, shifts=2)
    r = solve_instance(parse_instance(text), time_limit=4, workers=2)
    s = score(text, format_roster(r.roster))
    assert s.violations == [] and s.penalty == r.objective
    assert r.best_bound is None or r.best_bound <= r.objective


def test_cli_writes_the_instance(tmp_path):
    out = tmp_path / "g.txt"
    result = CliRunner().invoke(app, ["rota", "generate", "5", "--weeks", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text() == generate(5, weeks=2)
    bad = CliRunner().invoke(app, ["rota", "generate", "5", "--shifts", "40"])
    assert bad.exit_code == 2 and "shifts 1-32" in bad.output
