"""What a PCN has claimed: the one definition, used by the claims and forecast pages and the
ICB's table alike (submitted and approved claims; drafts and rejected claims are not)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpcn.data.finance.models import Claim
from openpcn.finance.claim_status import Status

CLAIMED = (Status.submitted.value, Status.approved.value)


def claimed(pcn_code: str, first: date, last: date) -> tuple[dict, dict]:
    """(ARRS claimed by month, GP claimed by month) from ``first`` to ``last``: the one
    definition of "claimed" (submitted and approved claims; drafts and rejected claims are
    not), used by the PCN's claims and forecast pages and the ICB's table alike."""
    arrs: dict[date, Decimal] = {}
    gp: dict[date, Decimal] = {}
    for c in Claim.objects.filter(
        staff__pcn__code=pcn_code, status__in=CLAIMED, month__gte=first, month__lte=last
    ).select_related("staff"):
        pot = gp if c.staff.role == "gp" else arrs
        pot[c.month] = pot.get(c.month, Decimal("0.00")) + c.claimed_amount
    return arrs, gp


def claimed_total(pcn_code: str, first: date, last: date) -> Decimal:
    """ARRS and GP claimed from ``first`` to ``last`` (see :func:`claimed`)."""
    return sum((sum(pot.values(), Decimal("0.00")) for pot in claimed(pcn_code, first, last)),
               Decimal("0.00"))  # fmt: skip
