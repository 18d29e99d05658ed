"""The rules page of one financial year: every rule row in words with its source, verified
flag and caveat, the ARRS roles with their maxima, and the gaps (what is not published)."""

from __future__ import annotations

from datetime import date

from openpcn.core.figures import shown
from openpcn.rules.keys import KEYS, ROLE_FAMILIES
from openpcn.rules.loader import RuleSet, RuleValue
from openpcn.rules.maxima import gaps as maxima_gaps

TOPICS = (
    ("arrs_", "Additional Roles Reimbursement Scheme"),
    ("iif_", "Investment and Impact Fund"),
    ("", "Payments and requirements"),
)
REGIONS = (("", "England"), (".london_outer", "outer London"), (".london_inner", "inner London"))


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def describe(key: str) -> str:
    if key in KEYS:
        return KEYS[key][2]
    family, role, *rest = key.split(".")
    what = {
        "arrs_max_reimbursement": "maximum reimbursable per WTE a year",
        "arrs_reimbursement_pct": "share of pay and on-costs reimbursed",
        "arrs_role_cap": "cap on WTE per PCN",
    }.get(family, family.replace("_", " "))
    return f"{role.replace('_', ' ')}: {what}" + (f" ({rest[0].replace('_', ' ')})" if rest else "")


def row_view(r: RuleValue) -> dict:
    return {
        "key": r.key,
        "what": describe(r.key),
        "value": shown(r.value, r.unit),
        "dates": f"{_day(r.applies_from)} to {_day(r.applies_to)}",
        "verified": r.verified,
        "confidence": r.confidence,
        "caveat": r.caveat,
        "source": r.source,
        "note": r.note,
        "derivation": r.derivation,
    }


def topics(rules: RuleSet) -> list[tuple[str, list[dict]]]:
    out, seen = [], set()
    for prefix, title in TOPICS:
        rows = [r for r in rules.rows(prefix) if r.key not in seen]
        if prefix == "arrs_":
            rows = [r for r in rows if r.key.split(".")[0] not in ROLE_FAMILIES]
        seen.update(r.key for r in rules.rows(prefix))
        if rows:
            out.append((title, [row_view(r) for r in rows]))
    return out


def roles(rules: RuleSet) -> tuple[list[dict], list]:
    """Each role with its maxima by period and region; and the gaps: periods with no published
    maximum, and maxima carried from an earlier year (:func:`openpcn.rules.maxima.gaps`)."""
    views = []
    for role in rules.roles:
        rows = rules.rows(f"arrs_max_reimbursement.{role.id}")
        maxima = [
            {"region": region, **row_view(r)}
            for suffix, region in REGIONS
            for r in rows
            if r.key == f"arrs_max_reimbursement.{role.id}{suffix}"
        ]
        views.append(
            {
                "id": role.id,
                "name": role.name,
                "band": role.afc_band,
                "from": _day(role.available_from),
                "note": role.note,
                "maxima": maxima,
            }
        )
    found = [
        g
        for g in maxima_gaps(rules, unverified=True)
        if g.kind == "unpublished" or g.row.carried_from
    ]
    return views, found


def context(rules: RuleSet, years: list[str]) -> dict:
    role_views, gaps = roles(rules)
    unverified = sum(1 for r in rules.rules if not r.verified)
    carried = sum(1 for r in rules.rules if r.carried_from)
    return {
        "page_title": f"Rules {rules.year}",
        "year": str(rules.year),
        "years": years,
        "topics": topics(rules),
        "roles": role_views,
        "gaps": gaps,
        "counts": {"rows": len(rules.rules), "unverified": unverified, "carried": carried},
        "file": rules.path.name,
    }
