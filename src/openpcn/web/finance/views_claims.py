"""Claims pages: a month's claims per member of staff, drafts, submit, approve/reject, and the
monthly claim schedule as Excel (scoped; every change audited; stale copies refused)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.finance import claim_moves
from openpcn.data.finance import ledger as ledger
from openpcn.data.finance.claimed import claimed_total
from openpcn.data.finance.models import Claim
from openpcn.data.finance.register import role_name
from openpcn.data.registry.models import Organisation
from openpcn.finance.claims import MonthlyPay
from openpcn.finance.claims_export import schedule_xlsx
from openpcn.web.finance.forms import clean_money_text
from openpcn.web.finance.views_register import EDIT_ROLES, FINANCE_ROLES, crumbs
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import render_error

DECIDE_ROLES = {Role.ICB_COMMISSIONER}
PCN_MOVES = {"submit", "reopen"}
ICB_MOVES = {"approve", "reject"}


def _month(request, code):
    text = request.POST.get("month") or request.GET.get("month")
    if text:
        month = ledger.parse_month(text)
        if month is None:
            return None, f"'{text[:20]}' is not a month: use YYYY-MM, like 2024-10."
        return month, ""
    return ledger.default_month(code), ""


def _version(text) -> int | None:
    text = str(text or "").strip()
    return int(text) if text.isdigit() else None


def _entries(request, rows):
    """(staff pk -> (version read, pay)) from the posted form, and field errors."""
    entries, errors = {}, []
    for row in rows:
        if not row.editable:
            continue
        pk = row.staff.pk
        raw = {k: request.POST.get(f"{k}_{pk}", "").strip() for k in ("gross", "ni", "pension")}
        if not raw["gross"]:
            continue
        values = {}
        for key, label in (("gross", "gross pay"), ("ni", "employer NI"),
                           ("pension", "employer pension")):  # fmt: skip
            amount, problem = clean_money_text(raw[key] or "0", label)
            if problem:
                errors.append({"text": f"{row.staff.staff_id}: {problem}", "href": f"#{key}_{pk}"})
            values[key] = amount
        if not any(e["href"].endswith(f"_{pk}") for e in errors):
            entries[pk] = (
                _version(request.POST.get(f"version_{pk}")),
                MonthlyPay(values["gross"], values["ni"], values["pension"]),
            )
    if not entries and not errors:
        errors.append(
            {"text": "Enter the gross pay of at least one member of staff", "href": "#claims"}
        )
    return entries, errors


@access(in_scope("code", "pcn", roles=FINANCE_ROLES, name="PCN finance"))
def claims(request, code):
    org = Organisation.objects.get(code=code.upper())
    month, problem = _month(request, org.code)
    if month is None:
        return render_error(request, 404, problem)
    errors = []
    role = request.user.role
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "save":
                if role not in EDIT_ROLES:
                    return render_error(request, 403, "Only the PCN's lead can prepare claims.")
                entries, errors = _entries(request, ledger.month_rows(org.code, month))
                if not errors:
                    problems: list[str] = []
                    saved = ledger.save_drafts(request, org.code, month, entries, problems=problems)
                    if saved:
                        messages.success(request, f"{len(saved)} draft claims saved.")
                    if not problems:
                        return redirect(
                            f"{reverse('finance:claims', args=[org.code])}?month={month:%Y-%m}"
                        )
                    errors += [
                        {"text": f"Not saved: {text}", "href": "#claims"} for text in problems
                    ]
            elif action in PCN_MOVES | ICB_MOVES:
                allowed = EDIT_ROLES if action in PCN_MOVES else DECIDE_ROLES
                if role not in allowed:
                    who = "the PCN's lead" if action in PCN_MOVES else "the ICB commissioner"
                    return render_error(request, 403, f"Only {who} can {action} a claim.")
                claim = Claim.objects.filter(
                    pk=_version(request.POST.get("claim")) or -1, staff__pcn=org
                ).first()
                if claim is None:
                    return render_error(request, 404, "There is no such claim for this PCN.")
                claim_moves.move(
                    request,
                    claim,
                    action,
                    _version(request.POST.get("version")),
                    request.POST.get("reason", "").strip(),
                )
                messages.success(request, f"Claim for {claim.staff.staff_id}: {action} done.")
                return redirect(f"{reverse('finance:claims', args=[org.code])}?month={month:%Y-%m}")
            else:
                errors.append({"text": "Choose what to do with the claims", "href": "#claims"})
        except ledger.LedgerError as exc:
            errors.append({"text": str(exc), "href": "#claims"})
    rows = ledger.month_rows(org.code, month)
    gaps = ledger.maxima_gaps(month, {r.staff.role for r in rows})
    total = claimed_total(org.code, month, month)  # as the ICB's table counts it
    drafts = sum(
        (r.claim.claimed_amount for r in rows if r.claim and r.claim.status == "draft"),
        Decimal("0.00"),
    )
    return render(
        request,
        "finance/claims.jinja",
        {
            "page_title": f"ARRS claims {month:%B %Y}: {org.name}",
            "org": org,
            "month": month,
            "rows": rows,
            "gaps": gaps,
            "gap_by_role": {g.role: g for g in gaps},
            "total": total,
            "drafts": drafts,
            "errors": errors,
            "posted": request.POST if errors else {},
            "can_edit": role in EDIT_ROLES,
            "can_decide": role in DECIDE_ROLES,
            "role_name": role_name,
            "breadcrumbs": crumbs(org),
        },
    )


@access(in_scope("code", "pcn", roles=FINANCE_ROLES, name="PCN finance"))
def schedule(request, code):
    org = Organisation.objects.get(code=code.upper())
    month, problem = _month(request, org.code)
    if month is None:
        return render_error(request, 404, problem)
    try:
        lines, statuses = ledger.schedule_lines(org.code, month)
    except ledger.LedgerError as exc:
        return render_error(request, 404, str(exc))
    if not lines:
        return render_error(request, 404, f"{org.name} has no claims for {month:%B %Y}.")
    data = schedule_xlsx(
        lines, statuses=statuses, title=f"ARRS monthly claim schedule {org.code} {month:%B %Y}"
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="arrs-claims-{org.code}-{month:%Y-%m}.xlsx"'
    )
    return response
