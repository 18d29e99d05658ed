"""One rota plan's page: its grid and Enhanced Access minutes once solved, and the edit form
(add, move or remove a session), which keeps every rule or is refused saying which it breaks."""

from __future__ import annotations

import math
from datetime import date, datetime

from django.utils import timezone

from openpcn.data.accounts import audit
from openpcn.data.rota import planning
from openpcn.data.rota.models import PlanStatus, RotaPlan
from openpcn.web.rota import presenters
from openpcn.web.rota.plans_page import crumbs

CSV_COLUMNS = ["date", "session", "site", "room", "staff", "role", "care_home"]


def ready(plan: RotaPlan) -> bool:
    """Whether the plan has sessions to show or export."""
    return plan.status in (PlanStatus.SOLVED, PlanStatus.PUBLISHED)


def edit(request, plan: RotaPlan) -> tuple[list, list[str]]:
    """Make the posted change: (rules it would break, errors); neither means it was made
    (audited)."""
    post = request.POST
    violations, errors = [], []
    try:
        violations = planning.edit(
            plan,
            post.get("change", "add"),
            post.get("staff", ""),
            date.fromisoformat(post.get("date", "")),
            post.get("session", ""),
            post.get("site", ""),
            int(post.get("version", "-1")),
        )
    except (ValueError, planning.PlanError) as e:
        errors.append(
            str(e)
            if isinstance(e, planning.PlanError)
            else "Choose a person, a date (YYYY-MM-DD), a session and a site."
        )
    if not violations and not errors:
        audit.record(
            request,
            "rota edited",
            object_type="rota_plan",
            object_id=str(plan.pk),
            change=post.get("change", "add"),
        )
    return violations, errors


def solve_progress(plan: RotaPlan, now: datetime | None = None) -> dict | None:
    """Where a running solve is: seconds of its time limit gone (the bar), the best rota's
    penalty so far, the proven lower bound and the gap between them; None once it is done."""
    if plan.status not in (PlanStatus.QUEUED, PlanStatus.SOLVING):
        return None
    last = plan.progress[-1] if plan.progress else {}
    elapsed = 0.0
    if plan.status == PlanStatus.SOLVING and plan.solving_since is not None:
        elapsed = ((now or timezone.now()) - plan.solving_since).total_seconds()
    elapsed = max(elapsed, last.get("seconds") or 0.0)
    objective, bound = last.get("objective"), last.get("bound")
    gap = None
    if objective is not None and bound is not None:
        gap = 100.0 * (objective - bound) / objective if objective else 0.0
    return {
        "queued": plan.status == PlanStatus.QUEUED,
        "elapsed": round(min(elapsed, plan.time_limit), 1),
        "limit": plan.time_limit,
        "objective": objective,
        "bound": None if bound is None else math.ceil(bound - 1e-6),
        "gap": None if gap is None else round(gap, 1),
        "found_at": last.get("seconds"),
    }


def plan_page(plan: RotaPlan, code: str, violations, errors, can_edit: bool) -> dict:
    shown = ready(plan)
    return {
        "page_title": f"Rota from {plan.start}",
        "plan": plan,
        "code": code,
        "grid": presenters.grid(plan) if shown else None,
        "ea": presenters.enhanced_access(plan) if shown else [],
        "violations": violations,
        "errors": errors,
        "can_edit": can_edit,
        "refresh": plan.status in (PlanStatus.QUEUED, PlanStatus.SOLVING),
        "solving": solve_progress(plan),
        "breadcrumbs": crumbs(code, plan.pcn.name),
    }
