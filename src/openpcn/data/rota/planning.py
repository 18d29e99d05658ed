"""Building a rota instance from a PCN's register, sites and services, and solving it
(Django side). Solves run outside the web request: `openpcn rota-plan run ID`."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openpcn.data.accounts import audit
from openpcn.data.registry.national import national_view
from openpcn.data.rota.models import PlanStatus, RotaPlan
from openpcn.rota.pcn.check import check_rota
from openpcn.rota.pcn.engine import solve_rota
from openpcn.rota.pcn.instance import RotaInstance, Slot
from openpcn.rota.pcn.jsonio import assignment_doc, dump_instance, dump_solution, load_instance
from openpcn.rota.pcn.model import Assignment
from openpcn.rota.pcn.register import (
    HomeFacts,
    PlanError,
    RotaFacts,
    StaffFacts,
    instance_from,
)
from openpcn.workforce.leave import Leave, leave_days


def rota_facts(
    code: str, start: date, weeks: int, enhanced_access: bool = True, practices=()
) -> RotaFacts:
    """What the product records about the PCN for a rota from ``start`` (a Monday): the
    member practices as at ``start``, their list sizes and names (and those of ``practices``,
    e.g. one a scenario has join), the register records overlapping the weeks with their
    sessions and leave, and the care homes' open alignments."""
    from openpcn.data.finance.models import StaffMember, StaffSession
    from openpcn.data.registry.models import Organisation
    from openpcn.data.services.models import CareHomeAlignment

    end = start + timedelta(days=7 * weeks - 1)
    view = national_view(start)
    members = view.members(code)
    if not members:
        raise PlanError(f"{code} has no member practices as at {start}.")
    staff_rows = list(
        StaffMember.objects.filter(pcn__code=code, start_date__lte=end)
        .exclude(end_date__lt=start)
        .prefetch_related("leave")
        .order_by("id")
    )
    named = set(members) | set(practices)
    names = dict(Organisation.objects.filter(code__in=named).values_list("code", "name"))
    sessions: dict[int, set[str]] = {}
    for s in StaffSession.objects.filter(staff__in=staff_rows):
        sessions.setdefault(s.staff_id, set()).add(s.practice_code)
    staff = tuple(
        StaffFacts(
            str(s.id), s.staff_id, s.name, s.role, float(s.wte), s.base_practice,
            s.start_date, s.end_date, frozenset(sessions.get(s.id, ())),
            leave_days([Leave(x.start, x.end, x.kind) for x in s.leave.all()], start, end),
        )
        for s in staff_rows
    )  # fmt: skip
    homes = tuple(
        HomeFacts(a.home.location_id, a.home.name, a.lead_practice.code)
        for a in CareHomeAlignment.objects.filter(pcn__code=code, end__isnull=True)
        .select_related("home", "lead_practice")
        .order_by("id")
    )
    sizes = {p: view.totals.get(p, 0) for p in named}
    return RotaFacts(
        code, start, weeks, tuple(members), names, sizes, staff, homes, enhanced_access,
        _adjusted_population(code, start, sum(sizes[p] for p in members)),
    )  # fmt: skip


def build_instance(plan: RotaPlan) -> RotaInstance:
    inst, message = instance_from(
        rota_facts(plan.pcn.code, plan.start, plan.weeks, plan.enhanced_access)
    )
    if message:
        plan.message = message
    return inst


def _adjusted_population(code: str, on: date, registered: int) -> int:
    """The PCN's adjusted population from NHS England's file for the year (or the newest
    loaded); the registered list when no file has the PCN."""
    from openpcn.core.fyear import FinancialYear
    from openpcn.data.finance.entitlements import populations, years_loaded

    years = years_loaded()
    year = str(FinancialYear.containing(on))
    use = year if year in years else (years[-1] if years else None)
    pops = populations(use, on) if use else None
    if pops is not None and code in pops.pcns:
        return pops.pcns[code].adjusted
    return registered


def plan_rota(
    request, pcn, *, start: date, weeks: int, time_limit: int, enhanced_access: bool
) -> RotaPlan:
    """Save a new rota plan for ``pcn`` (audited) and start solving it."""
    plan = RotaPlan.objects.create(
        pcn=pcn,
        start=start,
        weeks=weeks,
        time_limit=time_limit,
        enhanced_access=enhanced_access,
        created_by=request.user.username,
    )
    audit.record(request, "rota planned", object_type="rota_plan", object_id=str(plan.pk))
    start_solve(plan)
    return plan


def start_solve(plan: RotaPlan) -> None:
    """Queue the plan and solve it in a separate process (inline under tests)."""
    plan.status = PlanStatus.QUEUED
    plan.save(update_fields=["status"])
    if settings.ENV == "test":
        run_plan(plan.pk)
        return
    in_background("rota-plan", "run", str(plan.pk))


