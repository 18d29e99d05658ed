"""Enhanced Access for a PCN (Django side): the weekly requirement from the year's rule and
the PCN's adjusted population, against the sessions planned in its newest rota."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from openpcn.core.figures import DataRef
from openpcn.core.fyear import FinancialYear
from openpcn.services.enhanced_access import Session, coverage, weekly_requirement

EA_SESSIONS = ("evening", "saturday")


def requirement(pcn_code: str, on: date):
    """(Figure, note) or (None, reason)."""
    from openpcn.data.finance.entitlements import file_year_for, populations
    from openpcn.rules import RuleNotFound

    year = str(FinancialYear.containing(on))
    use = file_year_for(on)
    if use is None:
        return (
            None,
            "No NHS England PCN population file is loaded, so the adjusted population "
            "is not known.",
        )
    pops = populations(use, on)
    if pcn_code not in pops.pcns:
        return None, f"{pcn_code} is not in {pops.source}."
    from openpcn.rules.current import rules_for

    try:
        rules, rule_on, rule_note = rules_for(on)
        rule = rules.value("enhanced_access_minutes_per_1000_per_week", rule_on)
    except RuleNotFound as e:
        return None, str(e)
    notes = [rule_note] if rule_note else []
    data = DataRef(
        source=pops.source,
        as_of=pops.as_of,
        description=f"PCN adjusted population for {use}; {pops.membership_note}",
    )
    if use != year:
        notes.append(f"The {year} population file is not loaded; {use} is used.")
    return weekly_requirement(pops.pcns[pcn_code].adjusted, rule.as_rule_ref(), data), " ".join(
        notes
    )


def planned(pcn_code: str, required: Decimal):
    """(plan, weeks of coverage) from the newest solved or published rota that plans
    Enhanced Access (a newer rota built without it does not hide it), or (None, [])."""
    from openpcn.data.rota.models import RotaPlan
    from openpcn.data.rota.planning import assignments_of, instance_of

    plans = RotaPlan.objects.filter(pcn__code=pcn_code, status__in=("solved", "published"))
    plan = next((p for p in plans.iterator() if p.instance.get("enhanced_access")), None)
    if plan is None:
        return None, []
    inst = instance_of(plan)
    times = {s.id: (s.start, s.end) for s in inst.sessions}
    clinical = {s.id for s in inst.staff if s.clinical}
    sessions = [
        Session(a.slot.date, *times[a.slot.session], a.site)
        for a in assignments_of(plan)
        if a.slot.session in EA_SESSIONS and a.staff in clinical and not a.care_home
    ]
    return plan, coverage(sessions, plan.start, plan.weeks, required)


def delivered(pcn_code: str, first_monday: date, weeks: int, required: Decimal):
    """Week-by-week coverage of the sessions recorded as delivered."""
    from openpcn.data.services.models import EnhancedAccessSession

    last = first_monday + timedelta(days=7 * weeks - 1)
    rows = EnhancedAccessSession.objects.filter(pcn__code=pcn_code, day__range=(first_monday, last))
    return coverage(
        [Session(r.day, r.start, r.end, r.site) for r in rows], first_monday, weeks, required
    )


def record_delivered(request, org) -> tuple[str, str]:
    """Record a delivered session from the form: (error, success message)."""
    from openpcn.core.roles import Role
    from openpcn.data.services.enhanced_access import record_session
    from openpcn.services.errors import ServicesError
    from openpcn.web.platform.errors import PageError

    if request.user.role not in (Role.ADMIN, Role.PCN_LEAD):
        raise PageError(403, "Only the PCN's lead can record delivered sessions.")
    try:
        day = record_session(request, org, request.POST)
    except ServicesError as e:
        return str(e), ""
    return "", f"Session on {day} recorded."


def enhanced_access_page(request, org, error: str) -> dict:
    from openpcn.core.roles import Role
    from openpcn.web.services.iif_page import network_crumbs

    today = date.today()
    figure, note = requirement(org.code, today)
    plan, weeks = planned(org.code, figure.value) if figure else (None, [])
    monday = today - timedelta(days=today.weekday() + 28)
    return {
        "page_title": f"Enhanced Access: {org.name}",
        "org": org,
        "figure": figure,
        "note": note,
        "plan": plan,
        "weeks": weeks,
        "delivered": delivered(org.code, monday, 4, figure.value) if figure else [],
        "error": error,
        "can_edit": request.user.role in (Role.ADMIN, Role.PCN_LEAD),
        "breadcrumbs": network_crumbs(org),
    }
