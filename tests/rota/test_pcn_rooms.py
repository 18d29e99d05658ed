"""Every in-room session gets a room of its site, never more rooms than the site has."""

from __future__ import annotations

from datetime import date

from openpcn.rota.pcn.check import check_rota
from openpcn.rota.pcn.engine import solve_rota
from openpcn.rota.pcn.instance import Slot
from openpcn.rota.pcn.model import Assignment
from openpcn.rota.pcn.rooms import room_numbers
from tests.rota.tiny import person, tiny

MORNING = Slot(date(2025, 1, 6), "morning")


def test_rooms_numbered_within_site_and_session():
    rooms = room_numbers(
        [
            Assignment("B", MORNING, "A"),
            Assignment("A", MORNING, "A"),
            Assignment("C", MORNING, "X"),
            Assignment("D", MORNING, "A", care_home="H1"),
        ]
    )
    assert rooms == {("A", MORNING): 1, ("B", MORNING): 2, ("C", MORNING): 1, ("D", MORNING): None}


def test_solver_rota_stays_within_the_rooms():
    inst = tiny(days=5, rooms=2, staff=[person(f"G{i}") for i in range(3)])
    result = solve_rota(inst, time_limit=5, workers=1)
    rooms = room_numbers(result.assignments)
    assert result.assignments and set(rooms.values()) <= {1, 2}


def test_room_message_names_the_site_and_the_day():
    inst = tiny(days=1, rooms=1, staff=[person("G1"), person("G2")])
    slot = Slot(date(2025, 1, 6), "morning")
    check = check_rota(inst, [Assignment("G1", slot, "A"), Assignment("G2", slot, "A")])
    assert ("rooms", "Site A: 2 people for 1 rooms on Monday 6 January 2025 morning") in (
        check.violations
    )
