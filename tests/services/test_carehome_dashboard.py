"""Per-home and per-PCN overdue summary."""

from __future__ import annotations

from datetime import date

import pytest

from openpcn.services.alignment import AlignmentBook
from openpcn.services.carehome_dashboard import overview
from openpcn.services.carehome_money import overdue_rounds
from openpcn.services.cqc import CareHome
from openpcn.services.workingdays import Admission, care_plan_checks


def home(loc, beds):
    return CareHome(loc, f"Home {loc}", beds, "LS6 2AB", "", "", None, None, False, True, ())


def test_overview_orders_most_urgent_first():
    homes = [home("1-1000001", 20), home("1-1000002", 40), home("1-1000003", 10)]
    book = AlignmentBook()
    book.align("1-1000001", "U1", "P1")
    book.align("1-1000002", "U1", "P1")
    # 1-1000003 is not aligned
    today = date(2025, 3, 20)
    admissions = [
        Admission("r1", "1-1000002", date(2025, 3, 3)),  # no plan: overdue
        Admission("r2", "1-1000002", date(2025, 3, 19)),  # no plan: due
        Admission("r3", "1-1000001", date(2025, 3, 3)),  # planned on time
    ]
    checks = care_plan_checks(admissions, [("r3", date(2025, 3, 5))], today)
    rounds = overdue_rounds(
        ["1-1000001", "1-1000002"], {}, {("1-1000002", (2025, 10)): 1}, (2025, 10), (2025, 12)
    )
    homes_out, pcns = overview(homes, book, checks, rounds)
    assert [h.location_id for h in homes_out] == ["1-1000002", "1-1000001", "1-1000003"]
    h2 = homes_out[0]
    assert h2.care_plans == {"overdue": 1, "due": 1, "late": 0, "on_time": 0}
    assert h2.overdue_round_weeks == [(2025, 11)]
    assert homes_out[1].overdue_round_weeks == [(2025, 10), (2025, 11)]
    assert homes_out[2].pcn_code == "" and homes_out[2].needs_action
    (u1,) = pcns
    assert (u1.homes, u1.beds, u1.care_plans_overdue, u1.overdue_round_weeks) == (2, 60, 1, 3)
    assert u1.homes_needing_action == 2


def test_unknown_home_is_an_error():
    checks = care_plan_checks([Admission("r", "1-9999999", date(2025, 3, 3))], [], date(2025, 3, 4))
    with pytest.raises(ValueError, match="1-9999999 is not in the list of homes"):
        overview([], AlignmentBook(), checks, [])
