"""The staff register: validation errors name the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.workforce.register import (
    EmploymentModel,
    NonArrsStaff,
    StaffMember,
    StaffRegister,
    StaffRegisterError,
    TrainingStatus,
    Vacancy,
)

GOOD = dict(
    staff_id="S001",
    role="clinical_pharmacist",
    wte="0.8",
    start_date="2025-04-01",
    employment_model="lead_practice",
    employer_ods="a81001",
    base_practice="A81001",
    afc_band="Band 7",
    sessions={"A81001": 4, "A81002": "3.5"},
    supervisor="S009",
    training_status="in_training",
)


def member(**changes):
    return StaffMember(**{**GOOD, **changes})


def test_good_member_is_normalised():
    m = member()
    assert m.wte == Decimal("0.8")
    assert m.start_date == date(2025, 4, 1)
    assert m.employment_model is EmploymentModel.lead_practice
    assert m.training_status is TrainingStatus.in_training
    assert m.employer_ods == "A81001"
    assert m.afc_band == "7"
    assert m.sessions == {"A81001": Decimal(4), "A81002": Decimal("3.5")}
    assert member(wte=1).wte == 1
    assert member(wte=0.1).wte == Decimal("0.1")
    assert member(afc_band="8A").afc_band == "8a"
    assert member(afc_band=None, role="gp").afc_band is None


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"wte": 0}, "wte", "above 0 and at most 1"),
        ({"wte": "1.01"}, "wte", "above 0 and at most 1"),
        ({"wte": -0.5}, "wte", "above 0 and at most 1"),
        ({"wte": "0,8"}, "wte", "not a number"),
        ({"wte": True}, "wte", "not a number"),
        ({"end_date": "2025-03-31"}, "end_date", "before start"),
        ({"start_date": "01/04/2025"}, "start_date", "not a date"),
        ({"start_date": None}, "start_date", "blank"),
        ({"role": "astronaut"}, "role", "not an ARRS role"),
        ({"role": "non_arrs"}, "role", "NonArrsStaff"),
        ({"employment_model": "locum"}, "employment_model", "lead_practice, federation"),
        ({"employer_ods": ""}, "employer_ods", "blank"),
        ({"base_practice": "A 81"}, "base_practice", "not an ODS code"),
        ({"afc_band": "10"}, "afc_band", "Agenda for Change"),
        ({"sessions": {"A81001": -1}}, "sessions[A81001]", "negative"),
        ({"sessions": {"A81001": "two"}}, "sessions[A81001]", "not a number"),
        ({"sessions": {"a81001": 1, "A81001": 2}}, "sessions", "twice"),
        ({"training_status": "maybe"}, "training_status", "not_started"),
        ({"staff_id": " "}, "staff_id", "blank"),
    ],
)
def test_member_errors_name_the_field(changes, field, words):
    with pytest.raises(StaffRegisterError) as info:
        member(**changes)
    assert info.value.field == field
    assert words in str(info.value)
    assert f"field {field}:" in str(info.value)


def test_end_date_equal_to_start_is_fine_and_in_post():
    m = member(start_date=date(2025, 4, 1), end_date=date(2025, 4, 1))
    assert m.in_post(date(2025, 4, 1))
    assert not m.in_post(date(2025, 4, 2))
    assert not m.in_post(date(2025, 3, 31))


def test_vacancy_and_non_arrs():
    v = Vacancy("V1", "paramedic", "1.0", "2026-09-01", sessions={"A81001": 9})
    assert v.planned_start == date(2026, 9, 1)
    with pytest.raises(StaffRegisterError, match="vacancy V2, field planned_start: is blank"):
        Vacancy("V2", "paramedic", 1, None)
    with pytest.raises(StaffRegisterError, match="vacancy V3, field wte"):
        Vacancy("V3", "paramedic", 2, "2026-09-01")
    n = NonArrsStaff("N1", "PCN manager", "0.6", "2024-01-01", funding="core_pcn_funding")
    assert n.wte == Decimal("0.6")
    with pytest.raises(StaffRegisterError, match="staff N2, field job_title"):
        NonArrsStaff("N2", "", 1, "2024-01-01")
    with pytest.raises(StaffRegisterError, match="staff N3, field end_date"):
        NonArrsStaff("N3", "Manager", 1, "2024-01-01", end_date="2023-01-01")


def test_register_ids_unique_and_in_post():
    a = member()
    b = member(staff_id="S002", end_date="2025-12-31")
    reg = StaffRegister.of(
        [
            a,
            b,
            Vacancy("V1", "paramedic", 1, "2026-09-01"),
            NonArrsStaff("N1", "Manager", 1, "2024-01-01"),
        ]
    )
    assert len(reg.staff) == 2 and len(reg.vacancies) == 1 and len(reg.non_arrs) == 1
    assert reg.in_post(date(2026, 1, 1)) == [a]
    with pytest.raises(StaffRegisterError, match="staff S001, field staff_id: id is used twice"):
        StaffRegister(staff=(a, a))
