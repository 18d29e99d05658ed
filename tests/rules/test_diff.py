"""diff(year_a, year_b): keys and roles added, removed and changed."""

from __future__ import annotations

from decimal import Decimal

from openpcn.rules.diff import diff
from openpcn.rules.loader import load_all, load_year


def test_2023_24_to_2024_25():
    d = diff(load_year("2023-24"), load_year("2024-25"))
    added = {c.key for c in d.added}
    removed = {c.key for c in d.removed}
    changed = {c.key: c for c in d.changed}
    assert {"arrs_gp_rate_per_weighted_patient", "core_pcn_funding_per_adjusted_patient"} <= added
    assert {
        "clinical_director_per_registered_patient",
        "leadership_management_per_adjusted_patient",
        "arrs_role_cap.advanced_practitioner.population_100k_plus",
    } <= removed
    rate = changed["arrs_rate_per_weighted_patient"]
    assert [r.value for r in rate.before] == [Decimal("22.671")]
    assert [r.value for r in rate.after] == [Decimal("22.894")]
    # Uplift moved from 1 Jul to 1 Oct: the series changed.
    assert "arrs_max_reimbursement.clinical_pharmacist" in changed
    # Unchanged keys are not reported.
    assert "enhanced_access_minutes_per_1000_per_week" not in changed | {c.key: c for c in d.added}
    assert {r.id for r in d.roles_added} == {
        "enhanced_practice_nurse",
        "gp",
        "other_direct_patient_care",
    }
    assert d.roles_removed == ()


def test_same_year_is_empty():
    rules = load_year("2022-23")
    d = diff(rules, rules)
    assert d.records() == []


def test_reverse_swaps_added_and_removed():
    a, b = load_year("2024-25"), load_year("2025-26")
    forward, back = diff(a, b), diff(b, a)
    assert {c.key for c in forward.added} == {c.key for c in back.removed}
    assert {c.key for c in forward.changed} == {c.key for c in back.changed}
    assert {r.id for r in forward.roles_added} == {r.id for r in back.roles_removed}
    assert {rc.id for rc in forward.roles_changed} == {"gp"}  # from 1 Oct to 1 Apr


def test_records_are_flat_and_cover_every_change():
    years = list(load_all().values())
    for a, b in zip(years, years[1:], strict=False):
        d = diff(a, b)
        records = d.records()
        n = len(d.added) + len(d.removed) + len(d.changed)
        n += len(d.roles_added) + len(d.roles_removed) + len(d.roles_changed)
        assert len(records) == n
        assert all(set(r) == {"change", "key", "before", "after"} for r in records)


def test_docs_list_every_key_and_role():
    from pathlib import Path

    from openpcn.rules.keys import KEYS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "reference" / "rules.md").read_text()
    for key in KEYS:
        assert f"`{key}`" in docs
    for rules in load_all().values():
        for role in rules.roles:
            assert f"`{role.id}`" in docs
