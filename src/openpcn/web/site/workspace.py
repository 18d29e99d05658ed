"""The links of a workspace page (PCN, practice, caseload): each shown only where the user
may follow it (the access middleware's own decision, :func:`can`) and there is something
behind it; otherwise the words of what data is missing and who can load it.

A link is ``{"text": ..., "href": ...}``; a link with nothing behind it is
``{"text": ..., "missing": "..."}`` (no href). Links the user may not follow are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from django.urls import reverse

from openpcn.web.platform.access import can

ADMIN_LOADS = "an administrator loads it"
LEAD_ADDS = "the PCN's lead adds them"


def _population(code: str) -> str | None:
    from openpcn.data.population import cohorts as cohorts_db

    if cohorts_db.dataset_for(code) is None:
        return (
            "No population dataset is loaded for this PCN yet; the PCN's lead or an administrator"
            " loads the PCN's own extract."
        )
    return None


def _workforce(code: str) -> str | None:
    from openpcn.data.workforce import benchmark as benchmark_db
    from openpcn.workforce.benchmark import BenchmarkError

    bench = benchmark_db.benchmark()
    if bench is None:
        return f"No national workforce (NWRS) file is loaded yet; {ADMIN_LOADS}."
    try:
        bench.for_pcn(code)
    except BenchmarkError:
        return (
            f"The loaded national workforce (NWRS) file has no staff for this PCN; {ADMIN_LOADS}."
        )
    return None


def _staff(code: str) -> str | None:
    from openpcn.data.finance.models import StaffMember

    if not StaffMember.objects.filter(pcn__code=code).exists():
        return f"No staff are on the PCN's ARRS staff register yet; {LEAD_ADDS}."
    return None


def _coverage(code: str) -> str | None:
    return _staff(code)


def _iif(code: str) -> str | None:
    from openpcn.data.services import iif as measures

    year = measures.iif_year(None)
    if year is None:
        return f"No Investment and Impact Fund achievement file is loaded yet; {ADMIN_LOADS}."
    if not any(r.pcn_code == code for r in year.results):
        return (
            f"The {year.year} Investment and Impact Fund file has no measures for this PCN; "
            f"{ADMIN_LOADS}."
        )
    return None


def _entitlements(code: str) -> str | None:
    from openpcn.data.finance import entitlements as entitlements_db
    from openpcn.rules.current import chosen_year
    from openpcn.rules.loader import RuleNotFound

    try:
        year = chosen_year(None)
    except (ValueError, RuleNotFound):
        return "OpenPCN has no rules for this financial year yet; an administrator adds them."
    streams, _pops = entitlements_db.pcn_entitlements(code, year)
    if streams is None:
        return (
            "No NHS England PCN population file is loaded for this year, so the PCN's "
            f"entitlements cannot be worked out; {ADMIN_LOADS}."
        )
    return None


def _forecast(code: str) -> str | None:
    return _entitlements(code) or _staff(code)


def _members(code: str) -> str | None:
    from openpcn.data.finance.register import member_practices

    if not member_practices(code):
        return f"No member practices are recorded for this PCN; {ADMIN_LOADS}."
    return None


def _rota(code: str) -> str | None:
    return _staff(code)


def _care_plans(code: str) -> str | None:
    return _population(code)


def _residence(code: str) -> str | None:
    from openpcn.data.neighbourhoods.queries import RESIDENCE_FILE, residence_loaded

    if not residence_loaded():
        return f"NHS England Digital's {RESIDENCE_FILE} is not loaded yet; {ADMIN_LOADS}."
    return None


# url name -> (check of the data behind it, or None when the page always has something)
NEEDS: dict[str, Callable[[str], str | None] | None] = {
    "finance:entitlements": _entitlements,
    "finance:claims": _staff,
    "finance:forecast": _forecast,
    "finance:split": _entitlements,
    "scenarios:list": _entitlements,  # a scenario's effects need the year's populations
    "finance:register": _members,
    "rota:plans": _rota,
    "workforce:benchmark": _workforce,
    "workforce:coverage": _coverage,
    "services:care-homes": None,
    "services:enhanced-access": None,
    "services:iif": _iif,
    "services:care-plans": _care_plans,
    "population:smr": _population,
    "population:network": _population,
    "population:extract": None,
    "governance:overview": None,  # the pages say what is not recorded yet
    "web:pcn-residence": _residence,
}

PCN_GROUPS = [
    (
        "Money",
        [
            ("What the PCN is entitled to", "finance:entitlements"),
            ("ARRS claims", "finance:claims"),
            ("ARRS forecast and headroom", "finance:forecast"),
            ("Income split between practices", "finance:split"),
            ("What-if scenarios", "scenarios:list"),
        ],
    ),
    (
        "Workforce",
        [
            ("ARRS staff register", "finance:register"),
            ("Rotas", "rota:plans"),
            ("Against the ICB and England", "workforce:benchmark"),
            ("Which practices the shared staff reach", "workforce:coverage"),
        ],
    ),
    (
        "Services",
        [
            ("Care homes", "services:care-homes"),
            ("Care plans for care home residents", "services:care-plans"),
            ("Enhanced Access", "services:enhanced-access"),
            ("Investment and Impact Fund", "services:iif"),
            ("Structured medication reviews", "population:smr"),
        ],
    ),
    (
        "Population health",
        [
            ("Cohorts, inequalities and worklists", "population:network"),
            ("Load the PCN's own extract", "population:extract"),
            ("Where the PCN's patients live (neighbourhoods)", "web:pcn-residence"),
        ],
    ),
    (
        "Governance",
        [
            (
                "Agreement, decisions, meetings, clinical director's time, maturity",
                "governance:overview",
            )
        ],
    ),  # fmt: skip
]


def link(user, text: str, name: str, check: Callable[[], str | None] | None = None, **kwargs):
    """A link to ``name`` if ``user`` may follow it (else None); with ``missing`` words
    instead of an href when ``check`` says what data is missing."""
    if not can(user, name, **kwargs):
        return None
    missing = check() if check else None
    if missing:
        return {"text": text, "missing": missing}
    return {"text": text, "href": reverse(name, kwargs=kwargs or None)}


def pcn_links(user, code: str) -> list[dict]:
    """The PCN workspace's groups of links for ``user``: [{title, links}], empty groups out."""
    checks = {name: cache(lambda f=f: f(code)) if f else None for name, f in NEEDS.items()}
    groups = []
    for title, items in PCN_GROUPS:
        links = [link(user, text, name, checks[name], code=code) for text, name in items]
        links = [x for x in links if x]
        if links:
            groups.append({"title": title, "links": links})
    return groups


