"""The staff register pages: scoped, and bad input refused with a clear error, nothing saved."""

from __future__ import annotations

import pytest

from openpcn.data.finance.models import StaffMember, Vacancy
from tests.finance.ledger_fixtures import staff

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Sam Carter",
    "role": "clinical_pharmacist",
    "afc_band": "7",
    "wte": "0.8",
    "start_date": "2024-04-01",
    "end_date": "",
    "employment_model": "lead_practice",
    "employer_ods": "A00001",
    "base_practice": "A00001",
    "sessions_A00001": "4",
    "sessions_A00002": "3.5",
    "supervisor": "Dr Lee",
    "training_status": "completed",
    "region": "national",
    "monthly_gross": "3,300.00",
    "monthly_employer_ni": "380",
    "monthly_employer_pension": "475",
}


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("pcn_lead", "/network/U00001/finance/staff/", 200),
        ("pcn_lead", "/network/U00002/finance/staff/", 403),
        ("pcn_lead", "/network/U00001/finance/staff/edit/", 200),
        ("icb_commissioner", "/network/U00001/finance/staff/", 200),
        ("icb_commissioner", "/network/U00001/finance/staff/edit/", 403),
        ("clinician", "/network/U00001/finance/staff/", 403),
        ("clinician", "/network/U00001/finance/claims/", 403),
        ("clinician", "/network/U00001/finance/forecast/", 403),
        ("practice_manager", "/network/U00001/finance/split/", 403),
        ("admin", "/network/U00001/finance/staff/edit/?id=999", 404),
    ],
)
def test_register_access(client, users, role, path, status):
    client.force_login(users[role])
    assert client.get(path).status_code == status


def test_names_are_shown_to_the_pcn_and_not_to_another_pcn(client, users):
    staff(name="Robin Quayle")
    client.force_login(users["pcn_lead"])
    assert "Robin Quayle" in client.get("/network/U00001/finance/staff/").content.decode()
    assert client.get("/api/finance/register/U00002").status_code == 403
    client.force_login(users["clinician"])
    assert client.get("/api/finance/register/U00001").status_code == 403


def test_add_staff_saves_sessions_and_audits(client, users):
    client.force_login(users["pcn_lead"])
    response = client.post("/network/U00001/finance/staff/edit/", GOOD)
    assert response.status_code == 302
    member = StaffMember.objects.get()
    assert str(member.wte) == "0.8000" and str(member.monthly_gross) == "3300.00"
    assert {s.practice_code: str(s.sessions) for s in member.sessions.all()} == {
        "A00001": "4.0",
        "A00002": "3.5",
    }
    from openpcn.data.accounts.models import AuditEvent

    assert AuditEvent.objects.filter(action="staff added", object_id=str(member.pk)).exists()
    rows = client.get("/api/finance/register/U00001").json()["staff"]
    assert rows[0]["role"] == "clinical_pharmacist" and rows[0]["sessions"]["A00002"] == "3.5"


BAD = [  # (field, value, words in the error)
    ("wte", "1.5", "WTE must be above 0 and at most 1"),
    ("wte", "-0.2", "WTE must be above 0 and at most 1"),
    ("wte", "0", "WTE must be above 0 and at most 1"),
    ("wte", "lots", "is not a number"),
    ("end_date", "2024-03-31", "is before start"),
    ("monthly_gross", "3300 pounds", "as an amount of money"),
    ("role", "practice_nurse", "is not reimbursable under ARRS"),
    ("sessions_A00002", "-1", "is negative"),
    ("start_date", "01/04/2024", "YYYY-MM-DD"),
]


@pytest.mark.parametrize(("field", "value", "words"), BAD)
def test_bad_staff_input_is_refused_and_nothing_saved(client, users, field, value, words):
    client.force_login(users["pcn_lead"])
    response = client.post("/network/U00001/finance/staff/edit/", {**GOOD, field: value})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert words in html
    assert not StaffMember.objects.exists()


def test_edit_keeps_the_same_member(client, users):
    member = staff()
    client.force_login(users["pcn_lead"])
    form = client.get(f"/network/U00001/finance/staff/edit/?id={member.pk}").content.decode()
    assert "Pat Example" in form
    post = {**GOOD, "id": member.pk, "wte": "0.6"}
    assert client.post("/network/U00001/finance/staff/edit/", post).status_code == 302
    member.refresh_from_db()
    assert str(member.wte) == "0.6000" and StaffMember.objects.count() == 1


def test_vacancy_added_and_bad_vacancy_refused(client, users):
    client.force_login(users["pcn_lead"])
    url = "/network/U00001/finance/staff/"
    bad = client.post(url, {"role": "paramedic", "wte": "2", "planned_start": "2024-11-01"})
    assert bad.status_code == 400 and not Vacancy.objects.exists()
    assert "WTE must be above 0" in bad.content.decode()
    good = client.post(url, {"role": "paramedic", "wte": "1", "planned_start": "2024-11-01"})
    assert good.status_code == 302 and Vacancy.objects.get().role == "paramedic"
    client.force_login(users["icb_commissioner"])
    assert client.post(url, {"role": "paramedic", "wte": "1"}).status_code == 403


def test_non_arrs_staff_on_the_register(client, users):
    from decimal import Decimal

    from openpcn.data.finance.models import NonArrsStaff

    client.force_login(users["pcn_lead"])
    bad = client.post(
        "/network/U00001/finance/staff/",
        {"form": "non_arrs", "job_title": "PCN manager", "wte": "1.4", "start_date": "2025-04-01"},
    )
    assert bad.status_code == 400 and not NonArrsStaff.objects.exists()
    assert "WTE must be above 0 and at most 1, got 1.4" in bad.content.decode()
    ok = client.post(
        "/network/U00001/finance/staff/",
        {
            "form": "non_arrs",
            "job_title": "PCN manager",
            "wte": "0.8",
            "start_date": "2025-04-01",
            "funding": "core PCN funding",
        },
        follow=True,
    )
    assert "PCN manager added" in ok.content.decode()
    assert NonArrsStaff.objects.get().wte == Decimal("0.8")


@pytest.mark.parametrize(
    "path",
    ["/network/U00001/finance/staff/", "/network/U00001/finance/staff/edit/"],
)
def test_no_error_summary_on_a_page_without_errors(client, users, path):
    client.force_login(users["pcn_lead"])
    html = client.get(path).content.decode()
    assert "There is a problem" not in html and "nhsuk-error-message" not in html
    assert "nhsuk-error-summary" not in html
