"""Bank holidays and leave block sessions: the solver never books them, the checker flags
them in words."""

from __future__ import annotations

from datetime import date

import pytest

from openpcn.rota.pcn.check import check_rota
from openpcn.rota.pcn.engine import solve_rota
from openpcn.rota.pcn.instance import Slot
from openpcn.rota.pcn.jsonio import dump_instance, load_instance
from openpcn.rota.pcn.model import Assignment
from tests.rota.tiny import person, tiny

CHRISTMAS_WEEK = date(2026, 12, 21)  # Monday; Friday 25th is Christmas Day


def christmas():
    from dataclasses import replace

    return replace(
        tiny(days=5, staff=[person("G1")]), start=CHRISTMAS_WEEK, closed={date(2026, 12, 25)}
    )


def test_closed_days_have_no_slots():
    inst = christmas()
    assert all(s.date != date(2026, 12, 25) for s in inst.slots())


def test_checker_flags_a_session_on_a_bank_holiday():
    inst = christmas()
    check = check_rota(inst, [Assignment("G1", Slot(date(2026, 12, 25), "morning"), "A")])
    words = [w for k, w in check.violations if k == "closed"]
    assert words == [
        "Dr G1 is booked on Christmas Day, Friday 25 December 2026: the sites are shut"
    ]


def test_checker_flags_a_session_during_leave():
    inst = tiny(days=5, staff=[person("G1", leave=frozenset({date(2025, 1, 7)}))])
    check = check_rota(inst, [Assignment("G1", Slot(date(2025, 1, 7), "morning"), "A")])
    words = "Dr G1 is on leave or unavailable on Tuesday 7 January 2025 morning"
    assert ("availability", words) in check.violations


def test_solver_books_nothing_on_christmas_day():
    result = solve_rota(christmas(), time_limit=5, workers=1)
    assert result.assignments
    assert {a.slot.date for a in result.assignments} <= {
        date(2026, 12, d) for d in (21, 22, 23, 24)
    }


def test_closed_days_survive_json():
    inst = christmas()
    again = load_instance(__import__("json").dumps(dump_instance(inst), default=str))
    assert again.closed == inst.closed


@pytest.mark.parametrize("outside", [date(2026, 12, 20), date(2026, 12, 26)])
def test_closed_day_outside_the_horizon_is_refused(outside):
    from dataclasses import replace

    from openpcn.rota.errors import RotaInputError

    with pytest.raises(RotaInputError, match="outside the horizon"):
        replace(christmas(), closed={outside})
