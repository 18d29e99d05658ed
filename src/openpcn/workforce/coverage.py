"""Coverage: each member practice's sessions of each role against its fair share by list size.

For a role with S sessions a week across the PCN (the sum over staff of that role of their
sessions at member practices), practice p's fair share is S x list_p / sum of lists, and its
gap is sessions_p - fair share (negative: the practice gets less than its share).

Flags, in plain words (role words from the role map):

- reach, for every role present that does not reach every practice:
  "First contact physiotherapy reaches 7 of 17 practices";
- shortfall, for every practice whose sessions are below ``shortfall_below`` (default 0.75)
  of a fair share of at least ``min_fair_share`` (default 0.5) sessions:
  "Alpha Surgery gets 2 of its 6 fair-share pharmacist sessions".
  Numbers in flags are rounded half-up to one decimal place, shown without a trailing ".0".

Only staff in post on ``on`` count when ``on`` is given. Sessions at a practice that has no
list size is an error naming the staff member and the practice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from openpcn.core.figures import DataRef, Figure
from openpcn.workforce.register import StaffMember
from openpcn.workforce.role_map import RoleMap, load_role_map

ZERO = Decimal(0)


class CoverageError(ValueError):
    """Inconsistent coverage input (sessions at a practice without a list size, ...)."""


@dataclass(frozen=True)
class CoverageCell:
    practice: str
    role: str
    sessions: Decimal
    fair_share: Decimal
    list_size: int

    @property
    def gap(self) -> Decimal:
        return self.sessions - self.fair_share

    def figure(
        self,
        role_name: str,
        total_sessions: Decimal,
        total_list: int,
        data: tuple[DataRef, ...] = (),
    ) -> Figure:
        return Figure(
            label=f"{role_name} fair-share sessions a week, {self.practice}",
            value=self.fair_share,
            unit="sessions a week",
            method=(
                f"{total_sessions} PCN sessions x {self.list_size} patients on the practice "
                f"list / {total_list} patients on all member lists"
            ),
            data=data,
        )


@dataclass(frozen=True)
class RoleCoverage:
    role: str
    total_sessions: Decimal
    practices: int
    reached: int
    cells: tuple[CoverageCell, ...]


@dataclass(frozen=True)
class CoverageReport:
    roles: dict[str, RoleCoverage]
    flags: tuple[str, ...]
    total_list: int

    def cell(self, practice: str, role: str) -> CoverageCell:
        for c in self.roles[role].cells:
            if c.practice == practice:
                return c
        raise KeyError(f"practice {practice} is not a member practice")


@dataclass(frozen=True)
class RegisterRow:
    """A staff register row as recorded: the sessions it lists (maybe none)."""

    staff_id: str
    role: str
    wte: Decimal
    start_date: date
    end_date: date | None
    employment_model: str
    employer_ods: str
    base_practice: str
    sessions: Mapping[str, Decimal]


#: a full-time post is nine sessions a week
SESSIONS_PER_WTE = Decimal(9)


def staff_at_practices(rows: Iterable[RegisterRow], practices: Iterable[str]) -> list[StaffMember]:
    """The register as the coverage engine counts it: sessions at member practices only; a
    member of staff with none recorded there counts at their base practice (WTE x 9 sessions,
    to 0.1) when it is a member."""
    from openpcn.workforce.register import EmploymentModel

    members = set(practices)
    staff = []
    for r in rows:
        sessions = {p: Decimal(n) for p, n in r.sessions.items() if p in members}
        if not sessions and r.base_practice in members:
            sessions = {r.base_practice: (Decimal(r.wte) * SESSIONS_PER_WTE).quantize(
                Decimal("0.1"))}  # fmt: skip
        staff.append(
            StaffMember(
                staff_id=r.staff_id,
                role=r.role,
                wte=r.wte,
                start_date=r.start_date,
                end_date=r.end_date,
                employment_model=EmploymentModel(r.employment_model),
                employer_ods=r.employer_ods,
                base_practice=r.base_practice,
                sessions=sessions,
            )
        )
    return staff


def fmt(number: Decimal) -> str:
    """Half-up to one decimal place, without a trailing '.0': 2 -> '2', 2.45 -> '2.5'."""
    text = str(Decimal(number).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return text[:-2] if text.endswith(".0") else text


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def coverage(
    staff: Iterable[StaffMember],
    list_sizes: Mapping[str, int],
    *,
    on: date | None = None,
    practice_names: Mapping[str, str] | None = None,
    role_map: RoleMap | None = None,
    shortfall_below: Decimal = Decimal("0.75"),
    min_fair_share: Decimal = Decimal("0.5"),
) -> CoverageReport:
    role_map = role_map or load_role_map()
    names = practice_names or {}
    practices = sorted(list_sizes)
    if not practices:
        raise CoverageError("no member practices with a list size")
    for p, n in list_sizes.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise CoverageError(f"practice {p}, field list_size: {n!r} is not a whole number >= 0")
    total_list = sum(list_sizes.values())
    if total_list <= 0:
        raise CoverageError("member practices' list sizes add up to 0")
    sessions: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for member in staff:
        if on is not None and not member.in_post(on):
            continue
        for practice, n in member.sessions.items():
            if practice not in list_sizes:
                raise CoverageError(
                    f"staff {member.staff_id}, field sessions: practice {practice} is not a "
                    "member practice with a list size"
                )
            sessions[member.role][practice] += Decimal(n)
    roles: dict[str, RoleCoverage] = {}
    reach_flags: list[str] = []
    short_flags: list[str] = []
    for role in [r for r in role_map.roles if r in sessions]:
        by_practice = sessions[role]
        total = sum(by_practice.values(), ZERO)
        if total == 0:
            continue
        cells = tuple(
            CoverageCell(
                practice=p,
                role=role,
                sessions=by_practice.get(p, ZERO),
                fair_share=total * list_sizes[p] / total_list,
                list_size=list_sizes[p],
            )
            for p in practices
        )
        reached = sum(1 for c in cells if c.sessions > 0)
        roles[role] = RoleCoverage(role, total, len(practices), reached, cells)
        info = role_map.roles[role]
        if reached < len(practices):
            reach_flags.append(
                _sentence(f"{info.service} reaches {reached} of {len(practices)} practices")
            )
        for c in cells:
            if c.fair_share >= min_fair_share and c.sessions < c.fair_share * shortfall_below:
                got = "none" if c.sessions == 0 else fmt(c.sessions)
                short_flags.append(
                    f"{names.get(c.practice, c.practice)} gets {got} of its "
                    f"{fmt(c.fair_share)} fair-share {info.staff_word} sessions"
                )
    return CoverageReport(
        roles=roles, flags=tuple(reach_flags + short_flags), total_list=total_list
    )
