"""The benchmark-instance texts the tests share, the published instances' paths, and the
reference results derived from them (each computed once per test process)."""

from __future__ import annotations

import functools
import itertools
import os
from pathlib import Path

from openpcn.rota_benchmark.format import parse_instance
from openpcn.rota_benchmark.model import CurtoisResult, solve_instance
from openpcn.rota_benchmark.scorer import score
from tests.rota.limits import UNTIL_PROVED

_DATA = Path(os.environ.get("OPENPCN_DATA", Path(__file__).parents[3] / "shared/data/raw"))
PUBLISHED = _DATA.parent / "benchmarks" / "curtois-nrp"
INSTANCE1 = PUBLISHED / "Instance1.txt"
INSTANCE2 = PUBLISHED / "Instance2.txt"

# 7 days, two shifts (N cannot be followed by D), two staff; whitespace and comments as the
# format allows them.
TINY = """# tiny
SECTION_HORIZON
7
SECTION_SHIFTS
  D , 480 ,
N,600,D   # night
SECTION_STAFF
A,D=7|N=2,3000,960,3,2,1,1
B,D=7|N=0,2400,480,5,1,2,1
SECTION_DAYS_OFF
A,5,6
SECTION_SHIFT_ON_REQUESTS
B,0,D,2
SECTION_SHIFT_OFF_REQUESTS
A,1,D,3
SECTION_COVER
0,D,1,100,1
1,D,2,100,1
2,N,1,100,1
"""

# 14 days, two shifts (N cannot be followed by D), five staff: more cover than the staff can
# give, so the optimum misses some cover and the search has real work to do.
SMALL = """SECTION_HORIZON
14
SECTION_SHIFTS
D,480,
N,480,D
SECTION_STAFF
A,D=14|N=3,4800,2880,4,2,2,1
B,D=14|N=3,4800,2880,4,2,2,1
C,D=14|N=3,4800,2880,4,2,2,1
D,D=14|N=0,3840,1920,5,1,1,2
E,D=14|N=4,4320,2400,5,2,2,1
SECTION_DAYS_OFF
A,3
SECTION_SHIFT_ON_REQUESTS
B,2,N,3
C,9,D,2
E,11,N,2
SECTION_SHIFT_OFF_REQUESTS
D,5,D,4
E,0,D,1
SECTION_COVER
""" + "".join(f"{d},D,{3 if d % 7 < 5 else 1},100,1\n{d},N,1,100,1\n" for d in range(14))


@functools.cache
def small_optimum() -> CurtoisResult:
    """SMALL solved by one long plain CP-SAT run (proved optimal), shared by the tests.

    The proof takes ~20 s on 2 cores on a quiet day and longer on a busy one: the solve runs
    until it is proved (benchmarks, not tests, say how long)."""
    ref = solve_instance(parse_instance(SMALL), time_limit=UNTIL_PROVED, workers=2, method="cpsat")
    assert ref.status == "OPTIMAL"
    return ref


@functools.cache
def legal_rows(emp: str) -> tuple[tuple[str | None, ...], ...]:
    """Every row of TINY's employee ``emp`` that the independent scorer finds no fault with
    (every row enumerated: slow, obvious)."""
    inst = parse_instance(TINY)
    other = next(s.id for s in inst.staff if s.id != emp)
    rows = []
    for row in itertools.product([None, *inst.shift_ids], repeat=inst.horizon):
        text = f"{emp}," + ",".join(t or "" for t in row) + f"\n{other}" + "," * inst.horizon + "\n"
        if not [v for v in score(TINY, text).violations if v.startswith(f"{emp}:")]:
            rows.append(row)
    return tuple(rows)
