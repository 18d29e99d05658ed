"""The pure team rules: a member's employer among the neighbourhood's organisations, a meeting
with date, agenda and attendees who are members, an action with an owner and one patient or
one topic; every problem in words."""

from __future__ import annotations

from datetime import date

from openpcn.neighbourhoods.teams import (
    ACTION_STATUSES,
    CASELOAD_SOURCES,
    action_problems,
    meeting_problems,
    member_problems,
)

ALLOWED = {"RX1": "Coast Community Trust", "A00001": "Alpha Surgery"}
GOOD = {
    "text": "Home visit",
    "owner": 1,
    "members": {1, 2},
    "topic": "",
    "patient": 7,
    "caseload": {7},
    "due": date(2026, 5, 1),
    "status": "open",
}


def test_member():
    assert member_problems("Nia", "district nurse", "rx1", ALLOWED) == []
    assert member_problems("", "", "", ALLOWED) == [
        "the member needs a name",
        "say what the member does in the team (their role)",
        "choose the member's employer",
    ]
    (problem,) = member_problems("Far", "nurse", "RZZ", ALLOWED)
    assert problem.startswith("RZZ is not a partner of this neighbourhood, nor one of its PCNs")


def test_meeting():
    assert meeting_problems(date(2026, 4, 1), "Frailty", [1], {1, 2}) == []
    assert meeting_problems(None, " ", [], {1}) == [
        "enter the meeting's date, like 2026-04-01",
        "write the meeting's agenda",
        "tick at least one member who attended",
    ]
    assert meeting_problems(date(2026, 4, 1), "x", [1, 9], {1}) == [
        "attendees [9] are not members of this team"
    ]


def test_action():
    assert action_problems(**GOOD) == []
    assert action_problems(**{**GOOD, "patient": None, "topic": "falls"}) == []
    assert action_problems(**{**GOOD, "owner": None}) == ["choose the member who owns the action"]
    assert action_problems(**{**GOOD, "owner": 5}) == [
        "the action's owner is not a member of this team"
    ]
    assert action_problems(**{**GOOD, "topic": "falls"}) == [
        "an action is about one patient or one topic, not both"
    ]
    assert action_problems(**{**GOOD, "patient": None}) == [
        "say which patient on the caseload or which topic the action is about"
    ]
    assert action_problems(**{**GOOD, "patient": 8}) == [
        "that patient is not on the team's caseload"
    ]
    assert action_problems(**{**GOOD, "text": "", "due": None, "status": "maybe"}) == [
        "say what the action is",
        "enter the date the action is due, like 2026-04-15",
        f"the status must be one of: {', '.join(ACTION_STATUSES)}",
    ]


def test_caseload_sources_are_the_four_proactive_care_groups():
    assert set(CASELOAD_SOURCES) == {
        "severe_frailty",
        "care_home",
        "housebound",
        "multimorbid_high",
    }
    assert (
        CASELOAD_SOURCES["severe_frailty"].definition,
        CASELOAD_SOURCES["severe_frailty"].column,
    ) == ("efi", "severe")
