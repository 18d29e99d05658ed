"""Every ARRS role in every rule year has, on each day from its available_from to 31 March,
exactly one of a national maximum or a sourced 'none published' row; and the maxima helper."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openpcn.rules import RuleNotFound, load_all, load_year
from openpcn.rules.maxima import NonePublished, gaps, maximum

YEARS = load_all()
CASES = [(y, r.id) for y, rules in YEARS.items() for r in rules.roles]


@pytest.mark.parametrize(("year", "role"), CASES, ids=[f"{y}-{r}" for y, r in CASES])
def test_every_role_is_covered_all_year_without_overlap(year, role):
    rules = YEARS[year]
    rows = sorted(
        (
            r
            for r in rules.rules
            if r.key in (f"arrs_max_reimbursement.{role}", f"arrs_max_none_published.{role}")
        ),
        key=lambda r: r.applies_from,
    )
    day = rules.role(role).available_from
    for row in rows:
        assert row.applies_from == day, f"{row.key}: starts {row.applies_from}, expected {day}"
        day = row.applies_to + timedelta(days=1)
    assert day == rules.year.end + timedelta(days=1), f"uncovered from {day}"


def test_none_published_rows_say_what_caps_the_claim_and_where_it_was_looked_for():
    count = 0
    for rules in YEARS.values():
        for row in rules.rows("arrs_max_none_published."):
            count += 1
            assert row.value == 0 and row.unit == "none" and not row.verified
            assert "capped by actual salary plus employer on-costs" in row.note, row.key
            assert "within the PCN's ARRS sum" in row.note
            assert "UPD" in row.source_tags and "Looked for" in row.note
    assert count > 0


def test_maximum_returns_the_figure_or_none_published():
    rules = load_year("2024-25")
    found = maximum(rules, "clinical_pharmacist", date(2024, 10, 1), "london_inner")
    assert found.value == 76313
    # no London FCP figure: the national one
    assert (
        maximum(rules, "first_contact_physiotherapist", date(2024, 10, 1), "london_outer").key
        == "arrs_max_reimbursement.first_contact_physiotherapist"
    )
    gap = maximum(rules, "care_coordinator", date(2024, 10, 1))
    assert isinstance(gap, NonePublished) and gap.row.applies_from == date(2024, 10, 1)
    assert "capped by actual salary" in gap.explanation()
    assert maximum(rules, "care_coordinator", date(2024, 9, 30)).value == 33396
    with pytest.raises(RuleNotFound, match="only from 2024-10-01"):
        maximum(rules, "gp", date(2024, 9, 1))


def test_gaps_list_role_period_and_why():
    rules = load_year("2024-25")
    found = {(g.role, g.applies_from) for g in gaps(rules)}
    assert ("care_coordinator", date(2024, 10, 1)) in found
    assert ("trainee_nursing_associate", date(2024, 4, 1)) in found
    assert ("clinical_pharmacist", date(2024, 4, 1)) not in found
    october = gaps(rules, on=date(2024, 11, 1), unverified=True)
    kinds = {g.role: g.kind for g in october}
    assert kinds["care_coordinator"] == "unpublished"
    assert kinds["social_prescribing_link_worker"] == "unverified"  # band 5 = PT (D)
    assert "clinical_pharmacist" not in kinds  # 65,838 is verified
    assert all(g.why for g in october)


def test_2026_27_maxima_repeat_the_completed_2025_26_set():
    now, then = YEARS["2026-27"], YEARS["2025-26"]
    keys = lambda rs: {r.key for r in rs.rules if r.key.startswith("arrs_max_")}  # noqa: E731
    assert keys(now) == keys(then)
    for row in now.rows("arrs_max_reimbursement."):
        assert row.carried_from == "2025-26" and not row.verified
        assert "assumed unchanged from 2025/26" in row.note
        assert row.value == then.rows(row.key)[0].value
    gp = now.value("arrs_max_reimbursement.gp", date(2026, 4, 1))
    assert "top of the salaried GP pay range plus on-costs" in gp.note
