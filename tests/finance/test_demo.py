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


NWRS_EVERY_ROLE = [
    ("Pharmacists", "1"), ("Care Coordinators", "1.5"), ("Social Prescribing Link Workers", "1"),
    ("Physiotherapists", "1"), ("Dieticians", "0.6"), ("Digital and Transformation Leads", "1"),
    ("Paramedics", "1"), ("Nursing Associates", "1"), ("Health and Wellbeing Coaches", "1"),
    ("General Practice Assistants", "1"), ("Enhanced Practice Nurses", "1"),
    ("Other Direct Patient Care", "1"), ("Physician Associates", "1"),
]  # fmt: skip


def test_seed_demo_claims_every_role_it_has_staff_in_none_refused_for_a_missing_figure(users):
    # 2024-25: care co-ordinators, dietitians, paramedics, enhanced practice nurses ... have no
    # published maximum from 1 Oct 2024, other direct patient care roles none all year: they are
    # claimed at their actual pay + on-costs, not refused
    weighted_file()
    nwrs(NWRS_EVERY_ROLE)
    summary = seed_demo("U00001", "2024-25")
    assert not summary.not_claimed, summary.not_claimed
    members = StaffMember.objects.all()
    assert summary.claims_created == 12 * members.count() == Claim.objects.count()
    assert {"care_coordinator", "dietitian", "other_direct_patient_care"} <= set(summary.no_maximum)
    october = Claim.objects.filter(staff__role="care_coordinator", month=date(2024, 10, 1))
    assert all("no maximum published" in c.working for c in october)
    assert all(c.claimed_amount <= c.cap for c in Claim.objects.all())


def test_seed_demo_defaults_to_the_current_year_up_to_this_month(users):
    weighted_file()
    nwrs(NWRS_EVERY_ROLE + [("Other Nurses", "1")])
    summary = seed_demo("U00001", today=date(2026, 12, 3))
    assert summary.year == "2026-27" and not summary.not_claimed, summary.not_claimed
    months = sorted({c.month for c in Claim.objects.all()})
    assert months[0] == date(2026, 4, 1) and months[-1] == date(2026, 12, 1)  # none to come
    assert summary.claims_created == 9 * StaffMember.objects.count()
    statuses = {c.month: c.status for c in Claim.objects.all()}
    assert statuses[date(2026, 12, 1)] == "draft" and statuses[date(2026, 11, 1)] == "submitted"
    # an NWRS practice nurse is claimed as an experienced GPN from 2025/26
    assert StaffMember.objects.filter(role="gpn_experienced").exists()
