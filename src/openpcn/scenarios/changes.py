"""The changes a what-if scenario can make, as plain frozen data (issue 16).

A scenario is a named list of these against one PCN as at a date. Each kind checks its own
fields when made (:class:`ChangeError` names the field) and turns to and from JSON
(:func:`from_dict`, :meth:`Change.as_dict`) so that the list is stored as data, not as a copy
of the database. Whether a change makes sense *for this PCN* (a member that exists, a start not
before the scenario's date, a role the year's rules fund) is checked against the baseline
inputs by :func:`openpcn.scenarios.inputs.apply`.

Kinds (``kind`` in JSON):

- ``recruit``: a new post (role, WTE, start, optional end, AfC band, employing organisation,
  base site, region, optional usual monthly pay at its WTE; without pay it is costed at the
  role maximum, as the register costs a member of staff with no pay recorded).
- ``leave``: a member of staff (``S00012``) leaves; ``on`` is their last day.
- ``change_wte``: a member of staff works ``wte`` from ``start`` (their pay scales with WTE).
- ``vacancy_unfilled``: a planned vacancy (``V00003``) is not filled.
- ``practice_joins`` / ``practice_leaves``: a practice joins or leaves the PCN from ``start``.
- ``care_home_aligned`` / ``care_home_unaligned``: a CQC care home is aligned to the PCN from
  ``start``, or its alignment ends on ``end`` (realigned to another PCN).
- ``rules_variant``: the year's rules with ICB ``icb``'s local variation (blank: national).
- ``rules_year``: another financial year's rules (``year``, e.g. 2026-27) for the entitlements
  and the ARRS sum, on this year's populations; the forecast keeps this year's months and pay.
- ``rooms``: the free clinical rooms at a member practice's site from ``start`` (each weekday
  session, or one ``session``), e.g. a room closed for a refit; the sample-week rota uses them.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from openpcn.scenarios.fields import ChangeError, _code, _date, _decimal, _sessions, _wte

EMPLOYMENT_MODELS = ("lead_practice", "federation", "nhs_trust", "agency")
REGIONS = ("national", "london_inner", "london_outer")


@dataclass(frozen=True)
class Change:
    kind: ClassVar[str] = ""

    def describe(self) -> str:
        raise NotImplementedError

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for k, v in asdict(self).items():
            if v is None or v == "" or v == ():
                continue
            if k == "sessions":
                out[k] = {code: str(n) for code, n in v}
                continue
            out[k] = (
                v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v
            )
        return out


def _keyed(change: Change, key: str, key_words: str, day: str, day_words: str) -> None:
    """Clean a (frozen) change's code ``key`` and date ``day`` in place; the messages name the
    change: "<kind>: <key_words>", then "<kind> <code>: <day_words>"."""
    code = _code(getattr(change, key), f"{change.kind}: {key_words}")
    object.__setattr__(change, key, code)
    when = _date(getattr(change, day), f"{change.kind} {code}: {day_words}")
    object.__setattr__(change, day, when)


@dataclass(frozen=True)
class Recruit(Change):
    kind: ClassVar[str] = "recruit"
    role: str
    wte: Decimal
    start: date
    end: date | None = None
    band: str = ""
    employer: str = ""  # ODS code of the employing organisation
    base_site: str = ""  # ODS code of the practice the post is based at
    region: str = "national"
    employment_model: str = "lead_practice"  # lead_practice, federation, nhs_trust or agency
    monthly_gross: Decimal | None = None  # usual monthly pay at the post's WTE
    monthly_employer_ni: Decimal | None = None
    monthly_employer_pension: Decimal | None = None
    #: sessions a week by member practice ({"A00001": 4} or text "A00001:4; A00002:5");
    #: none: the post counts at its base site (WTE x 9 sessions)
    sessions: Any = None

    def __post_init__(self) -> None:
        what = f"recruit {self.role or '(no role)'}"
        object.__setattr__(self, "sessions", _sessions(self.sessions, what))
        if not str(self.role or "").strip():
            raise ChangeError("recruit: the role is blank")
        object.__setattr__(self, "role", str(self.role).strip())
        object.__setattr__(self, "wte", _wte(self.wte, f"{what}: the WTE"))
        object.__setattr__(self, "start", _date(self.start, f"{what}: the start"))
        if self.end is not None:
            end = _date(self.end, f"{what}: the end")
            if end < self.start:
                raise ChangeError(f"{what}: ends {end} before it starts {self.start}")
            object.__setattr__(self, "end", end)
        for name in ("employer", "base_site"):
            value = getattr(self, name)
            object.__setattr__(self, name, str(value or "").strip().upper())
        object.__setattr__(self, "band", str(self.band or "").strip().lower())
        if self.employment_model not in EMPLOYMENT_MODELS:
            raise ChangeError(
                f"{what}: the employment model must be one of {', '.join(EMPLOYMENT_MODELS)},"
                f" not {self.employment_model!r}"
            )
        if self.region not in REGIONS:
            raise ChangeError(
                f"{what}: the region must be one of {', '.join(REGIONS)}, not {self.region!r}"
            )
        pay = [self.monthly_gross, self.monthly_employer_ni, self.monthly_employer_pension]
        if self.monthly_gross is None and any(p is not None for p in pay[1:]):
            raise ChangeError(f"{what}: employer NI or pension given without the gross pay")
        for name in ("monthly_gross", "monthly_employer_ni", "monthly_employer_pension"):
            value = getattr(self, name)
            if value is not None:
                v = _decimal(value, f"{what}: {name.replace('_', ' ')}")
                if v < 0:
                    raise ChangeError(f"{what}: {name.replace('_', ' ')} is negative ({v})")
                object.__setattr__(self, name, v)

    def describe(self) -> str:
        where = f" based at {self.base_site}" if self.base_site else ""
        return f"recruit {self.wte} WTE {self.role} from {self.start}{where}"


@dataclass(frozen=True)
class Leave(Change):
    kind: ClassVar[str] = "leave"
    staff_id: str
    on: date  # last day in post

    def __post_init__(self) -> None:
        _keyed(self, "staff_id", "the staff id", "on", "the last day")

    def describe(self) -> str:
        return f"{self.staff_id} leaves (last day {self.on})"


@dataclass(frozen=True)
class ChangeWte(Change):
    kind: ClassVar[str] = "change_wte"
    staff_id: str
    wte: Decimal
    start: date  # the first day at the new WTE

    def __post_init__(self) -> None:
        object.__setattr__(self, "staff_id", _code(self.staff_id, "change_wte: the staff id"))
        what = f"change_wte {self.staff_id}"
        object.__setattr__(self, "wte", _wte(self.wte, f"{what}: the WTE"))
        object.__setattr__(self, "start", _date(self.start, f"{what}: the start"))

    def describe(self) -> str:
        return f"{self.staff_id} works {self.wte} WTE from {self.start}"


@dataclass(frozen=True)
class VacancyUnfilled(Change):
    kind: ClassVar[str] = "vacancy_unfilled"
    vacancy_id: str

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "vacancy_id", _code(self.vacancy_id, "vacancy_unfilled: the vacancy id")
        )

    def describe(self) -> str:
        return f"vacancy {self.vacancy_id} is not filled"


@dataclass(frozen=True)
class PracticeJoins(Change):
    kind: ClassVar[str] = "practice_joins"
    practice: str
    start: date

    def __post_init__(self) -> None:
        _keyed(self, "practice", "the practice", "start", "the start")

    def describe(self) -> str:
        return f"practice {self.practice} joins from {self.start}"


@dataclass(frozen=True)
class PracticeLeaves(PracticeJoins):
    kind: ClassVar[str] = "practice_leaves"

    def describe(self) -> str:
        return f"practice {self.practice} leaves from {self.start}"


@dataclass(frozen=True)
class CareHomeAligned(Change):
    """A CQC care home (by location id) is aligned to the PCN from ``start``."""

    kind: ClassVar[str] = "care_home_aligned"
    location_id: str
    start: date
    lead_practice: str = ""  # ODS code; needed to adopt the change

    def __post_init__(self) -> None:
        _keyed(self, "location_id", "the location id", "start", "the start")
        object.__setattr__(self, "lead_practice", str(self.lead_practice or "").strip().upper())

    def describe(self) -> str:
        return f"care home {self.location_id} aligned from {self.start}"


@dataclass(frozen=True)
class CareHomeUnaligned(Change):
    """A care home's alignment to the PCN ends on ``end`` (its last day; realigned elsewhere)."""

    kind: ClassVar[str] = "care_home_unaligned"
    location_id: str
    end: date

    def __post_init__(self) -> None:
        _keyed(self, "location_id", "the location id", "end", "the last day")

    def describe(self) -> str:
        return f"care home {self.location_id} no longer aligned after {self.end}"


