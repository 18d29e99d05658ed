"""The rules page of one financial year: every rule row in words with its source, verified
flag and caveat, the ARRS roles with their maxima, and the gaps (what is not published)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from openpcn.core.figures import shown
from openpcn.rules.keys import KEYS, ROLE_FAMILIES
from openpcn.rules.loader import RuleSet, RuleValue

TOPICS = (
    ("arrs_", "Additional Roles Reimbursement Scheme"),
    ("iif_", "Investment and Impact Fund"),
    ("", "Payments and requirements"),
)
REGIONS = (("", "England"), (".london_outer", "outer London"), (".london_inner", "inner London"))


@dataclass(frozen=True)
class Gap:
    role: str
    period: str
    why: str


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


def _uncovered(rows: list[RuleValue], start: date, end: date) -> list[tuple[date, date]]:
    """Stretches of ``start``..``end`` no row covers."""
    holes, day = [], start
    for r in sorted(rows, key=lambda r: r.applies_from):
        if r.applies_to < day:
            continue
        if r.applies_from > day:
            holes.append((day, min(end, r.applies_from - timedelta(days=1))))
        day = max(day, r.applies_to + timedelta(days=1))
        if day > end:
            break
    if day <= end:
        holes.append((day, end))
    return holes


def roles(rules: RuleSet) -> tuple[list[dict], list[Gap]]:
    """Each role with its maxima by period and region; and the periods with no maximum."""
    views, gaps = [], []
    for role in rules.roles:
        national = rules.rows(f"arrs_max_reimbursement.{role.id}")
        maxima = []
        for suffix, region in REGIONS:
            for r in (x for x in national if x.key == f"arrs_max_reimbursement.{role.id}{suffix}"):
                maxima.append({"region": region, **row_view(r)})
        none_rows = rules.rows(f"arrs_max_none_published.{role.id}")
        main = [x for x in national if x.key == f"arrs_max_reimbursement.{role.id}"]
        for a, b in _uncovered(main + none_rows, role.available_from, rules.year.end):
            gaps.append(
                Gap(
                    role.name,
                    f"{_day(a)} to {_day(b)}",
                    f"the {rules.year} rule file holds no maximum for this role and period",
                )
            )
        for r in none_rows:
            gaps.append(Gap(role.name, f"{_day(r.applies_from)} to {_day(r.applies_to)}", r.note))
        for r in main:
            if r.caveat:
                gaps.append(
                    Gap(role.name, f"{_day(r.applies_from)} to {_day(r.applies_to)}", r.caveat)
                )
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
    return views, gaps


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
