"""Properties over every year's rules, checked against a slow obvious reference lookup."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from openpcn.rules.loader import RuleNotFound, load_all

ALL = load_all()
YEARS = sorted(ALL)


def reference_lookup(rules, key, on):
    """Slow and obvious: every row of the key whose range contains the day."""
    return [r for r in rules.rules if r.key == key and r.applies_from <= on <= r.applies_to]


@st.composite
def year_key_day(draw):
    rules = ALL[draw(st.sampled_from(YEARS))]
    key = draw(st.sampled_from(rules.keys()))
    day = rules.year.start + timedelta(days=draw(st.integers(0, 364)))
    return rules, key, min(day, rules.year.end)


@settings(max_examples=300, deadline=None)
@given(year_key_day())
def test_value_returns_exactly_the_one_row_in_force(case):
    rules, key, day = case
    matches = reference_lookup(rules, key, day)
    assert len(matches) <= 1  # never two rows for one key on one day
    if matches:
        assert rules.value(key, day) is matches[0]
    else:
        try:
            rules.value(key, day)
        except RuleNotFound as exc:
            assert key in str(exc) and str(day) in str(exc)
        else:
            raise AssertionError("value() found a row the reference did not")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(YEARS), st.integers(0, 364), st.integers(0, 364))
def test_roles_available_grow_through_the_year(year, a, b):
    rules = ALL[year]
    first, second = sorted((a, b))
    day_a = min(rules.year.start + timedelta(days=first), rules.year.end)
    day_b = min(rules.year.start + timedelta(days=second), rules.year.end)
    ids_a = {r.id for r in rules.roles_available(day_a)}
    ids_b = {r.id for r in rules.roles_available(day_b)}
    assert ids_a <= ids_b


def test_every_row_lies_inside_its_year():
    for rules in ALL.values():
        for r in rules.rules:
            assert rules.year.start <= r.applies_from <= r.applies_to <= rules.year.end
            assert date(rules.year.start_year, 4, 1) == rules.year.start