@dataclass(frozen=True)
class RulesVariant(Change):
    """The year's rules with another ICB's local variation (``icb``), or the national rules
    with none (``icb`` blank), instead of those of the PCN's own ICB."""

    kind: ClassVar[str] = "rules_variant"
    icb: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "icb", str(self.icb or "").strip().upper())

    def describe(self) -> str:
        return f"the rules of ICB {self.icb} apply" if self.icb else "the national rules apply"


@dataclass(frozen=True)
class RulesYear(Change):
    """Another financial year's rules (national + the PCN's ICB overlay) for every stream and
    the ARRS sum, worked on this year's population file."""

    kind: ClassVar[str] = "rules_year"
    year: str

    def __post_init__(self) -> None:
        text = str(self.year or "").strip()
        head, sep, tail = text.partition("-")
        if not (
            sep and head.isdigit() and len(head) == 4 and tail == f"{(int(head) + 1) % 100:02d}"
        ):
            raise ChangeError(f"rules_year: the year must be like 2026-27, not {self.year!r}")
        object.__setattr__(self, "year", text)

    def describe(self) -> str:
        return f"the {self.year} rules apply"


ROOM_SESSIONS = ("morning", "afternoon", "evening", "saturday")


@dataclass(frozen=True)
class Rooms(Change):
    """The free clinical rooms at ``practice``'s site from ``start``: ``rooms`` in each of its
    ``session``s (blank: the morning and the afternoon)."""

    kind: ClassVar[str] = "rooms"
    practice: str
    rooms: int
    start: date
    session: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "practice", _code(self.practice, "rooms: the practice"))
        what = f"rooms at {self.practice}"
        n = _decimal(self.rooms, f"{what}: the number of rooms")
        if n < 0 or n != int(n) or n > 50:
            raise ChangeError(f"{what}: the number of rooms must be a whole number 0-50, not {n}")
        object.__setattr__(self, "rooms", int(n))
        object.__setattr__(self, "start", _date(self.start, f"{what}: the start"))
        session = str(self.session or "").strip().lower()
        if session and session not in ROOM_SESSIONS:
            raise ChangeError(
                f"{what}: the session must be one of {', '.join(ROOM_SESSIONS)} or blank (the"
                f" morning and the afternoon), not {self.session!r}"
            )
        object.__setattr__(self, "session", session)

    def sessions(self) -> tuple[str, ...]:
        return (self.session,) if self.session else ("morning", "afternoon")

    def describe(self) -> str:
        return (
            f"{self.rooms} room{'' if self.rooms == 1 else 's'} at {self.practice}"
            f" each {' and '.join(self.sessions())} from {self.start}"
        )


