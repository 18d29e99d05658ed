"""One rota plan's page: its grid and Enhanced Access minutes once solved, and the edit form
(add, move or remove a session), which keeps every rule or is refused saying which it breaks."""

from __future__ import annotations

from datetime import date

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
        "breadcrumbs": crumbs(code, plan.pcn.name),
    }
