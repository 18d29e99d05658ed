"""Moving a stored claim to its next status (submit, approve, reject, reopen): the status rules
of :mod:`openpcn.finance.claim_status`, a conditional update on the version the user read
(a stale copy never overwrites) and an audited event, in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from openpcn.data.accounts import audit
from openpcn.data.finance.ledger import LedgerError, StaleError, _event, _sentence
from openpcn.data.finance.models import Claim
from openpcn.finance import claim_status
from openpcn.finance.claim_status import Status
from openpcn.finance.errors import FinanceError

ACTION_TO = {
    "submit": Status.submitted,
    "approve": Status.approved,
    "reject": Status.rejected,
    "reopen": Status.draft,
}


@transaction.atomic
def move(request, claim: Claim, action: str, version: int | None, reason: str = "") -> Claim:
    """Move a claim to its next status (the caller has checked the user's role)."""
    if action not in ACTION_TO:
        raise LedgerError(f"Unknown action {action!r}.")
    fresh = Claim.objects.select_for_update().get(pk=claim.pk)
    state = claim_status.ClaimState(Status(fresh.status), fresh.version)
    try:
        new, entry = claim_status.transition(
            state,
            ACTION_TO[action],
            by=request.user.get_username(),
            at=timezone.now(),
            reason=reason,
            expected_version=version,
        )
    except claim_status.StaleClaim:
        raise StaleError(
            f"This claim was changed by someone else (it is now {fresh.status}, version "
            f"{fresh.version}). Nothing was changed: reload the page and try again."
        ) from None
    except FinanceError as exc:
        raise LedgerError(_sentence(str(exc)) + ".") from None
    done = Claim.objects.filter(pk=fresh.pk, version=fresh.version).update(
        status=new.status.value,
        version=new.version,
        reason=reason,
        updated_by=request.user,
        updated_at=timezone.now(),
    )
    if not done:  # pragma: no cover - the row lock makes this unreachable
        raise StaleError("The claim changed while saving; reload and try again.")
    fresh.refresh_from_db()
    _event(fresh, new.status.value, entry.from_status.value, request.user, reason)
    audit.record(
        request,
        f"claim {new.status.value}",
        object_type="arrs_claim",
        object_id=str(fresh.pk),
        purpose="ARRS claim " + ("decision" if action in ("approve", "reject") else "workflow"),
        pcn=fresh.staff.pcn.code,
        month=f"{fresh.month:%Y-%m}",
        staff=fresh.staff.staff_id,
        from_status=entry.from_status.value,
        to_status=new.status.value,
        version=new.version,
        reason=reason,
    )
    return fresh