KINDS: dict[str, type[Change]] = {
    c.kind: c
    for c in (
        Recruit, Leave, ChangeWte, VacancyUnfilled, PracticeJoins, PracticeLeaves,
        CareHomeAligned, CareHomeUnaligned, RulesVariant, RulesYear, Rooms,
    )
}  # fmt: skip


def from_dict(data: Any, index: int | None = None, kinds=None) -> Change:
    """One change from its JSON form; ChangeError names the change (by number when given).
    ``kinds``: the kinds allowed (default :data:`KINDS`, a PCN scenario's)."""
    kinds = KINDS if kinds is None else kinds
    label = f"change {index}" if index is not None else "change"
    if not isinstance(data, dict):
        raise ChangeError(f"{label}: expected an object with a 'kind', not {data!r}")
    kind = data.get("kind")
    cls = kinds.get(kind)  # type: ignore[arg-type]
    if cls is None:
        raise ChangeError(f"{label}: unknown kind {kind!r}; kinds are {', '.join(kinds)}")
    names = {f.name for f in fields(cls)}
    extra = sorted(set(data) - names - {"kind"})
    if extra:
        raise ChangeError(f"{label} ({kind}): unknown field(s) {', '.join(extra)}")
    required = {
        f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING
    }
    missing = sorted(required - set(data))
    if missing:
        raise ChangeError(f"{label} ({kind}): missing {', '.join(missing)}")
    try:
        return cls(**{k: v for k, v in data.items() if k != "kind"})
    except ChangeError as exc:
        raise ChangeError(f"{label}: {exc}") from None


def from_list(data: Any, kinds=None) -> tuple[Change, ...]:
    if not isinstance(data, list):
        raise ChangeError("changes must be a list")
    return tuple(from_dict(d, i, kinds) for i, d in enumerate(data, 1))


def as_list(changes) -> list[dict[str, Any]]:
    return [c.as_dict() for c in changes]
