"""The PCN staff register: ARRS staff, vacancies and non-ARRS PCN staff (pure dataclasses).

Every class validates itself on creation and raises :class:`StaffRegisterError`, whose
``field`` names the offending field (``str(error)`` reads ``staff S001, field wte: ...``).
Rules:

- role: an ARRS role id of the role map (``data/arrs_role_map.yaml``), not ``non_arrs``;
  non-ARRS staff go in :class:`NonArrsStaff` with a free-text job title.
- wte: a number with 0 < WTE <= 1 (1.0 WTE = 37.5 hours a week), given as Decimal, int or
  text ("0.8"); floats are taken by their shortest decimal form.
- afc_band: Agenda for Change band "1"-"9" or "8a"-"8d"; None where the role is not on AfC
  (e.g. a GP on the BMA model contract).
- end_date, when given, must not be before start_date.
- employment_model: lead_practice, federation, nhs_trust or agency;
  employer_ods and base_practice are ODS codes (letters and digits, 3-8 characters).
- sessions: {member practice ODS code: sessions per week (>= 0, half sessions allowed)};
  base_practice need not appear in it.
- training_status: not_applicable, not_started, in_training or completed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from openpcn.workforce.role_map import NON_ARRS, load_role_map


class StaffRegisterError(ValueError):
    """A register entry with a bad field."""

    def __init__(self, who: str, field_name: str, message: str) -> None:
        self.who = who
        self.field = field_name
        self.message = message
        super().__init__(f"{who}, field {field_name}: {message}")

    def __reduce__(self):
        return (type(self), (self.who, self.field, self.message))


class EmploymentModel(StrEnum):
    lead_practice = "lead_practice"
    federation = "federation"
    nhs_trust = "nhs_trust"
    agency = "agency"


class TrainingStatus(StrEnum):
    not_applicable = "not_applicable"
    not_started = "not_started"
    in_training = "in_training"
    completed = "completed"


_BAND = re.compile(r"^(?:[1-79]|8[a-d])$")
_ODS = re.compile(r"^[A-Z0-9]{3,8}$")
ONE = Decimal(1)


def _decimal(who: str, name: str, value: object) -> Decimal:
    if isinstance(value, bool):
        raise StaffRegisterError(who, name, f"{value!r} is not a number")
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise StaffRegisterError(who, name, f"{str(value)[:20]!r} is not a number") from None
    if not number.is_finite():
        raise StaffRegisterError(who, name, f"{value!r} is not a finite number")
    return number


def _wte(who: str, value: object) -> Decimal:
    wte = _decimal(who, "wte", value)
    if not 0 < wte <= ONE:
        raise StaffRegisterError(who, "wte", f"WTE must be above 0 and at most 1, got {wte}")
    return wte


def _enum(who: str, name: str, enum: type[StrEnum], value: object) -> StrEnum:
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise StaffRegisterError(who, name, f"{value!r} is not one of {allowed}") from None


def _ods(who: str, name: str, value: object, required: bool = True) -> str:
    text = str(value or "").strip().upper()
    if not text:
        if required:
            raise StaffRegisterError(who, name, "is blank")
        return ""
    if not _ODS.match(text):
        raise StaffRegisterError(who, name, f"{value!r} is not an ODS code")
    return text


def _date(who: str, name: str, value: object, required: bool = True) -> date | None:
    if value is None or value == "":
        if required:
            raise StaffRegisterError(who, name, "is blank")
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise StaffRegisterError(who, name, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _role(who: str, value: object) -> str:
    role = str(value or "").strip()
    roles = load_role_map().roles
    if role == NON_ARRS:
        raise StaffRegisterError(who, "role", "non-ARRS staff belong in NonArrsStaff")
    if role not in roles:
        raise StaffRegisterError(who, "role", f"{role!r} is not an ARRS role id")
    return role


def _band(who: str, value: object) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    band = str(value).strip().lower().removeprefix("band").strip()
    if not _BAND.match(band):
        raise StaffRegisterError(who, "afc_band", f"{value!r} is not an Agenda for Change band")
    return band


def _sessions(who: str, value: Mapping[str, object] | None) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for practice, n in (value or {}).items():
        code = _ods(who, "sessions", practice)
        if code in out:
            raise StaffRegisterError(who, "sessions", f"practice {code} listed twice")
        number = _decimal(who, f"sessions[{code}]", n)
        if number < 0:
            raise StaffRegisterError(who, f"sessions[{code}]", f"{number} is negative")
        out[code] = number
    return out


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def _staff_id(record) -> str:
    """Strip and check a record's staff id; the record's name in error messages."""
    sid = str(record.staff_id or "").strip()
    if not sid:
        raise StaffRegisterError("staff (no id)", "staff_id", "is blank")
    _set(record, "staff_id", sid)
    return f"staff {sid}"


def _dates(record, who: str) -> None:
    """Check a record's start and (optional) end date, the end not before the start."""
    start = _date(who, "start_date", record.start_date)
    end = _date(who, "end_date", record.end_date, required=False)
    if end is not None and end < start:
        raise StaffRegisterError(who, "end_date", f"end {end} is before start {start}")
    _set(record, "start_date", start)
    _set(record, "end_date", end)


