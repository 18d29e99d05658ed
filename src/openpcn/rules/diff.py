"""What changed between two years' rules: ``diff(rules_a, rules_b) -> RuleDiff`` (pure).

Rows are grouped by key.  A key's rows are its dated series within the year; two years'
series are compared by (calendar day of each start and end, value, unit, basis, verified),
so a rate that is the same and covers the same days of the year is unchanged, while a new
mid-year uplift or a different value makes the key "changed".  Roles are compared by id
(name, band and the calendar day of ``available_from``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from openpcn.rules.loader import Role, RuleSet, RuleValue


@dataclass(frozen=True)
class KeyChange:
    key: str
    before: tuple[RuleValue, ...]
    after: tuple[RuleValue, ...]


@dataclass(frozen=True)
class RoleChange:
    id: str
    before: Role | None
    after: Role | None


@dataclass(frozen=True)
class RuleDiff:
    year_a: str
    year_b: str
    added: tuple[KeyChange, ...]
    removed: tuple[KeyChange, ...]
    changed: tuple[KeyChange, ...]
    roles_added: tuple[Role, ...]
    roles_removed: tuple[Role, ...]
    roles_changed: tuple[RoleChange, ...]

    def records(self) -> list[dict[str, Any]]:
        """One flat record per key or role change (for JSON, CSV and tables)."""
        out: list[dict[str, Any]] = []
        for kind, items in (("added", self.added), ("removed", self.removed)):
            out += [_record(kind, c) for c in items]
        out += [_record("changed", c) for c in self.changed]
        for kind, roles in (("role_added", self.roles_added), ("role_removed", self.roles_removed)):
            for r in roles:
                before, after = (
                    (_role_text(r), "") if kind == "role_removed" else ("", _role_text(r))
                )
                out.append({"change": kind, "key": r.id, "before": before, "after": after})
        for rc in self.roles_changed:
            out.append(
                {
                    "change": "role_changed",
                    "key": rc.id,
                    "before": _role_text(rc.before),
                    "after": _role_text(rc.after),
                }
            )
        return out


def _series_text(rows: tuple[RuleValue, ...]) -> str:
    parts = []
    for r in rows:
        flag = "" if r.verified else " (unverified)"
        parts.append(f"{r.value} {r.unit} from {r.applies_from:%d %b %Y}{flag}")
    return "; ".join(parts)


def _role_text(role: Role | None) -> str:
    if role is None:
        return ""
    return f"{role.name} (band {role.afc_band}) from {role.available_from:%d %b %Y}"


def _record(kind: str, change: KeyChange) -> dict[str, Any]:
    return {
        "change": kind,
        "key": change.key,
        "before": _series_text(change.before),
        "after": _series_text(change.after),
    }


def _day_of_year(day: date) -> tuple[int, int]:
    """(month, day): the same calendar day in any year (leap years have no other effect)."""
    return (day.month, day.day)


def _signature(rows: tuple[RuleValue, ...]) -> tuple:
    return tuple(
        (
            _day_of_year(r.applies_from),
            _day_of_year(r.applies_to),
            r.value,
            r.unit,
            r.basis,
            r.verified,
        )
        for r in rows
    )


def _by_key(ruleset: RuleSet) -> dict[str, tuple[RuleValue, ...]]:
    grouped: dict[str, list[RuleValue]] = {}
    for r in ruleset.rows():
        grouped.setdefault(r.key, []).append(r)
    return {k: tuple(v) for k, v in grouped.items()}


def diff(a: RuleSet, b: RuleSet) -> RuleDiff:
    """Keys and roles added, removed or changed going from year ``a`` to year ``b``."""
    rows_a, rows_b = _by_key(a), _by_key(b)
    added = tuple(KeyChange(k, (), rows_b[k]) for k in sorted(rows_b.keys() - rows_a.keys()))
    removed = tuple(KeyChange(k, rows_a[k], ()) for k in sorted(rows_a.keys() - rows_b.keys()))
    changed = tuple(
        KeyChange(k, rows_a[k], rows_b[k])
        for k in sorted(rows_a.keys() & rows_b.keys())
        if _signature(rows_a[k]) != _signature(rows_b[k])
    )
    roles_a = {r.id: r for r in a.roles}
    roles_b = {r.id: r for r in b.roles}

    def role_sig(role: Role) -> tuple:
        return (role.name, role.afc_band, _day_of_year(role.available_from))

    return RuleDiff(
        year_a=str(a.year),
        year_b=str(b.year),
        added=added,
        removed=removed,
        changed=changed,
        roles_added=tuple(roles_b[i] for i in sorted(roles_b.keys() - roles_a.keys())),
        roles_removed=tuple(roles_a[i] for i in sorted(roles_a.keys() - roles_b.keys())),
        roles_changed=tuple(
            RoleChange(i, roles_a[i], roles_b[i])
            for i in sorted(roles_a.keys() & roles_b.keys())
            if role_sig(roles_a[i]) != role_sig(roles_b[i])
        ),
    )
