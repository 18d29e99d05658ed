"""Which room each session is in.

The solver keeps the staff at a site within its free rooms for every session; this numbers
them: within one site and session, rooms 1, 2, ... in the order of the staff IDs, so the
same rota always gives the same rooms. A care home round is not in a room (None).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from openpcn.rota.pcn.instance import Slot
from openpcn.rota.pcn.model import Assignment


def room_numbers(assignments: Iterable[Assignment]) -> dict[tuple[str, Slot], int | None]:
    """{(staff, slot): room number, or None for a care home round}."""
    out: dict[tuple[str, Slot], int | None] = {}
    here: dict[tuple[str, Slot], list[str]] = defaultdict(list)
    for a in assignments:
        if a.care_home:
            out[(a.staff, a.slot)] = None
        else:
            here[(a.site, a.slot)].append(a.staff)
    for (_site, slot), people in here.items():
        for n, staff in enumerate(sorted(people), start=1):
            out[(staff, slot)] = n
    return out


def room_label(n: int | None) -> str:
    return "" if n is None else f"room {n}"
