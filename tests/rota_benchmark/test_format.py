"""The benchmark format reader: whitespace and comments, and bad files named by line and field."""

from __future__ import annotations

import pytest

from openpcn.rota.errors import RotaInputError
from openpcn.rota_benchmark.format import parse_instance
from tests.rota_benchmark.instances import TINY


def test_parses_whitespace_and_comments():
    inst = parse_instance(TINY)
    assert inst.horizon == 7
    assert [(s.id, s.minutes, s.cannot_follow) for s in inst.shifts] == [
        ("D", 480, ()),
        ("N", 600, ("D",)),
    ]
    assert inst.staff[0].max_shifts == {"D": 7, "N": 2}
    assert inst.days_off == {"A": {5, 6}}


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        (("A,D=7|N=2,3000", "A,D=7|N=x,3000"), 8, "MaxShifts"),
        (("B,0,D,2", "Z,0,D,2"), 13, "EmployeeID"),
        (("A,1,D,3", "A,9,D,3"), 15, "Day"),
        (("2,N,1,100,1", "2,X,1,100,1"), 19, "ShiftID"),
        (("2,N,1,100,1", "2,N,1,100"), 19, ""),
        (("A,5,6", "A,5,-1"), 11, "DayIndexes"),
        (("SECTION_COVER", "SECTION_KOVER"), 16, ""),
    ],
)
def test_malformed_file_names_the_line(change, line, field):
    bad = TINY.replace(*change)
    with pytest.raises(RotaInputError) as exc:
        parse_instance(bad, "bad.txt")
    assert exc.value.line == line
    assert exc.value.field == field
    assert f"bad.txt, line {line}" in str(exc.value)
