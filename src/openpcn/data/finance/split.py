"""A PCN's income split from the database: the list methods read the year's population file
as imported (NHS England's practice figures); the others need only the practices and weights."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from openpcn.data.finance import entitlements
from openpcn.finance.errors import FinanceError
from openpcn.finance.split import LIST_METHODS, Share, practice_lists, split_by


def pcn_shares(
    pcn_code: str,
    method: str,
    year: str,
    total: Decimal,
    practices: list[str],
    weights: Mapping[str, Decimal] | None = None,
    on: date | None = None,
) -> tuple[list[Share], tuple]:
    """(shares, the data they came from). A list method with no population file for ``year``
    holding the PCN is a FinanceError naming the methods that need none."""
    if method not in LIST_METHODS:
        return split_by(method, total, practices=practices, weights=weights), ()
    pops = entitlements.populations(year, on or date.today()) if year else None
    if pops is None or pcn_code not in pops.pcns:
        raise FinanceError(
            f"no {year or ''} population file holds {pcn_code}: "
            "choose equal shares, percentages or points"
        )
    lists = practice_lists(pops, pcn_code, method)
    return split_by(method, total, lists=lists), (pops.data_ref(method),)
