"""The PCN rota model: plain dataclasses, validated on construction of :class:`RotaInstance`.

Conventions (documented in docs/reference/rota-format.md):

* a *session* is a named part of a day with start and end times that runs on weekdays
  (Mon-Fri) or on Saturdays; a *slot* is one session on one date;
* contracted sessions per week = round(WTE x :data:`SESSIONS_PER_WTE`); 1 WTE = 9 sessions
  (37.5 hours, the BMA model salaried GP contract: 9 sessions of 4 h 10 min);
* Enhanced Access Network Standard Hours are 18:30-20:00 on weekdays and 09:00-17:00 on
  Saturdays; a slot counts towards them by its overlap with those hours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from openpcn.rota.errors import RotaInputError

SESSIONS_PER_WTE = 9
NSH_WEEKDAY = (time(18, 30), time(20, 0))
NSH_SATURDAY = (time(9, 0), time(17, 0))
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Session:
    id: str  # e.g. "morning", "afternoon", "evening", "saturday"
    start: time
    end: time
    days: str = "weekdays"  # "weekdays" (Mon-Fri) or "saturday"

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    def runs_on(self, d: date) -> bool:
        return d.weekday() < 5 if self.days == "weekdays" else d.weekday() == 5

    def nsh_minutes(self, d: date) -> int:
        """Minutes of this session on date d inside the Network Standard Hours."""
        if not self.runs_on(d) or d.weekday() == 6:
            return 0
        lo, hi = NSH_WEEKDAY if d.weekday() < 5 else NSH_SATURDAY
        m = lambda t: t.hour * 60 + t.minute  # noqa: E731
        return max(0, min(m(self.end), m(hi)) - max(m(self.start), m(lo)))

    def covers_nsh(self, d: date) -> bool:
        """True if the session spans the whole of that day's Network Standard Hours."""
        lo, hi = NSH_WEEKDAY if d.weekday() < 5 else NSH_SATURDAY
        return self.runs_on(d) and d.weekday() < 6 and self.start <= lo and self.end >= hi


@dataclass(frozen=True)
class Slot:
    date: date
    session: str

    def label(self) -> str:
        return f"{day_label(self.date)} {self.session}"


def day_label(d: date) -> str:
    """A date as a person writes it: "Thursday 25 December 2026"."""
    return f"{WEEKDAY_NAMES[d.weekday()]} {d.day} {d:%B %Y}"


@dataclass(frozen=True)
class Practice:
    id: str
    name: str
    list_size: int


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    practice: str
    rooms: dict[str, int]  # free clinical rooms per session id
    room_overrides: dict[Slot, int] = field(default_factory=dict)

    def rooms_at(self, slot: Slot) -> int:
        return self.room_overrides.get(slot, self.rooms.get(slot.session, 0))


@dataclass(frozen=True)
class Staff:
    id: str
    name: str
    role: str  # e.g. "gp", "pharmacist", "physio", "paramedic", "care_coordinator"
    wte: float
    base_site: str
    skills: frozenset[str] = frozenset()
    allowed_sites: frozenset[str] = frozenset()  # empty: every site
    available: frozenset[tuple[int, str]] = frozenset()  # (weekday, session); empty: all
    leave: frozenset[date] = frozenset()
    max_sites_per_day: int = 1
    max_consecutive_days: int = 5
    rest_after_evening: bool = True  # min rest: no morning session after an evening session
    clinical: bool = True  # counts towards appointment minutes

    @property
    def contracted_sessions(self) -> int:
        return round(self.wte * SESSIONS_PER_WTE)

    def can_work(self, slot: Slot) -> bool:
        if slot.date in self.leave:
            return False
        return not self.available or (slot.date.weekday(), slot.session) in self.available

    def can_use(self, site: str) -> bool:
        return not self.allowed_sites or site in self.allowed_sites

    def matches(self, role: str | None, skill: str | None) -> bool:
        return (role is None or self.role == role) and (skill is None or skill in self.skills)


@dataclass(frozen=True)
class Demand:
    site: str
    session: str
    min: int = 0
    target: int = 0
    role: str | None = None
    skill: str | None = None
    weekday: int | None = None  # only this weekday (0 = Monday)
    date: date | None = None  # only this date

    def applies(self, slot: Slot) -> bool:
        return (
            slot.session == self.session
            and (self.weekday is None or slot.date.weekday() == self.weekday)
            and (self.date is None or slot.date == self.date)
        )

    def who(self) -> str:
        parts = [p for p in (self.role, self.skill) if p]
        return " with ".join(p.replace("_", " ") for p in parts) or "staff"


