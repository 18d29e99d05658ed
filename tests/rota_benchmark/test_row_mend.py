"""The vectorised rule check agrees with the independent scorer, row by row; mended rows
keep every rule."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openpcn.rota_benchmark.format import format_roster, parse_instance
from openpcn.rota_benchmark.generator import with_witness
from openpcn.rota_benchmark.row_mend import faults, mend
from openpcn.rota_benchmark.scorer import score
from openpcn.rota_benchmark.stretch_dp import arrays
from tests.rota_benchmark.instances import SMALL, TINY


def _scorer_faults(text, inst, e, row):
    a_id = inst.staff[e].id
    roster = {s.id: [None] * inst.horizon for s in inst.staff}
    roster[a_id] = [inst.shift_ids[t] if t >= 0 else None for t in row]
    return [v for v in score(text, format_roster(roster)).violations if v.startswith(f"{a_id}:")]


@pytest.mark.parametrize("text", [TINY, SMALL])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_faults_agree_with_the_scorer(text, data):
    inst = parse_instance(text)
    a = arrays(inst)
    e = data.draw(st.integers(0, len(inst.staff) - 1))
    row = np.array(
        data.draw(
            st.lists(
                st.integers(-1, len(inst.shift_ids) - 1),
                min_size=inst.horizon,
                max_size=inst.horizon,
            )
        )
    )
    legal, distance = faults(a, e, row[None, :])
    assert bool(legal[0] and distance[0] == 0) == (_scorer_faults(text, inst, e, row) == [])


@pytest.mark.parametrize("seed", [1003, 1010, 2004])
def test_a_row_one_change_from_the_witness_is_mended_legally(seed):
    """The witness with one day more or less worked (a count may break): the mended row,
    when there is one, keeps every rule by the scorer."""
    text, witness = with_witness(seed)
    inst = parse_instance(text)
    a = arrays(inst)
    col = {t: i for i, t in enumerate(a.shift_ids)}
    rng = np.random.default_rng(seed)
    mended = 0
    for e, s in enumerate(inst.staff[:12]):
        row = np.array([col[x] if x else -1 for x in witness[s.id]])
        d = int(rng.integers(inst.horizon))
        row[d] = -1 if row[d] >= 0 else row[d - 1] if d and row[d - 1] >= 0 else row[d]
        gain = rng.uniform(0, 1, (inst.horizon, len(col)))
        out = mend(a, e, row, gain)
        if out is not None:
            mended += 1
            assert _scorer_faults(text, inst, e, out) == []
    assert mended
