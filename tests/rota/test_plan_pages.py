"""Rotas in the product: plan from the register, solve, view, edit with checking, publish,
export, and staff see their own sessions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.registry.loaders import import_file
from openpcn.data.rota.models import RotaPlan, StaffAccount
from tests.rota.register_data import staff_register

pytestmark = pytest.mark.django_db
REGISTRY = Path(__file__).parent.parent / "registry" / "fixtures"
MONDAY = date(2026, 7, 6)


@pytest.fixture
def register(users):
    from openpcn.data.registry.models import Organisation

    for name in ("map-2026-07.csv", "all-2026-07.csv"):
        import_file(REGISTRY / name)
    pcn = Organisation.objects.get(code="U00001")
    staff = staff_register(pcn)
    StaffAccount.objects.create(user=users["clinician"], staff=staff[2])
    return staff


def test_plan_solve_view_edit_publish(client, users, register):
    client.force_login(users["pcn_lead"])
    response = client.post(
        "/network/U00001/rota/",
        {"start": MONDAY.isoformat(), "weeks": "1", "time_limit": "10", "enhanced_access": "on"},
    )
    plan = RotaPlan.objects.get()
    assert response["Location"] == f"/network/U00001/rota/{plan.pk}/"
    assert plan.status == "solved", plan.message
    html = client.get(response["Location"]).content.decode()
    assert "Week of 2026-07-06" in html and "Person 0" in html
    assert "(room 1)" in html  # the room of each session
    assert 'data-testid="ea"' in html  # Enhanced Access minutes against the requirement
    # a change that breaks a rule is refused with the rule in words
    first = plan.solution["assignments"][0]
    bad = client.post(
        response["Location"],
        {
            "change": "add",
            "staff": first["staff"],
            "date": first["date"],
            "session": first["session"],
            "site": first["site"],
            "version": plan.version,
        },
    )
    assert bad.status_code == 400 and 'data-testid="violation"' in bad.content.decode()
    # a stale version is refused, nothing overwritten
    stale = client.post(
        response["Location"],
        {
            "change": "remove",
            "staff": first["staff"],
            "date": first["date"],
            "session": first["session"],
            "site": first["site"],
            "version": 99,
        },
    )
    assert "Someone else changed this rota" in stale.content.decode()
    client.post(f"/network/U00001/rota/{plan.pk}/publish/")
    plan.refresh_from_db()
    assert plan.status == "published"
    assert AuditEvent.objects.filter(action="rota published", object_id=str(plan.pk)).exists()
    csv_text = client.get(f"/network/U00001/rota/{plan.pk}/export.csv").content.decode()
    assert csv_text.startswith("date,session,site,room,staff,role,care_home")
    rows = [line.split(",") for line in csv_text.splitlines()[1:]]
    assert all(r[3] in ("1", "2", "3") or r[6] for r in rows)  # a room, or a care home round
    ics = client.get(f"/network/U00001/rota/{plan.pk}/export.ics").content.decode()
    assert ics.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in ics
    assert "room 1\r\n" in ics and ics.count("LOCATION:") == ics.count("BEGIN:VEVENT")
    # the clinician linked to Person 2 sees their own published sessions
    client.force_login(users["clinician"])
    mine = client.get("/caseload/").content.decode()
    assert 'data-testid="my-rota"' in mine
    assert client.get("/my-rota.ics").content.decode().count("BEGIN:VEVENT") >= 1


def test_bad_plan_input(client, users, register):
    client.force_login(users["pcn_lead"])
    response = client.post(
        "/network/U00001/rota/", {"start": "2026-07-07", "weeks": "20", "time_limit": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "A rota starts on a Monday" in html and "between 1 and 8 weeks" in html
    assert not RotaPlan.objects.exists()


def test_empty_register_explains(client, users):
    for name in ("map-2026-07.csv", "all-2026-07.csv"):
        import_file(REGISTRY / name)
    client.force_login(users["pcn_lead"])
    client.post(
        "/network/U00001/rota/", {"start": MONDAY.isoformat(), "weeks": "1", "time_limit": "5"}
    )
    plan = RotaPlan.objects.get()
    assert plan.status == "failed" and "staff register is empty" in plan.message


def test_clinicians_cannot_plan(client, users, register):
    client.force_login(users["clinician"])
    assert (
        client.post(
            "/network/U00001/rota/", {"start": MONDAY.isoformat(), "weeks": "1", "time_limit": "5"}
        ).status_code
        == 403
    )


def test_enhanced_access_page(client, users, register):
    import_file(REGISTRY / "des-2025-26.csv")
    client.force_login(users["pcn_lead"])
    page = client.get("/network/U00001/enhanced-access/").content.decode()
    # adjusted 20,500 + 14,100 = 34,600 -> 34.6 x 60 = 2,076 minutes a week
    assert "2,076.00" in page and "No rota has been built yet" in page
    client.post(
        "/network/U00001/rota/",
        {"start": MONDAY.isoformat(), "weeks": "1", "time_limit": "10", "enhanced_access": "on"},
    )
    page = client.get("/network/U00001/enhanced-access/").content.decode()
    assert 'data-testid="ea-weeks"' in page


def test_enhanced_access_delivered_sessions(client, users, register):
    from datetime import timedelta

    import_file(REGISTRY / "des-2025-26.csv")
    client.force_login(users["pcn_lead"])
    last_week = date.today() - timedelta(days=date.today().weekday() + 7)
    ok = client.post(
        "/network/U00001/enhanced-access/",
        {"day": last_week.isoformat(), "start": "18:30", "end": "20:00"},
    )
    assert ok.status_code == 302
    page = client.get("/network/U00001/enhanced-access/").content.decode()
    assert ">90<" in page.split('data-testid="ea-delivered"')[1]
    bad = client.post(
        "/network/U00001/enhanced-access/",
        {"day": last_week.isoformat(), "start": "20:00", "end": "18:30"},
    )
    assert bad.status_code == 400 and "must end after it starts" in bad.content.decode()
    client.force_login(users["clinician"])
    assert client.post("/network/U00001/enhanced-access/", {}).status_code == 403


def test_enhanced_access_api(client, users, register):
    import_file(REGISTRY / "des-2025-26.csv")
    client.force_login(users["pcn_lead"])
    body = client.get("/api/services/enhanced-access/U00001").json()
    assert body["requirement"]["value"] == "2076.00" and body["planned"] == []


def test_no_session_on_christmas_day(client, users, register):
    client.force_login(users["pcn_lead"])
    client.post("/network/U00001/rota/", {"start": "2026-12-21", "weeks": "1", "time_limit": "10"})
    plan = RotaPlan.objects.get()
    assert plan.status == "solved", plan.message
    booked = {a["date"] for a in plan.solution["assignments"]}
    assert booked and not booked & {"2026-12-25", "2026-12-26"}
    assert plan.instance["closed"] == ["2026-12-25", "2026-12-26"]  # Boxing Day: a Saturday


def test_clinician_sees_published_sessions_across_plans(client, users, register):
    from openpcn.data.rota.planning import publish

    client.force_login(users["pcn_lead"])
    for start, weeks in (("2026-07-06", "2"), ("2026-07-13", "1")):
        client.post("/network/U00001/rota/", {"start": start, "weeks": weeks, "time_limit": "5"})
        plan = RotaPlan.objects.get(start=date.fromisoformat(start))
        assert plan.status == "solved", plan.message
        publish(plan)
    older, newer = RotaPlan.objects.order_by("published_at")
    me = str(register[2].pk)
    expected = [
        (a["date"], a["session"])
        for a in older.solution["assignments"]
        if a["staff"] == me and a["date"] < "2026-07-13"
    ] + sorted((a["date"], a["session"]) for a in newer.solution["assignments"] if a["staff"] == me)
    days = {d for d, _ in expected}
    assert min(days) < "2026-07-13" <= max(days)
    client.force_login(users["clinician"])
    mine = client.get("/caseload/").content.decode().split('data-testid="my-rota"')[1]
    assert mine.count("<tr><td>") == len(expected)
    ics = client.get("/my-rota.ics").content.decode()
    starts = sorted(
        line.split(":")[1][:8] for line in ics.splitlines() if line.startswith("DTSTART")
    )
    assert starts == sorted(d.replace("-", "") for d, _ in expected)


def test_hand_edit_messages_are_in_words(client, users, register):
    client.force_login(users["pcn_lead"])
    client.post("/network/U00001/rota/", {"start": "2026-12-21", "weeks": "1", "time_limit": "5"})
    plan = RotaPlan.objects.get()
    me = next(a for a in plan.solution["assignments"] if a["staff"] == str(register[0].pk))

    def add(day, session):
        html = client.post(
            f"/network/U00001/rota/{plan.pk}/",
            {
                "change": "add",
                "staff": me["staff"],
                "date": day,
                "session": session,
                "site": me["site"],
                "version": plan.version,
            },
        ).content.decode()
        assert "Slot(" not in html and "datetime" not in html
        return [w.split("</li>")[0] for w in html.split('data-testid="violation">')[1:]]

    christmas = add("2026-12-25", "morning")
    assert "Person 0 is booked on Christmas Day, Friday 25 December 2026" in christmas[0]
    twice = add(me["date"], me["session"])
    day = date.fromisoformat(me["date"])
    assert f"Person 0 has 2 sessions at once on {day:%A} {day.day} December 2026" in twice[0]
    assert not any("S-A0000" in w for w in christmas + twice)


def test_recorded_leave_blocks_sessions(client, users, register):
    """Leave entered in the staff register: the rota books nobody on those days."""
    from openpcn.data.finance.models import StaffLeave

    client.force_login(users["pcn_lead"])
    person = register[0]
    page = client.post(
        "/network/U00001/finance/staff/",
        {"form": "leave", "staff": str(person.pk), "kind": "annual",
         "start": "2026-07-07", "end": "2026-07-09"},
    )  # fmt: skip
    assert page.status_code == 302
    assert StaffLeave.objects.get().entered_by == "user-pcn_lead"
    client.post("/network/U00001/rota/", {"start": MONDAY.isoformat(), "weeks": "1",
                                          "time_limit": "10"})  # fmt: skip
    plan = RotaPlan.objects.get()
    assert plan.status == "solved", plan.message
    mine = {a["date"] for a in plan.solution["assignments"] if a["staff"] == str(person.pk)}
    assert mine and not mine & {"2026-07-07", "2026-07-08", "2026-07-09"}


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-07-09", "2026-07-07", "is before the start"),
        ("2024-12-30", "2025-01-02", "is before the post starts"),
        ("2026-07-08", "2026-07-20", "already recorded for these days"),
        ("2026-07-40", "2026-07-41", "as YYYY-MM-DD"),
    ],
)
def test_bad_leave_is_refused_and_nothing_saved(client, users, register, start, end, message):
    from openpcn.data.finance.models import StaffLeave

    client.force_login(users["pcn_lead"])
    person = register[0]
    StaffLeave.objects.create(staff=person, start=date(2026, 7, 6), end=date(2026, 7, 10))
    page = client.post(
        "/network/U00001/finance/staff/",
        {"form": "leave", "staff": str(person.pk), "kind": "annual", "start": start, "end": end},
    )
    assert page.status_code == 400
    assert message in page.content.decode()
    assert StaffLeave.objects.count() == 1