def in_background(*args: str) -> None:
    """Run ``openpcn ARGS...`` in a process of its own (a solve outside the web request)."""
    subprocess.Popen(
        [sys.executable, "-m", "openpcn", *args],  # noqa: S603
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def run_plan(plan_id: int) -> RotaPlan:
    plan = RotaPlan.objects.select_related("pcn").get(pk=plan_id)
    try:
        inst = build_instance(plan)
    except PlanError as e:
        plan.status, plan.message = PlanStatus.FAILED, str(e)
        plan.save(update_fields=["status", "message"])
        return plan
    plan.instance = json.loads(json.dumps(dump_instance(inst), default=str))
    plan.status = PlanStatus.SOLVING
    plan.progress = []
    plan.solving_since = timezone.now()
    plan.save(update_fields=["instance", "status", "progress", "solving_since"])

    persist = settings.ENV != "test"  # inline solves (tests) hold the request's transaction

    def progress(seconds, objective, bound):
        plan.progress = [
            *plan.progress,
            {
                "seconds": round(seconds, 1),
                "objective": objective,
                "bound": bound if bound is not None and math.isfinite(bound) else None,
            },
        ]
        if persist:  # the solver calls back from its own thread: its own connection
            from django.db import connection

            RotaPlan.objects.filter(pk=plan.pk).update(progress=plan.progress)
            connection.close()

    result = solve_rota(inst, time_limit=plan.time_limit, workers=2, progress=progress)
    plan.solution = json.loads(json.dumps(dump_solution(inst, result), default=str))
    if result.assignments:
        plan.status = PlanStatus.SOLVED
    else:
        plan.status = PlanStatus.FAILED
        plan.message = "\n".join(result.conflicts) or f"The solver stopped: {result.status}."
    plan.save(update_fields=["solution", "status", "message", "progress"])
    return plan


def instance_of(plan: RotaPlan) -> RotaInstance:
    return load_instance(json.dumps(plan.instance), f"plan {plan.pk}")


def assignments_of(plan: RotaPlan) -> list[Assignment]:
    return [
        Assignment(
            a["staff"],
            Slot(date.fromisoformat(a["date"]), a["session"]),
            a["site"],
            a.get("care_home"),
        )
        for a in plan.solution.get("assignments", [])
    ]


def edit(plan: RotaPlan, change: str, staff: str, day: date, session: str, site: str, version: int):
    """Add or remove one assignment after checking the whole rota; returns the violations.
    Hard violations refuse the change; a stale version refuses it too."""
    inst = instance_of(plan)
    current = assignments_of(plan)
    slot = Slot(day, session)
    if change == "remove":
        new = [a for a in current if not (a.staff == staff and a.slot == slot)]
        if len(new) == len(current):
            who = next((e.name for e in inst.staff if e.id == staff), "This person")
            raise PlanError(f"{who} has no session on {slot.label()} to remove.")
    else:
        new = [*current, Assignment(staff, slot, site)]
    try:
        check = check_rota(inst, new)
    except KeyError as e:
        raise PlanError(f"Unknown staff member or site: {e}") from None
    if check.violations:
        return check.violations
    with transaction.atomic():
        updated = RotaPlan.objects.filter(pk=plan.pk, version=version).update(
            solution={
                **plan.solution,
                "assignments": [assignment_doc(a) for a in new],
            },
            version=version + 1,
        )
    if not updated:
        raise PlanError(
            "Someone else changed this rota since you opened it. Reload the page "
            "and make your change again."
        )
    return []


def next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def publish(plan: RotaPlan) -> None:
    """Publish a solved plan so staff see their sessions."""
    from django.utils import timezone

    if plan.status != PlanStatus.SOLVED:
        raise PlanError("Only a solved rota can be published.")
    plan.status, plan.published_at = PlanStatus.PUBLISHED, timezone.now()
    plan.save(update_fields=["status", "published_at"])


def demo_plan(pcn_code: str, weeks: int, time_limit: int) -> RotaPlan:
    """Plan, solve (in this process) and, when solved, publish a rota from next Monday."""
    from openpcn.data.registry.models import Organisation

    plan = RotaPlan.objects.create(
        pcn=Organisation.objects.get(code=pcn_code),
        start=next_monday(date.today()),
        weeks=weeks,
        time_limit=time_limit,
        created_by="demo",
    )
    plan = run_plan(plan.pk)
    if plan.status == PlanStatus.SOLVED:
        publish(plan)
    return plan


def link_staff_account(username: str, pcn_code: str) -> bool:
    """Link a user to the PCN's first register entry, so they see their own rota."""
    from openpcn.data.accounts.models import User
    from openpcn.data.finance.models import StaffMember
    from openpcn.data.rota.models import StaffAccount

    staff = StaffMember.objects.filter(pcn__code=pcn_code).order_by("id").first()
    user = User.objects.filter(username=username).first()
    if staff is None or user is None:
        return False
    StaffAccount.objects.update_or_create(user=user, defaults={"staff": staff})
    return True
