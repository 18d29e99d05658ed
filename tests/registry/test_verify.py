"""Verification helpers on small populations (each check can fail)."""

from __future__ import annotations

from datetime import date

import pytest

from openpcn.registry import verify
from openpcn.registry.records import PracticePopulation
from openpcn.registry.sizes import Member

D = date(2026, 7, 1)


def pop(org_type, code, sex, age, count):
    kind = "all" if age == "ALL" else "quinary"
    return PracticePopulation(org_type, code, "", "", "", sex, kind, age, count, D)


def practice(code, f04, f59, m04):
    return [
        pop("GP", code, "ALL", "ALL", f04 + f59 + m04),
        pop("GP", code, "FEMALE", "0_4", f04),
        pop("GP", code, "FEMALE", "5_9", f59),
        pop("GP", code, "FEMALE", "ALL", f04 + f59),
        pop("GP", code, "MALE", "0_4", m04),
        pop("GP", code, "MALE", "ALL", m04),
    ]


GOOD = [
    *practice("A1", 1, 2, 3),
    *practice("A2", 10, 20, 30),
    pop("PCN", "P1", "ALL", "ALL", 66),
    pop("PCN", "P1", "FEMALE", "0_4", 11),
    pop("PCN", "P1", "FEMALE", "5_9", 22),
    pop("PCN", "P1", "FEMALE", "ALL", 33),
    pop("PCN", "P1", "MALE", "0_4", 33),
    pop("PCN", "P1", "MALE", "ALL", 33),
    pop("REGION", "Y1", "ALL", "ALL", 66),
]
MEMBERS = [Member("A1", "P1"), Member("A2", "P1")]


def test_good_population_passes_every_check():
    assert verify.check_sex_age_sums(GOOD) == []
    assert verify.check_pcn_rows(GOOD, MEMBERS) == []
    assert verify.check_level_totals(GOOD) == []
    assert verify.check_membership_coverage(MEMBERS, GOOD) == []


def replace(rows, index, count):
    r = rows[index]
    return [*rows[:index], pop(r.org_type, r.org_code, r.sex, r.age, count), *rows[index + 1 :]]


@pytest.mark.parametrize(
    ("index", "count", "check", "subject"),
    [
        (1, 2, "check_sex_age_sums", "GP A1 FEMALE"),  # a band off by one
        (3, 4, "check_sex_age_sums", "GP A1 FEMALE"),  # the sex total off
        (0, 7, "check_sex_age_sums", "GP A1"),  # female + male != all
        (13, 12, "check_pcn_rows", "PCN P1 FEMALE 0_4"),
        (18, 65, "check_level_totals", "REGION rows vs GP rows"),
    ],
)
def test_each_check_catches_its_fault(index, count, check, subject):
    rows = replace(GOOD, index, count)
    fn = getattr(verify, check)
    found = fn(rows, MEMBERS) if check == "check_pcn_rows" else fn(rows)
    assert found and found[0].subject == subject
    assert str(found[0]).startswith(found[0].check)


def test_pcn_without_members_and_coverage():
    members = [Member("A1", "P1"), Member("Z9", "P2")]
    found = verify.check_pcn_rows(GOOD, members)
    assert any(
        d.note == "no PCN rows in file" for d in verify.check_pcn_rows(GOOD, [Member("A1", "P9")])
    )
    assert any("PCN P1" in d.subject for d in found)  # A2 no longer counted in P1
    coverage = {(d.subject, d.note) for d in verify.check_membership_coverage(members, GOOD)}
    assert coverage == {
        ("practice Z9", "in the map, no count"),
        ("practice A2", "counted, not in the map"),
    }
