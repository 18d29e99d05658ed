"""What PCNs have claimed, one at a time and for an ICB's table in one query: the same sums
(submitted and approved claims of every role; drafts, rejected claims and other months not)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.data.finance.claimed import claimed_total, claimed_totals
from openpcn.data.finance.models import Claim
from tests.finance.ledger_fixtures import staff

pytestmark = pytest.mark.django_db
FIRST, LAST = date(2024, 4, 1), date(2025, 3, 1)


def _claim(member, month, amount, status):
    money = Decimal(amount)
    return Claim.objects.create(
        staff=member, month=month, gross_pay=money, employer_ni=Decimal("0.00"),
        employer_pension=Decimal("0.00"), claimed_amount=money, cap=money, status=status,
    )  # fmt: skip


def test_an_icbs_totals_in_one_query_are_each_pcns_claimed_total(orgs, django_assert_num_queries):
    pharmacist, gp = staff(), staff(role="gp", name="Sam GP")
    other = staff(pcn="U00002", name="Lee Other")
    _claim(pharmacist, date(2024, 10, 1), "1000.10", "submitted")
    _claim(pharmacist, date(2024, 11, 1), "2000.20", "approved")
    _claim(pharmacist, date(2024, 12, 1), "999.99", "draft")
    _claim(pharmacist, date(2025, 4, 1), "500.00", "approved")  # the next year
    _claim(gp, date(2024, 10, 1), "300.03", "approved")
    _claim(other, date(2024, 10, 1), "123.45", "rejected")
    with django_assert_num_queries(1):
        totals = claimed_totals(["U00001", "U00002"], FIRST, LAST)
    assert totals == {"U00001": Decimal("3300.33"), "U00002": Decimal("0.00")}
    assert totals == {c: claimed_total(c, FIRST, LAST) for c in ("U00001", "U00002")}
