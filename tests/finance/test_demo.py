"""The demo seed: a register from the PCN's real NWRS roles and a year of claims; idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.data.finance.demo import AFC_MIDPOINT, monthly_pay, posts, seed_demo
from openpcn.data.finance.models import Claim, StaffMember
from openpcn.data.registry.models import IngestedFile
from openpcn.data.workforce.models import NationalFte
from openpcn.finance.errors import FinanceError
from tests.finance.ledger_fixtures import weighted_file

pytestmark = pytest.mark.django_db


def nwrs(rows):
    src = IngestedFile.objects.create(
        name="nwrs.csv", path="t", sha256="n" * 64, kind="nwrs", as_of=date(2026, 6, 30)
    )
    for role, fte in rows:
        NationalFte.objects.create(
            census_date=date(2026, 6, 30), pcn_code="U00001", staff_role=role,
            fte=Decimal(fte), records=1, source=src,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("fte", "expected"),
    [("2.4", ["1", "1", "0.40"]), ("0.03", []), ("1", ["1"]), ("0.5", ["0.50"])],
)
def test_posts_per_fte(fte, expected):
    assert [str(w) for w in posts(Decimal(fte))] == expected


def test_pay_at_band_midpoint_with_on_costs():
    pay = monthly_pay(AFC_MIDPOINT["7"], Decimal(1))
    assert pay.gross == Decimal("4123.21")  # 49,478.50 / 12
    assert pay.employer_ni == Decimal("464.35")  # (49,478.50 - 9,100) x 13.8% / 12
    assert pay.employer_pension == Decimal("592.92")  # 14.38% of gross


def test_seed_demo_builds_register_and_claims_once(users):
    weighted_file()
    nwrs([("Pharmacists", "2.4"), ("Pharmacy Technicians", "1"), ("Receptionists", "5")])
    first = seed_demo("U00001", "2024-25")
    assert first.staff_created == 4  # 1 + 1 + 0.4 pharmacists, 1 technician; no receptionists
    roles = sorted(StaffMember.objects.values_list("role", flat=True))
    assert roles == ["clinical_pharmacist"] * 3 + ["pharmacy_technician"]
    assert first.claims_created == 4 * 12 and not first.not_claimed
    statuses = {c.month: c.status for c in Claim.objects.all()}
    assert statuses[date(2025, 3, 1)] == "draft" and statuses[date(2025, 2, 1)] == "submitted"
    assert statuses[date(2024, 4, 1)] == "approved"
    assert all(c.claimed_amount <= c.cap for c in Claim.objects.all())
    again = seed_demo("U00001", "2024-25")
    assert again.staff_created == 0 and again.claims_created == 0
    assert StaffMember.objects.count() == 4 and Claim.objects.count() == 48


def test_seed_demo_needs_nwrs_data(users):
    with pytest.raises(FinanceError, match="no ARRS roles for U00001"):
        seed_demo("U00001", "2024-25")
    with pytest.raises(FinanceError, match="no PCN"):
        seed_demo("A00001", "2024-25")
