"""Questions about organisations asked "as at" a date (the Django side of the registry).

Relations come from files observed on a date. PCN membership as at D is
:func:`membership_at` (the one function every domain asks; which file answers is
:mod:`openpcn.registry.membership`). For other parents (sub-ICB, ICB, region), per child and
kind the newest file observed at or before the date is believed, and its relations active on
the date (start <= date <= end, open ends allowed) are the answer. A snapshot file (an NHS
England Digital map) records relations with no start or end: "true on the extract date",
believed until a newer file says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django.db.models import Count, Max

from openpcn.data.registry.models import IngestedFile, Organisation, Relation, RelationKind
from openpcn.registry.membership import Membership, MembershipFile, choose_files, from_rows
from openpcn.registry.membership import resolve as resolve


def relation_rows(kind: str | None = None, children: Iterable[str] | None = None):
    qs = Relation.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if children is not None:
        qs = qs.filter(child__code__in=list(children))
    return qs.values_list("child__code", "parent__code", "kind", "start", "end", "observed")


_FILES: dict[int, tuple[MembershipFile, ...]] = {}
_MEMBERSHIPS: dict[tuple[date, int], Membership] = {}
_MAX_MEMBERSHIPS = 64


def _version() -> int:
    return IngestedFile.objects.aggregate(m=Max("id"))["m"] or 0


def membership_files() -> tuple[MembershipFile, ...]:
    """Every file that reported PCN membership: its observation date, its name (folder and
    file, e.g. ``ods_epcn_2025-01/ePCN.xlsx``) and whether its relations are dated."""
    version = _version()
    if version not in _FILES:
        rows = (
            Relation.objects.filter(kind=RelationKind.PCN_MEMBER)
            .values("observed", "source__name", "source__path")
            .annotate(dated=Count("start"))
        )
        _FILES.clear()
        _FILES[version] = tuple(
            sorted(
                MembershipFile(
                    r["observed"],
                    _label(r["source__name"], r["source__path"]),
                    r["dated"] > 0,
                )
                for r in rows
            )
        )
    return _FILES[version]


def _label(name: str | None, path: str | None) -> str:
    if not name:
        return "unnamed membership file"
    folder = Path(path).parent.name if path else ""
    return f"{folder}/{name}" if folder else name


def membership_at(on: date) -> Membership:
    """Members of every PCN as at ``on``, with the file(s) and date the answer came from.

    The one question every domain asks about membership; ``on`` is the date the figure is
    about (an achievement date, a claim's month, a payment's quarter, a forecast's month)."""
    key = (on, _version())
    found = _MEMBERSHIPS.get(key)
    if found is None:
        files = choose_files(on, membership_files())
        rows = Relation.objects.filter(
            kind=RelationKind.PCN_MEMBER, observed__in={f.observed for f in files}
        ).values_list("child__code", "parent__code", "start", "end")
        found = from_rows(on, files, rows if files else ())
        if len(_MEMBERSHIPS) >= _MAX_MEMBERSHIPS:
            _MEMBERSHIPS.pop(next(iter(_MEMBERSHIPS)))
        _MEMBERSHIPS[key] = found
    return found


def clear_memberships() -> None:
    _FILES.clear()
    _MEMBERSHIPS.clear()


def membership_source(on: date) -> date | None:
    """The observation date of the membership file that answers for ``on``."""
    return membership_at(on).observed


def membership_as_at(on: date) -> dict[str, str]:
    """practice code -> PCN code as at ``on`` ('U' marks practices in no PCN); see
    :func:`membership_at`, which also names the file the answer came from."""
    return dict(membership_at(on).members)


def parents_of(code: str, on: date) -> set[str]:
    """Every organisation that contains ``code`` as at ``on``, transitively."""
    seen: set[str] = set()
    frontier = {code}
    while frontier:
        resolved = resolve(relation_rows(children=frontier), on)
        nxt = set().union(*resolved.values()) if resolved else set()
        frontier = nxt - seen - {code}
        seen |= frontier
    return seen


def contains(scope_code: str, code: str, on: date) -> bool:
    """True if ``code`` is ``scope_code`` or lies inside it as at ``on``."""
    return code == scope_code or scope_code in parents_of(code, on)


def get_org(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code.strip().upper()).first()
