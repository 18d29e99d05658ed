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


def claimed_totals(pcn_codes: list[str], first: date, last: date) -> dict[str, Decimal]:
    """:func:`claimed_total` of each of ``pcn_codes`` in one query (an ICB's table of its
    PCNs); a PCN with nothing claimed is 0.00."""
    totals = {code: Decimal("0.00") for code in pcn_codes}
    for code, amount in Claim.objects.filter(
        staff__pcn__code__in=pcn_codes, status__in=CLAIMED, month__gte=first, month__lte=last
    ).values_list("staff__pcn__code", "claimed_amount"):
        totals[code] += amount
    return totals
