"""Page-shaped views of the registry (ORM in, plain dicts out). Views stay thin."""

from __future__ import annotations

from datetime import date

from django.http import Http404

from openpcn.data.registry.models import IngestedFile, Organisation
from openpcn.data.registry.national import national_view
from openpcn.data.registry.populations import practice_totals
from openpcn.data.registry.queries import parents_of


def _org(code: str, kind: str) -> Organisation:
    org = Organisation.objects.filter(code=code, kind=kind).first()
    if org is None:
        raise Http404(f"No {kind} with code {code}")
    return org


def _parent_of_kind(code: str, kind: str, on: date) -> Organisation | None:
    codes = parents_of(code, on)
    return Organisation.objects.filter(code__in=codes, kind=kind).order_by("code").first()


def national_summary(on: date) -> dict:
    view = national_view(on)
    return {
        "pcns": len(view.rows),
        "practices": len(view.membership),
        "files": IngestedFile.objects.count(),
        "on": on,
    }


def members_of(pcn_code: str, on: date) -> list[dict]:
    """Member practices as at ``on`` with their most recent registered count at or before it."""
    view = national_view(on)
    members = view.members(pcn_code)
    names = dict(Organisation.objects.filter(code__in=members).values_list("code", "name"))
    total = sum(view.totals.get(c, 0) for c in members)
    rows = []
    for code in members:
        t = view.counts.get(code)
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "patients": t.count if t else None,
                "share": (t.count / total * 100) if t and total else None,
                "extract_date": t.extract_date if t else None,
                "source": t.source if t else None,
            }
        )
    rows.sort(key=lambda r: -(r["patients"] or 0))
    return rows


def pcn_overview(code: str, on: date) -> dict:
    org = _org(code, "pcn")
    members = members_of(code, on)
    row = next((r for r in national_view(on).rows if r.code == code), None)
    icb = Organisation.objects.filter(code=row.icb_code).first() if row and row.icb_code else None
    return {
        "org": org,
        "icb": icb or _parent_of_kind(code, "icb", on),
        "members": members,
        "population": row.population if row else sum(m["patients"] or 0 for m in members),
        "on": on,
    }


def practice_overview(code: str, on: date) -> dict:
    org = _org(code, "practice")
    view = national_view(on)
    totals = view.counts if code in view.counts else practice_totals(on, [code])
    pcn_code = view.membership.get(code)
    pcn = Organisation.objects.filter(code=pcn_code, kind="pcn").first() if pcn_code else None
    return {
        "org": org,
        "pcn": pcn,
        "icb": _parent_of_kind(code, "icb", on),
        "population": totals.get(code),
        "on": on,
    }


def icb_overview(code: str, on: date) -> dict:
    """The ICB's PCNs as at ``on``: the national view's rows whose ICB is this one."""
    org = _org(code, "icb")
    rows = sorted((r for r in national_view(on).rows if r.icb_code == code), key=lambda r: r.name)
    table = [
        {"code": r.code, "name": r.name, "practices": r.practices, "patients": r.population}
        for r in rows
    ]
    return {"org": org, "pcns": table, "on": on}


def find_pcns(q: str, on: date, limit: int = 100) -> list[dict]:
    """PCNs as at ``on`` whose name contains ``q`` or whose code starts with it."""
    q = q.strip().lower()
    rows = [
        r for r in national_view(on).rows if q in r.name.lower() or r.code.lower().startswith(q)
    ]
    rows.sort(key=lambda r: r.name)
    return [
        {"code": r.code, "name": r.name, "practices": r.practices, "patients": r.population}
        for r in rows[:limit]
    ]


def icbs(on: date) -> list[dict]:
    """Each ICB with PCNs as at ``on``, with how many."""
    counts: dict[str, int] = {}
    for r in national_view(on).rows:
        if r.icb_code:
            counts[r.icb_code] = counts.get(r.icb_code, 0) + 1
    names = dict(
        Organisation.objects.filter(code__in=counts, kind="icb").values_list("code", "name")
    )
    return sorted(
        ({"code": c, "name": names[c], "pcns": n} for c, n in counts.items() if c in names),
        key=lambda r: r["name"],
    )
