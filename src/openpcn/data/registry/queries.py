"""Questions about organisations asked "as at" a date (the Django side of the registry).

Relations come from files observed on a date. For a child and a kind of relation, the
newest file observed at or before the date is believed, and its relations that are active
on the date (start <= date <= end, open ends allowed) are the answer. A snapshot file
(an NHS England Digital map) records relations with no start or end: "true on the
extract date", believed until a newer file says otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from openpcn.data.registry.models import Organisation, Relation, RelationKind


def _active(start: date | None, end: date | None, on: date) -> bool:
    return (start is None or start <= on) and (end is None or end >= on)


def resolve(rows: Iterable[tuple], on: date) -> dict[str, set[str]]:
    """Pure resolver. rows: (child, parent, kind, start, end, observed) -> {child: parents}.

    Only rows observed at or before ``on`` count; per child and kind the newest observation
    wins; of its rows, those active on ``on`` are kept.
    """
    newest: dict[tuple[str, str], date] = {}
    kept: list[tuple] = []
    for row in rows:
        child, _parent, kind, _start, _end, observed = row
        if observed > on:
            continue
        kept.append(row)
        key = (child, kind)
        if key not in newest or observed > newest[key]:
            newest[key] = observed
    result: dict[str, set[str]] = defaultdict(set)
    for child, parent, kind, start, end, observed in kept:
        if observed == newest[(child, kind)] and _active(start, end, on):
            result[child].add(parent)
    return result


def relation_rows(kind: str | None = None, children: Iterable[str] | None = None):
    qs = Relation.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if children is not None:
        qs = qs.filter(child__code__in=list(children))
    return qs.values_list("child__code", "parent__code", "kind", "start", "end", "observed")


def membership_source(on: date) -> date | None:
    """The observation date of the newest membership file at or before ``on``."""
    from django.db.models import Max

    return Relation.objects.filter(kind=RelationKind.PCN_MEMBER, observed__lte=on).aggregate(
        d=Max("observed")
    )["d"]


def membership_as_at(on: date) -> dict[str, str]:
    """practice code -> PCN code as at ``on``, from the newest membership file at or before
    ``on`` (an older file's practices that the newest omits are not carried forward: a
    practice that closed or left drops out). 'U' marks practices in no PCN."""
    observed = membership_source(on)
    if observed is None:
        return {}
    rows = Relation.objects.filter(kind=RelationKind.PCN_MEMBER, observed=observed).values_list(
        "child__code", "parent__code", "kind", "start", "end", "observed"
    )
    resolved = resolve(rows, on)
    return {child: sorted(parents)[0] for child, parents in resolved.items() if parents}


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