@dataclass(frozen=True)
class StaffMember:
    """One ARRS-funded member of staff."""

    staff_id: str
    role: str
    wte: Decimal
    start_date: date
    employment_model: EmploymentModel
    employer_ods: str
    base_practice: str
    afc_band: str | None = None
    end_date: date | None = None
    sessions: Mapping[str, Decimal] = field(default_factory=dict)
    supervisor: str | None = None
    training_status: TrainingStatus = TrainingStatus.not_applicable
    name: str = ""

    def __post_init__(self) -> None:
        who = _staff_id(self)
        _set(self, "role", _role(who, self.role))
        _set(self, "wte", _wte(who, self.wte))
        _set(self, "afc_band", _band(who, self.afc_band))
        _dates(self, who)
        _set(
            self,
            "employment_model",
            _enum(who, "employment_model", EmploymentModel, self.employment_model),
        )
        _set(self, "employer_ods", _ods(who, "employer_ods", self.employer_ods))
        _set(self, "base_practice", _ods(who, "base_practice", self.base_practice))
        _set(self, "sessions", _sessions(who, self.sessions))
        _set(
            self, "supervisor", (str(self.supervisor).strip() or None) if self.supervisor else None
        )
        _set(
            self,
            "training_status",
            _enum(who, "training_status", TrainingStatus, self.training_status),
        )

    def in_post(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass(frozen=True)
class Vacancy:
    """A post the PCN plans to fill, with its planned start date."""

    vacancy_id: str
    role: str
    wte: Decimal
    planned_start: date
    base_practice: str = ""
    afc_band: str | None = None
    employment_model: EmploymentModel | None = None
    sessions: Mapping[str, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        vid = str(self.vacancy_id or "").strip()
        if not vid:
            raise StaffRegisterError("vacancy (no id)", "vacancy_id", "is blank")
        who = f"vacancy {vid}"
        _set(self, "vacancy_id", vid)
        _set(self, "role", _role(who, self.role))
        _set(self, "wte", _wte(who, self.wte))
        _set(self, "planned_start", _date(who, "planned_start", self.planned_start))
        _set(self, "base_practice", _ods(who, "base_practice", self.base_practice, required=False))
        _set(self, "afc_band", _band(who, self.afc_band))
        if self.employment_model is not None:
            _set(
                self,
                "employment_model",
                _enum(who, "employment_model", EmploymentModel, self.employment_model),
            )
        _set(self, "sessions", _sessions(who, self.sessions))


@dataclass(frozen=True)
class NonArrsStaff:
    """PCN staff not funded by ARRS (clinical director, manager, admin, ...)."""

    staff_id: str
    job_title: str
    wte: Decimal
    start_date: date
    funding: str = ""
    end_date: date | None = None
    employer_ods: str = ""

    def __post_init__(self) -> None:
        who = _staff_id(self)
        if not str(self.job_title or "").strip():
            raise StaffRegisterError(who, "job_title", "is blank")
        _set(self, "wte", _wte(who, self.wte))
        _dates(self, who)
        _set(self, "employer_ods", _ods(who, "employer_ods", self.employer_ods, required=False))


@dataclass(frozen=True)
class StaffRegister:
    """A PCN's register; ids are unique across staff, vacancies and non-ARRS staff."""

    staff: tuple[StaffMember, ...] = ()
    vacancies: tuple[Vacancy, ...] = ()
    non_arrs: tuple[NonArrsStaff, ...] = ()

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for kind, items, attr in (
            ("staff", self.staff, "staff_id"),
            ("vacancy", self.vacancies, "vacancy_id"),
            ("staff", self.non_arrs, "staff_id"),
        ):
            for item in items:
                key = getattr(item, attr)
                if key in seen:
                    raise StaffRegisterError(f"{kind} {key}", attr, "id is used twice")
                seen.add(key)
        _set(self, "staff", tuple(self.staff))
        _set(self, "vacancies", tuple(self.vacancies))
        _set(self, "non_arrs", tuple(self.non_arrs))

    def in_post(self, day: date) -> list[StaffMember]:
        return [s for s in self.staff if s.in_post(day)]

    @classmethod
    def of(cls, entries: Iterable[StaffMember | Vacancy | NonArrsStaff]) -> StaffRegister:
        entries = list(entries)
        return cls(
            staff=tuple(e for e in entries if isinstance(e, StaffMember)),
            vacancies=tuple(e for e in entries if isinstance(e, Vacancy)),
            non_arrs=tuple(e for e in entries if isinstance(e, NonArrsStaff)),
        )