@dataclass(frozen=True)
class EnhancedAccess:
    sites: tuple[str, ...]  # sites that may host Enhanced Access
    adjusted_population: int
    minutes_per_1000: int = 60  # per week
    gp_role: str = "gp"

    @property
    def weekly_minutes(self) -> int:
        return -(-self.minutes_per_1000 * self.adjusted_population // 1000)


@dataclass(frozen=True)
class CareHome:
    id: str
    name: str
    site: str  # the aligned practice's site the round is run from
    roles: tuple[str, ...] = ("gp",)  # suitable clinicians
    sessions_per_week: int = 1


@dataclass(frozen=True)
class Fairness:
    roles: tuple[str, ...]  # shared roles whose sessions are split by list size
    tolerance_percent: int = 10  # percentage points either side of the list-size share


@dataclass(frozen=True)
class Request:
    staff: str
    date: date
    kind: str  # "on" (wants to work) or "off" (wants not to work)
    session: str | None = None  # None: the whole day
    site: str | None = None  # "on" requests only: at this site
    weight: int = 5


@dataclass(frozen=True)
class Weights:
    """Objective weights (per unit); see docs/reference/rota-format.md."""

    target_shortfall: int = 10  # per session below a demand's target
    contract_shortfall: int = 4  # per contracted session not rostered in a week
    away_from_base: int = 1  # per session worked away from the base site


@dataclass
class RotaInstance:
    name: str
    start: date
    days: int
    sessions: list[Session]
    practices: list[Practice]
    sites: list[Site]
    staff: list[Staff]
    demand: list[Demand] = field(default_factory=list)
    enhanced_access: EnhancedAccess | None = None
    care_homes: list[CareHome] = field(default_factory=list)
    fairness: Fairness | None = None
    requests: list[Request] = field(default_factory=list)
    weights: Weights = field(default_factory=Weights)
    closed: frozenset[date] = frozenset()  # days every site is shut (bank holidays)
    lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.validate()

    @property
    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def slots(self) -> list[Slot]:
        return [
            Slot(d, s.id)
            for d in self.dates
            if d not in self.closed
            for s in self.sessions
            if s.runs_on(d)
        ]

    def workdays(self, week: list[date], leave: frozenset[date] = frozenset()) -> int:
        """Weekdays of the week the sites are open and the person is not on leave."""
        return sum(1 for d in week if d.weekday() < 5 and d not in leave and d not in self.closed)

    def session(self, sid: str) -> Session:
        return next(s for s in self.sessions if s.id == sid)

    def weeks(self) -> list[list[date]]:
        ds = self.dates
        return [ds[i : i + 7] for i in range(0, len(ds), 7)]

    def site(self, sid: str) -> Site:
        return next(s for s in self.sites if s.id == sid)

    def _err(self, msg: str, key: str, fld: str = "") -> RotaInputError:
        return RotaInputError(
            msg, self.lines.get("__source__", "instance"), self.lines.get(key), fld
        )

    def validate(self) -> None:
        if self.days < 1:
            raise self._err("the horizon must be at least one day", "days", "days")
        sessions = {s.id for s in self.sessions}
        practices = {p.id for p in self.practices}
        sites = {s.id for s in self.sites}
        staff = {s.id for s in self.staff}
        for i, s in enumerate(self.sessions):
            if s.minutes <= 0:
                raise self._err("a session must end after it starts", f"sessions[{i}]", "end")
        for i, p in enumerate(self.practices):
            if p.list_size < 0:
                raise self._err("list size cannot be negative", f"practices[{i}]", "list_size")
        for i, s in enumerate(self.sites):
            key = f"sites[{i}]"
            if s.practice not in practices:
                raise self._err(f"unknown practice {s.practice!r}", key, "practice")
            for sid, n in s.rooms.items():
                if sid not in sessions:
                    raise self._err(f"unknown session {sid!r}", key, "rooms")
                if n < 0:
                    raise self._err("rooms cannot be negative", key, "rooms")
            for slot in s.room_overrides:
                self._check_date(slot.date, key, "room_overrides")
        for i, e in enumerate(self.staff):
            key = f"staff[{i}]"
            if e.base_site not in sites:
                raise self._err(f"unknown base site {e.base_site!r}", key, "base_site")
            for a in e.allowed_sites:
                if a not in sites:
                    raise self._err(f"unknown allowed site {a!r}", key, "allowed_sites")
            if e.wte < 0 or e.wte > 2:
                raise self._err(f"WTE must be between 0 and 2, got {e.wte}", key, "wte")
            if e.max_sites_per_day < 1 or e.max_consecutive_days < 1:
                raise self._err("limits must be at least 1", key, "max_sites_per_day")
            for wd, sid in e.available:
                if sid not in sessions or not 0 <= wd <= 6:
                    raise self._err(f"bad availability ({wd}, {sid!r})", key, "available")
        for d in sorted(self.closed):
            self._check_date(d, "closed", "closed")
        if len(staff) != len(self.staff):
            raise self._err("duplicate staff ID", "staff", "id")
        for i, d in enumerate(self.demand):
            key = f"demand[{i}]"
            if d.site not in sites:
                raise self._err(f"unknown site {d.site!r}", key, "site")
            if d.session not in sessions:
                raise self._err(f"unknown session {d.session!r}", key, "session")
            if d.min < 0 or d.target < 0:
                raise self._err("demand cannot be negative", key, "min" if d.min < 0 else "target")
            if d.date is not None:
                self._check_date(d.date, key, "date")
        if self.enhanced_access:
            for s in self.enhanced_access.sites:
                if s not in sites:
                    raise self._err(f"unknown site {s!r}", "enhanced_access", "sites")
            if self.enhanced_access.adjusted_population < 0:
                raise self._err("cannot be negative", "enhanced_access", "adjusted_population")
        for i, h in enumerate(self.care_homes):
            if h.site not in sites:
                raise self._err(f"unknown site {h.site!r}", f"care_homes[{i}]", "site")
        for i, r in enumerate(self.requests):
            key = f"requests[{i}]"
            if r.staff not in staff:
                raise self._err(f"unknown staff {r.staff!r}", key, "staff")
            self._check_date(r.date, key, "date")
            if r.kind not in ("on", "off"):
                raise self._err(f"kind must be 'on' or 'off', got {r.kind!r}", key, "kind")
            if r.session is not None and r.session not in sessions:
                raise self._err(f"unknown session {r.session!r}", key, "session")
            if r.site is not None and r.site not in sites:
                raise self._err(f"unknown site {r.site!r}", key, "site")
            if r.weight < 0:
                raise self._err("weight cannot be negative", key, "weight")

    def _check_date(self, d: date, key: str, fld: str) -> None:
        if not self.start <= d <= self.end:
            raise self._err(
                f"{d.isoformat()} is outside the horizon {self.start.isoformat()} to "
                f"{self.end.isoformat()}",
                key,
                fld,
            )
