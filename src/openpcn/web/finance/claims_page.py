"""The claims page for a PCN and month: each member of staff's claim, the drafts the PCN's lead
saves from the form, the moves (submit, reopen, approve, reject) and the month's schedule."""

from __future__ import annotations

from typing import Any

from openpcn.data.finance import claim_moves
from openpcn.data.finance import ledger as ledger
from openpcn.data.finance.claimed import claimed_total
from openpcn.data.finance.models import Claim
from openpcn.data.finance.register import role_name
from openpcn.finance.claims import MonthlyPay
from openpcn.finance.claims_export import schedule_xlsx
from openpcn.web.finance.breadcrumbs import crumbs
from openpcn.web.finance.forms import clean_money_text
from openpcn.web.finance.roles import DECIDE_ROLES, EDIT_ROLES
from openpcn.web.platform.errors import PageError

PCN_MOVES = {"submit", "reopen"}
ICB_MOVES = {"approve", "reject"}
PAY_FIELDS = (("gross", "gross pay"), ("ni", "employer NI"), ("pension", "employer pension"))


def month_of(text: str | None, code: str):
    """The month asked for (YYYY-MM), else the PCN's default; anything else is a 404."""
    if text:
        month = ledger.parse_month(text)
        if month is None:
            raise PageError(404, f"'{text[:20]}' is not a month: use YYYY-MM, like 2024-10.")
        return month
    return ledger.default_month(code)


def _version(text) -> int | None:
    text = str(text or "").strip()
    return int(text) if text.isdigit() else None


def entries(post: Any, rows):
    """(staff pk -> (version read, pay)) from the posted form, and field errors."""
    found, errors = {}, []
    for row in rows:
        if not row.editable:
            continue
        pk = row.staff.pk
        raw = {k: post.get(f"{k}_{pk}", "").strip() for k, _ in PAY_FIELDS}
        if not raw["gross"]:
            continue
        values = {}
        for key, label in PAY_FIELDS:
            amount, problem = clean_money_text(raw[key] or "0", label)
            if problem:
                errors.append({"text": f"{row.staff.staff_id}: {problem}", "href": f"#{key}_{pk}"})
            values[key] = amount
        if not any(e["href"].endswith(f"_{pk}") for e in errors):
            found[pk] = (
                _version(post.get(f"version_{pk}")),
                MonthlyPay(values["gross"], values["ni"], values["pension"]),
            )
    if not found and not errors:
        errors.append(
            {"text": "Enter the gross pay of at least one member of staff", "href": "#claims"}
        )
    return found, errors


def _save(request, org, month) -> tuple[list[dict], str]:
    if request.user.role not in EDIT_ROLES:
        raise PageError(403, "Only the PCN's lead can prepare claims.")
    found, errors = entries(request.POST, ledger.month_rows(org.code, month))
    if errors:
        return errors, ""
    problems: list[str] = []
    saved = ledger.save_drafts(request, org.code, month, found, problems=problems)
    done = f"{len(saved)} draft claims saved." if saved else ""
    return [{"text": f"Not saved: {text}", "href": "#claims"} for text in problems], done


def _move(request, org, action: str) -> str:
    allowed = EDIT_ROLES if action in PCN_MOVES else DECIDE_ROLES
    if request.user.role not in allowed:
        who = "the PCN's lead" if action in PCN_MOVES else "the ICB commissioner"
        raise PageError(403, f"Only {who} can {action} a claim.")
    claim = Claim.objects.filter(
        pk=_version(request.POST.get("claim")) or -1, staff__pcn=org
    ).first()
    if claim is None:
        raise PageError(404, "There is no such claim for this PCN.")
    claim_moves.move(
        request,
        claim,
        action,
        _version(request.POST.get("version")),
        request.POST.get("reason", "").strip(),
    )
    return f"Claim for {claim.staff.staff_id}: {action} done."


def act(request, org, month) -> tuple[list[dict], str]:
    """Do what the POST asks: (errors to show, a sentence saying what was done). No errors
    means the change is made; a role that may not make it is a 403."""
    action = request.POST.get("action", "")
    try:
        if action == "save":
            return _save(request, org, month)
        if action in PCN_MOVES | ICB_MOVES:
            return [], _move(request, org, action)
        return [{"text": "Choose what to do with the claims", "href": "#claims"}], ""
    except ledger.LedgerError as exc:
        return [{"text": str(exc), "href": "#claims"}], ""


def claims_page(request, org, month, errors: list[dict]) -> dict:
    """The page's context: the month's rows, the roles with no maximum, and the totals."""
    role = request.user.role
    rows = ledger.month_rows(org.code, month)
    gaps = ledger.maxima_gaps(month, {r.staff.role for r in rows})
    total = claimed_total(org.code, month, month)  # as the ICB's table counts it
    drafts = ledger.drafts_total(rows)
    return {
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
    }


def schedule(org, month) -> tuple[bytes, str]:
    """The month's claim schedule as Excel, and its file name; no claims is a 404."""
    try:
        lines, statuses = ledger.schedule_lines(org.code, month)
    except ledger.LedgerError as exc:
        raise PageError(404, str(exc)) from None
    if not lines:
        raise PageError(404, f"{org.name} has no claims for {month:%B %Y}.")
    data = schedule_xlsx(
        lines, statuses=statuses, title=f"ARRS monthly claim schedule {org.code} {month:%B %Y}"
    )
    return data, f"arrs-claims-{org.code}-{month:%Y-%m}.xlsx"