def practice_page(user, code: str, pcn, on: date) -> dict:
    """The practice workspace beyond its registry facts: the practice's share of the PCN's
    income (the PCN's participation payment split by list size), its sessions from published
    rotas, and the links the user may follow."""
    from openpcn.web.rota.presenters import practice_sessions

    links = [
        link(user, "Public page for this practice", "registry:practice", code=code),
        link(
            user,
            "Population health",
            "population:practice",
            (lambda: _population(pcn.code)) if pcn else (lambda: "The practice is not in a PCN."),
            code=code,
        ),
    ]
    sessions = practice_sessions(pcn, code) if pcn else []
    return {
        "links": [x for x in links if x],
        "sessions": sessions,
        "income": practice_income(code, pcn, on) if pcn else None,
    }


def practice_income(code: str, pcn, on: date) -> dict:
    """The practice's share of the PCN's entitlement streams, split by registered list size
    (the split a PCN starts from; its lead may agree another on the income split page)."""
    from openpcn.data.finance import entitlements as entitlements_db
    from openpcn.data.registry.national import national_view
    from openpcn.finance.money import total as money_total
    from openpcn.finance.split import practice_parts
    from openpcn.rules.current import chosen_year
    from openpcn.rules.loader import RuleNotFound

    try:
        year = chosen_year(None, on)
    except (ValueError, RuleNotFound):
        return {"missing": "OpenPCN has no rules for this financial year yet."}
    streams, reason = entitlements_db.pcn_entitlements(pcn.code, year)
    if streams is None:
        return {
            "missing": "No NHS England PCN population file is loaded for this year, so the "
            f"PCN's income cannot be worked out; {ADMIN_LOADS}."
        }
    view = national_view(on)
    members = view.members(pcn.code)
    total = sum(view.totals.get(c, 0) for c in members)
    mine = view.totals.get(code, 0)
    if not total or not mine:
        return {"missing": "The registered list sizes of the member practices are not known."}
    share, parts = practice_parts(streams, mine, total)
    rows = [
        {"name": s.label, "paid_to": s.paid_to, "pcn": s.annual_amount, "practice": part}
        for s, part in parts
    ]
    return {
        "year": year,
        "share": float(share * 100),
        "rows": rows,
        "total": money_total(part for _, part in parts),
        "basis": f"{mine:,} of the PCN's {total:,} registered patients as at {on}",
    }


def caseload_links(user, network) -> list[dict]:
    """The pages a clinician's caseload leads to: the rota, care home residents' care plans
    (the cohorts a clinician may see), care homes and the network page."""
    if network is None:
        return []
    code = network.code
    items = [
        link(user, "Your network", "web:network", code=code),
        link(user, "Rotas", "rota:plans", lambda: _rota(code), code=code),
        link(user, "Care homes and rounds", "services:care-homes", code=code),
        link(
            user,
            "Care plans for care home residents",
            "services:care-plans",
            lambda: _population(code),
            code=code,
        ),
        link(
            user,
            "Cohorts, inequalities and worklists",
            "population:network",
            lambda: _population(code),
            code=code,
        ),
        link(
            user,
            "Structured medication reviews",
            "population:smr",
            lambda: _population(code),
            code=code,
        ),
    ]
    return [x for x in items if x]
