"""Spec tests for the 7-working-day care plan rule (English bank holidays, weekends)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openpcn.services.errors import FutureAdmissionError, ServicesError
from openpcn.services.workingdays import (
    Admission,
    add_working_days,
    care_plan_checks,
    care_plan_due,
    care_plan_status,
    is_working_day,
    working_days_between,
)

D = date.fromisoformat

# admission day -> last on-time day for the plan (7 working days after)
DUE = [
    ("2024-12-02", "2024-12-11", "plain Monday: Tue..Fri + Mon..Wed"),
    ("2024-12-20", "2025-01-03", "Christmas 2024: skips 25, 26 Dec and 1 Jan"),
    ("2024-12-24", "2025-01-07", "Christmas Eve: 27, 30, 31 Dec, 2, 3, 6, 7 Jan"),
    ("2025-12-19", "2026-01-02", "Christmas 2025: skips 25, 26 Dec, 1 Jan"),
    ("2026-12-18", "2026-12-31", "Christmas 2026: Boxing Day observed on Mon 28 Dec"),
    ("2024-03-27", "2024-04-09", "Easter 2024: Good Friday 29 Mar, Easter Monday 1 Apr"),
    ("2025-04-17", "2025-04-30", "Easter 2025: 18 and 21 Apr"),
    ("2026-04-02", "2026-04-15", "Easter 2026: 3 and 6 Apr"),
    ("2024-05-03", "2024-05-15", "Early May 2024: Mon 6 May"),
    ("2025-05-23", "2025-06-04", "Spring 2025: Mon 26 May"),
    ("2026-05-01", "2026-05-13", "Early May 2026: Mon 4 May"),
    ("2025-03-08", "2025-03-18", "Saturday admission counts from Monday"),
    ("2025-03-09", "2025-03-18", "Sunday admission counts from Monday"),
]


@pytest.mark.parametrize(("admitted", "due", "why"), DUE)
def test_care_plan_due(admitted, due, why):
    assert care_plan_due(D(admitted)) == D(due), why


def test_christmas_eve_row_counts_out():
    # 24 Dec 2024 (Tue): 27 Dec(1) 30(2) 31(3) 2 Jan(4) 3(5) 6(6) 7(7)
    assert care_plan_due(D("2024-12-24")) == D("2025-01-07")


# admission, plan date (or None), today, status
STATUS = [
    ("2024-12-20", "2025-01-03", "2025-01-10", "on_time"),  # on the due day
    ("2024-12-20", "2025-01-06", "2025-01-10", "late"),  # one working day after
    ("2024-12-20", None, "2025-01-03", "due"),  # last day, no plan yet
    ("2024-12-20", None, "2025-01-04", "overdue"),  # the Saturday after
    ("2024-12-20", "2024-12-20", "2024-12-20", "on_time"),  # same day
]


@pytest.mark.parametrize(("admitted", "plan", "today", "status"), STATUS)
def test_care_plan_status(admitted, plan, today, status):
    assert care_plan_status(D(admitted), D(plan) if plan else None, D(today)) == status


def test_future_admission_is_a_clear_error():
    with pytest.raises(FutureAdmissionError, match="2025-02-01 is in the future"):
        care_plan_status(Admission("r1", "1-1", D("2025-02-01")), None, D("2025-01-31"))


def test_plan_before_admission_is_an_error():
    with pytest.raises(ServicesError, match="readmission needs a new plan"):
        care_plan_status(D("2025-02-03"), D("2025-01-31"), D("2025-02-10"))


def test_readmission_restarts_the_clock():
    stays = [
        Admission("r1", "1-100", D("2025-01-06")),
        Admission("r1", "1-100", D("2025-03-03"), readmission=True),
    ]
    checks = care_plan_checks(stays, [("r1", D("2025-01-08"))], today=D("2025-03-20"))
    by_day = {c.admission.admitted: c for c in checks}
    assert by_day[D("2025-01-06")].status == "on_time"
    # the January plan does not count for the March readmission
    assert by_day[D("2025-03-03")].plan_date is None
    assert by_day[D("2025-03-03")].status == "overdue"
    assert by_day[D("2025-03-03")].due == D("2025-03-12")
    assert checks[0].status == "overdue"  # overdue listed first


def test_readmission_plan_on_readmission_day_belongs_to_it():
    stays = [Admission("r", "h", D("2025-01-06")), Admission("r", "h", D("2025-01-20"), True)]
    checks = care_plan_checks(stays, [("r", D("2025-01-20"))], today=D("2025-02-20"))
    status = {c.admission.admitted: c.status for c in checks}
    assert status == {D("2025-01-06"): "overdue", D("2025-01-20"): "on_time"}


def _slow_due(day: date, n: int) -> date:
    """Obviously correct: walk the calendar, listing working days explicitly."""
    import holidays

    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(day.year, day.year + 2))
    found = []
    current = day
    while len(found) < n:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in bank:
            found.append(current)
    return found[-1] if found else day


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@given(days, st.integers(min_value=0, max_value=30))
def test_add_matches_slow_reference(day, n):
    assert add_working_days(day, n) == _slow_due(day, n)


@given(days, st.integers(min_value=0, max_value=30))
def test_between_inverts_add(day, n):
    end = add_working_days(day, n)
    assert working_days_between(day, end) == n
    assert working_days_between(end, day) == -n
    assert n == 0 or is_working_day(end)
