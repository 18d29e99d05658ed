"""The rotas page for a PCN: its recent plans, and the form that plans a new rota (first day,
weeks, solver time limit, Enhanced Access) with errors naming the field."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from openpcn.data.rota import planning
from openpcn.data.rota.models import RotaPlan


def crumbs(code: str, name: str) -> list[dict]:
    return [
        {"text": "Home", "href": "/"},
        {"text": name, "href": reverse("web:network", kwargs={"code": code})},
    ]


def plan_errors(post) -> list[dict]:
    """What is wrong with the posted new-rota form, each naming its field."""
    errors = []
    try:
        start = date.fromisoformat(post.get("start", ""))
    except ValueError:
        start = None
        errors.append({"text": "Enter the first day as YYYY-MM-DD", "href": "#start"})
    if start and start.weekday() != 0:
        errors.append({"text": "A rota starts on a Monday", "href": "#start"})
    weeks = post.get("weeks", "")
    if not weeks.isdigit() or not 1 <= int(weeks) <= 8:
        errors.append({"text": "Enter between 1 and 8 weeks", "href": "#weeks"})
    limit = post.get("time_limit", "30")
    if not limit.isdigit() or not 5 <= int(limit) <= 300:
        errors.append(
            {"text": "Enter a time limit between 5 and 300 seconds", "href": "#time_limit"}
        )
    return errors


def start_plan(request, org) -> RotaPlan:
    """Save the (already checked) posted plan, audited, and start solving it in the background."""
    post = request.POST
    return planning.plan_rota(
        request,
        org,
        start=date.fromisoformat(post.get("start", "")),
        weeks=int(post.get("weeks", "")),
        time_limit=int(post.get("time_limit", "30")),
        enhanced_access=post.get("enhanced_access") == "on",
    )


def plans_page(request, org, errors: list[dict], can_edit: bool) -> dict:
    return {
        "page_title": f"Rotas: {org.name}",
        "org": org,
        "plans": RotaPlan.objects.filter(pcn=org)[:20],
        "errors": errors,
        "can_edit": can_edit,
        "monday": planning.next_monday(date.today()),
        "form": request.POST,
        "breadcrumbs": crumbs(org.code, org.name),
    }
