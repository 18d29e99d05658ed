"""Reader for the schedulingbenchmarks.org staff-rostering text format and roster files.

Instance file: sections introduced by ``SECTION_<NAME>`` lines; ``#`` starts a comment (to the
end of the line); blank lines are ignored; fields are comma-separated and surrounding
whitespace is ignored.  Sections: HORIZON, SHIFTS, STAFF, DAYS_OFF, SHIFT_ON_REQUESTS,
SHIFT_OFF_REQUESTS, COVER (see docs/reference/rota-format.md).

Roster (solution) file: one line per employee, ``EmployeeID,s0,s1,...,s{H-1}`` where ``sd`` is
the shift ID worked on day ``d`` or empty for a day off.  ``#`` comments allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpcn.rota.errors import RotaInputError

SECTIONS = (
    "HORIZON",
    "SHIFTS",
    "STAFF",
    "DAYS_OFF",
    "SHIFT_ON_REQUESTS",
    "SHIFT_OFF_REQUESTS",
    "COVER",
)


@dataclass(frozen=True)
class Shift:
    id: str
    minutes: int
    cannot_follow: tuple[str, ...]  # shift IDs that may not be worked the day after this one


@dataclass(frozen=True)
class Staff:
    id: str
    max_shifts: dict[str, int]  # per shift type
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_consecutive_off: int
    max_weekends: int


@dataclass(frozen=True)
class Request:
    staff: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass
class Instance:
    name: str
    horizon: int
    shifts: list[Shift]
    staff: list[Staff]
    days_off: dict[str, set[int]] = field(default_factory=dict)
    on_requests: list[Request] = field(default_factory=list)
    off_requests: list[Request] = field(default_factory=list)
    cover: list[Cover] = field(default_factory=list)

    @property
    def shift_ids(self) -> list[str]:
        return [s.id for s in self.shifts]

    @property
    def staff_ids(self) -> list[str]:
        return [s.id for s in self.staff]


def looks_like_curtois(text: str) -> bool:
    """True if the text is in the benchmark text format (has SECTION_HORIZON)."""
    return "SECTION_HORIZON" in text


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line:
            yield number, line


def _int(value: str, source: str, line: int, name: str, minimum: int = 0) -> int:
    try:
        n = int(value.strip())
    except ValueError:
        raise RotaInputError(
            f"expected a whole number, got {value.strip()!r}", source, line, name
        ) from None
    if n < minimum:
        raise RotaInputError(f"must be at least {minimum}, got {n}", source, line, name)
    return n


def _fields(line: str, count: int, source: str, number: int, names: tuple[str, ...]) -> list[str]:
    parts = [p.strip() for p in line.split(",")]
    if len(parts) != count:
        raise RotaInputError(
            f"expected {count} comma-separated fields ({', '.join(names)}), got {len(parts)}",
            source,
            number,
        )
    return parts


def parse_instance(text: str, source: str = "<text>") -> Instance:
    """Parse an instance; raise :class:`RotaInputError` naming the line on bad input."""
    rows: dict[str, list[tuple[int, str]]] = {s: [] for s in SECTIONS}
    current: str | None = None
    for number, line in _lines(text):
        if line.upper().startswith("SECTION_"):
            name = line[len("SECTION_") :].strip().upper()
            if name not in rows:
                raise RotaInputError(f"unknown section {line!r}", source, number)
            current = name
            continue
        if current is None:
            raise RotaInputError("data before the first SECTION_ line", source, number)
        rows[current].append((number, line))

    if len(rows["HORIZON"]) != 1:
        raise RotaInputError("SECTION_HORIZON must hold exactly one number", source)
    hline, htext = rows["HORIZON"][0]
    horizon = _int(htext, source, hline, "horizon", minimum=1)

    shifts: list[Shift] = []
    follow_lines: list[tuple[int, str, list[str]]] = []
    for number, line in rows["SHIFTS"]:
        sid, minutes, cannot = _fields(
            line, 3, source, number, ("ShiftID", "Length", "CannotFollow")
        )
        if not sid:
            raise RotaInputError("empty shift ID", source, number, "ShiftID")
        if sid in {s.id for s in shifts}:
            raise RotaInputError(f"duplicate shift ID {sid!r}", source, number, "ShiftID")
        follow = [c.strip() for c in cannot.split("|") if c.strip()]
        follow_lines.append((number, sid, follow))
        shifts.append(Shift(sid, _int(minutes, source, number, "Length", 1), tuple(follow)))
    if not shifts:
        raise RotaInputError("SECTION_SHIFTS is empty", source)
    ids = {s.id for s in shifts}
    for number, _sid, follow in follow_lines:
        for f in follow:
            if f not in ids:
                raise RotaInputError(f"unknown shift {f!r}", source, number, "CannotFollow")

    staff: list[Staff] = []
    names = (
        "ID",
        "MaxShifts",
        "MaxTotalMinutes",
        "MinTotalMinutes",
        "MaxConsecutiveShifts",
        "MinConsecutiveShifts",
        "MinConsecutiveDaysOff",
        "MaxWeekends",
    )
    for number, line in rows["STAFF"]:
        parts = _fields(line, 8, source, number, names)
        eid = parts[0]
        if not eid or eid in {s.id for s in staff}:
            raise RotaInputError(f"empty or duplicate employee ID {eid!r}", source, number, "ID")
        max_shifts: dict[str, int] = {s: horizon for s in ids}
        for item in parts[1].split("|"):
            if not item.strip():
                continue
            if "=" not in item:
                raise RotaInputError(
                    f"expected ShiftID=N, got {item!r}", source, number, "MaxShifts"
                )
            sid, n = (p.strip() for p in item.split("=", 1))
            if sid not in ids:
                raise RotaInputError(f"unknown shift {sid!r}", source, number, "MaxShifts")
            max_shifts[sid] = _int(n, source, number, "MaxShifts")
        nums = [_int(v, source, number, n) for v, n in zip(parts[2:], names[2:], strict=True)]
        staff.append(Staff(eid, max_shifts, *nums))
    if not staff:
        raise RotaInputError("SECTION_STAFF is empty", source)
    staff_ids = {s.id for s in staff}

    def check_staff(eid: str, number: int) -> None:
        if eid not in staff_ids:
            raise RotaInputError(f"unknown employee {eid!r}", source, number, "EmployeeID")

    def check_day(value: str, number: int, name: str = "Day") -> int:
        d = _int(value, source, number, name)
        if d >= horizon:
            raise RotaInputError(
                f"day {d} is beyond the horizon of {horizon} days", source, number, name
            )
        return d

    def check_shift(sid: str, number: int) -> str:
        if sid not in ids:
            raise RotaInputError(f"unknown shift {sid!r}", source, number, "ShiftID")
        return sid

    days_off: dict[str, set[int]] = {}
    for number, line in rows["DAYS_OFF"]:
        parts = [p.strip() for p in line.split(",")]
        check_staff(parts[0], number)
        days_off.setdefault(parts[0], set()).update(
            check_day(p, number, "DayIndexes") for p in parts[1:] if p
        )

    def requests(section: str) -> list[Request]:
        out = []
        for number, line in rows[section]:
            eid, day, sid, weight = _fields(
                line, 4, source, number, ("EmployeeID", "Day", "ShiftID", "Weight")
            )
            check_staff(eid, number)
            out.append(
                Request(
                    eid,
                    check_day(day, number),
                    check_shift(sid, number),
                    _int(weight, source, number, "Weight"),
                )
            )
        return out

    cover: list[Cover] = []
    seen: set[tuple[int, str]] = set()
    for number, line in rows["COVER"]:
        day, sid, req, under, over = _fields(
            line, 5, source, number, ("Day", "ShiftID", "Requirement", "Under", "Over")
        )
        c = Cover(
            check_day(day, number),
            check_shift(sid, number),
            _int(req, source, number, "Requirement"),
            _int(under, source, number, "Weight for under"),
            _int(over, source, number, "Weight for over"),
        )
        if (c.day, c.shift) in seen:
            raise RotaInputError("duplicate cover row for this day and shift", source, number)
        seen.add((c.day, c.shift))
        cover.append(c)

    return Instance(
        name=Path(source).stem if source != "<text>" else "instance",
        horizon=horizon,
        shifts=shifts,
        staff=staff,
        days_off=days_off,
        on_requests=requests("SHIFT_ON_REQUESTS"),
        off_requests=requests("SHIFT_OFF_REQUESTS"),
        cover=cover,
    )


def read_instance(path: str | Path) -> Instance:
    path = Path(path)
    return parse_instance(path.read_text(encoding="utf-8"), str(path))


Roster = dict[str, list[str | None]]  # employee ID -> shift ID (or None) per day


def format_roster(roster: Roster, instance_name: str = "") -> str:
    """Write a roster: one line per employee, ``ID,s0,...,s{H-1}``; empty field = day off."""
    out = [
        "# OpenPCN roster for " + (instance_name or "instance"),
        "# EmployeeID, then one field per day: shift ID worked, or empty for a day off",
    ]
    for eid, days in roster.items():
        out.append(",".join([eid, *(d or "" for d in days)]))
    return "\n".join(out) + "\n"
