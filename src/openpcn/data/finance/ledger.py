"""The claims ledger (Django side): register rows -> claims engine -> stored, audited claims.

Every change goes through here: drafts are computed with :func:`claims.claim_month` (role
caps across the PCN's staff), status moves with :func:`claim_status.transition`, and each write
is a conditional update on the version the user read, so a stale copy never overwrites.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from openpcn.core.fyear import FinancialYear
from openpcn.data.accounts import audit
from openpcn.data.finance.claimed import CLAIMED
from openpcn.data.finance.models import Claim, ClaimEvent, StaffMember
from openpcn.data.finance.register import role_name
from openpcn.finance.claim_status import Status
from openpcn.finance.claims import (
    ClaimError,
    ClaimLine,
    MonthlyPay,
    StaffContract,
    claim_month,
    claimable_wtes,
    month_end,
    month_start,
)
from openpcn.finance.errors import FinanceError
from openpcn.finance.money import total as money_total
from openpcn.rules import RuleNotFound, RuleSet, load_all, load_year
from openpcn.rules.maxima import Gap, gaps

EDITABLE = (Status.draft.value, Status.rejected.value)


class LedgerError(Exception):
    """A change refused: the message says why and what to do."""


class StaleError(LedgerError):
    pass


def parse_month(text: str | None) -> date | None:
    try:
        year, month = str(text or "").strip().split("-")[:2]
        return date(int(year), int(month), 1)
    except (ValueError, TypeError):
        return None


def default_month(pcn_code: str, today: date | None = None) -> date:
    latest = Claim.objects.filter(staff__pcn__code=pcn_code).order_by("-month").first()
    if latest is not None:
        return latest.month
    today = today or date.today()
    last_year = list(load_all().values())[-1]
    return min(today.replace(day=1), last_year.year.end.replace(day=1))


def rules_for(month: date, pcn_code: str | None = None) -> RuleSet:
    """The year's rules for ``month``; with ``pcn_code``, with its ICB's overlay applied."""
    year = FinancialYear.containing(month)
    try:
        if pcn_code:
            from openpcn.data.rules.overlays import OverlayError, rules_for_pcn

            try:
                return rules_for_pcn(pcn_code, year, month)
            except OverlayError as exc:
                raise LedgerError(f"The ICB's local variation does not validate: {exc}") from None
        return load_year(year)
    except RuleNotFound as exc:
        raise LedgerError(f"There are no ARRS rules for {year}: {exc}") from None


def contract(staff: StaffMember) -> StaffContract:
    return StaffContract(
        staff.staff_id,
        staff.role,
        staff.wte,
        staff.start_date,
        staff.end_date,
        staff.region,
    )


def usual_pay(staff: StaffMember) -> MonthlyPay | None:
    if staff.monthly_gross is None:
        return None
    return MonthlyPay(
        staff.monthly_gross,
        staff.monthly_employer_ni or Decimal(0),
        staff.monthly_employer_pension or Decimal(0),
    )


def in_post(pcn_code: str, month: date):
    return (
        StaffMember.objects.filter(pcn__code=pcn_code, start_date__lte=month_end(month))
        .exclude(end_date__lt=month)
        .order_by("start_date", "id")
    )


def list_size(pcn_code: str, rules: RuleSet, month: date | None = None) -> int | None:
    """The PCN's registered list in the year's population file (for list-size role caps),
    over its members as at ``month`` (the claim's month; default the year's first day)."""
    from openpcn.data.finance.entitlements import populations

    pops = populations(str(rules.year), month)
    if pops is None or pcn_code not in pops.pcns:
        return None
    return pops.pcns[pcn_code].registered


@dataclass
class Row:
    staff: StaffMember
    claim: Claim | None

    @property
    def editable(self) -> bool:
        return self.claim is None or self.claim.status in EDITABLE


def maxima_gaps(month: date, roles: Iterable[str] | None = None) -> list[Gap]:
    """The role maxima in force on the month's first day that are not published (claims are
    then capped by the actual pay + on-costs) or not verified, for ``roles`` (default: all
    the year's roles); empty when there are no rules for the month."""
    try:
        rules = rules_for(month)
    except LedgerError:
        return []
    wanted = None if roles is None else set(roles)
    return [
        g
        for g in gaps(rules, on=month_start(month), unverified=True)
        if wanted is None or g.role in wanted
    ]


def month_rows(pcn_code: str, month: date) -> list[Row]:
    claims = {
        c.staff_id: c
        for c in Claim.objects.filter(staff__pcn__code=pcn_code, month=month).select_related(
            "staff"
        )
    }
    staff = list(in_post(pcn_code, month))
    seen = {s.pk for s in staff}
    staff += [c.staff for pk, c in claims.items() if pk not in seen]
    return [Row(s, claims.get(s.pk)) for s in staff]


def drafts_total(rows: Iterable[Row]) -> Decimal:
    """What the month's draft claims (saved, not yet submitted) add up to."""
    return money_total(
        r.claim.claimed_amount for r in rows if r.claim and r.claim.status == "draft"
    )


def compute(
    pcn_code: str,
    month: date,
    pays: Mapping[int, MonthlyPay],
    rules: RuleSet,
    problems: dict[int, str] | None = None,
) -> dict[int, ClaimLine]:
    """Claim lines for the staff in ``pays`` (staff pk -> pay), role caps across them.

    A claim that cannot be computed (role not reimbursable that month; rule files holding
    neither a maximum nor a none-published row for the role) raises LedgerError, or with
    ``problems`` given is reported there (staff pk -> message) and the other claims are still
    computed. A role with no published maximum is claimed at its actual pay + on-costs.
    """
    staff = {s.pk: s for s in StaffMember.objects.filter(pk__in=list(pays))}

    def refuse(pk: int, text: str) -> None:
        if problems is None:
            raise LedgerError(text)
        problems[pk] = text

    for pk in pays:  # say plainly when a role is not in this year's ARRS at all
        s = staff[pk]
        try:
            role = rules.role(s.role)
        except RuleNotFound:
            refuse(pk, f"{s.staff_id}: {role_name(s.role)} is not reimbursable under ARRS in "
                   f"{rules.year}, so it cannot be claimed for {month:%B %Y}.")  # fmt: skip
            continue
        if role.available_from > month_end(month):
            refuse(pk, f"{s.staff_id}: {role_name(s.role)} is reimbursable in {rules.year} "
                   f"only from {role.available_from}, so it cannot be claimed for "
                   f"{month:%B %Y}.")  # fmt: skip
    ok = [pk for pk in pays if pk not in (problems or {})]
    contracts = {pk: contract(staff[pk]) for pk in ok}
    try:
        wtes = claimable_wtes(contracts.values(), month, rules, list_size(pcn_code, rules, month))
    except (ClaimError, FinanceError) as exc:
        raise LedgerError(_sentence(str(exc))) from None
    lines = {}
    for pk in sorted(ok, key=lambda pk: staff[pk].staff_id):
        if staff[pk].staff_id not in wtes:
            continue  # not employed this month
        try:
            lines[pk] = claim_month(
                contracts[pk], month, pays[pk], rules, claimable_wte=wtes[staff[pk].staff_id]
            )
        except (ClaimError, FinanceError) as exc:
            text = str(exc)
            who = staff[pk].staff_id
            refuse(
                pk,
                _sentence(text) if who in text else f"{who} ({role_name(staff[pk].role)}): {text}.",
            )
    return lines


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _event(claim: Claim, action: str, before: str, user, reason: str = "") -> None:
    ClaimEvent.objects.create(
        claim=claim,
        action=action,
        from_status=before,
        to_status=claim.status,
        version=claim.version,
        reason=reason,
        by=user if getattr(user, "is_authenticated", False) else None,
        username=user.get_username() if getattr(user, "is_authenticated", False) else "",
    )


@transaction.atomic
def save_drafts(
    request,
    pcn_code: str,
    month: date,
    entries: Mapping[int, tuple[int | None, MonthlyPay]],
    *,
    user=None,
    problems: list[str] | None = None,
) -> list[Claim]:
    """Create or update draft claims for ``entries`` (staff pk -> (version read, pay)).

    ``version`` None means the user saw no claim: if one exists now, the save is stale.
    Claims already submitted or approved keep their pay (and count towards the role caps).
    A stale copy or a claim that cannot be changed leaves every claim as it was; a claim that
    cannot be computed (no maximum to cap it, say) is left out and reported in ``problems``
    (messages naming the staff member), and the others are saved.
    """
    user = user or request.user
    rules = rules_for(month, pcn_code)
    existing = {
        c.staff_id: c
        for c in Claim.objects.select_for_update(of=("self",)).filter(
            staff__pcn__code=pcn_code, month=month
        )
    }
    staff_ok = set(in_post(pcn_code, month).values_list("pk", flat=True))
    pays: dict[int, MonthlyPay] = {}
    for pk, (version, pay) in entries.items():
        if pk not in staff_ok:
            raise LedgerError(f"Staff {pk} is not in this PCN's register for {month:%B %Y}.")
        claim = existing.get(pk)
        current = None if claim is None else claim.version
        if version != current:
            raise StaleError(
                f"The claim for {StaffMember.objects.get(pk=pk).staff_id} in {month:%B %Y} was "
                "changed by someone else since you opened this page. Nothing was saved: reload "
                "the page to see their change, then try again."
            )
        if claim is not None and claim.status not in EDITABLE:
            raise LedgerError(
                f"The claim for {claim.staff.staff_id} is {claim.status}: it cannot be changed."
            )
        pays[pk] = pay
    for pk, claim in existing.items():
        if pk not in pays and claim.status in CLAIMED:
            pays[pk] = MonthlyPay(claim.gross_pay, claim.employer_ni, claim.employer_pension)
    refused: dict[int, str] = {}
    lines = compute(pcn_code, month, pays, rules, refused)
    if problems is not None:
        problems.extend(refused[pk] for pk in entries if pk in refused)
    elif any(pk in refused for pk in entries):
        raise LedgerError(next(refused[pk] for pk in entries if pk in refused))
    saved = []
    for pk, (_version, pay) in entries.items():
        ln = lines.get(pk)
        if ln is None:
            continue
        claim = existing.get(pk)
        before = "" if claim is None else claim.status
        values = {
            "gross_pay": Decimal(pay.gross),
            "employer_ni": Decimal(pay.employer_ni),
            "employer_pension": Decimal(pay.employer_pension),
            "claimed_amount": ln.claim,
            "cap": ln.cap.quantize(Decimal("0.01")),
            "capped": ln.capped,
            "working": ln.figure.method + ("; " + "; ".join(ln.notes) if ln.notes else ""),
            "status": Status.draft.value,
            "updated_by": user,
        }
        if claim is None:
            try:
                with transaction.atomic():
                    claim = Claim.objects.create(
                        staff_id=pk, month=month, created_by=user, **values
                    )
            except IntegrityError:  # someone created it since we read the month
                raise StaleError(
                    "Someone else created this claim while you were editing it. Nothing was "
                    "saved: reload the page and try again."
                ) from None
            action = "created"
        else:
            done = Claim.objects.filter(pk=claim.pk, version=claim.version).update(
                version=claim.version + 1, updated_at=timezone.now(), **values
            )
            if not done:
                raise StaleError("The claim changed while saving; nothing was saved. Reload.")
            claim.refresh_from_db()
            action = "updated"
        _event(claim, action, before, user)
        audit.record(
            request,
            f"claim {action}",
            user=user,
            object_type="arrs_claim",
            object_id=str(claim.pk),
            purpose="ARRS claim preparation",
            pcn=pcn_code,
            month=f"{month:%Y-%m}",
            staff=claim.staff.staff_id,
            amount=str(claim.claimed_amount),
            version=claim.version,
        )
        saved.append(claim)
    return saved


def schedule_lines(pcn_code: str, month: date) -> tuple[list[ClaimLine], dict]:
    """The stored claims of a month recomputed as engine lines (for the Excel schedule)."""
    claims = list(Claim.objects.filter(staff__pcn__code=pcn_code, month=month))
    if not claims:
        return [], {}
    pays = {c.staff_id: MonthlyPay(c.gross_pay, c.employer_ni, c.employer_pension) for c in claims}
    lines = compute(pcn_code, month, pays, rules_for(month, pcn_code))
    staff_ids = {c.staff_id: c for c in claims}
    statuses = {(ln.staff_id, f"{month:%Y-%m}"): staff_ids[pk].status for pk, ln in lines.items()}
    return list(lines.values()), statuses
