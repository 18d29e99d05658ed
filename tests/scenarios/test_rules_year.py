"""Another year's rules as a scenario change on the small PCN (2024-25 population file):
every stream and the ARRS sum are the entitlements engine under that year's rules on this
year's populations; the forecast keeps this year's months; bad years are named."""

from __future__ import annotations

from datetime import date

import pytest

from openpcn.data.rules.overlays import rules_for_pcn
from openpcn.data.scenarios import adopt, store
from openpcn.finance.entitlements import entitlements
from openpcn.scenarios.changes import ChangeError

AS_AT = date(2024, 7, 1)
PCN = "U00001"


def test_the_2025_26_rules_on_this_years_populations(small):
    sc = store.create(PCN, "next year's rates", AS_AT, [{"kind": "rules_year", "year": "2025-26"}])
    result = store.run(sc)
    inputs = result.scenario.inputs
    expected = entitlements(PCN, rules_for_pcn(PCN, "2025-26"), inputs.populations(),
                            inputs.bed_years(), allow_other_year=True)  # fmt: skip
    assert [s.annual_amount for s in result.scenario.streams] == [s.annual_amount for s in expected]
    arrs = next(s for s in expected if s.stream == "arrs")
    assert result.scenario.forecast.pots["arrs"].sum == arrs.annual_amount
    assert result.baseline.forecast.pots["arrs"].sum != arrs.annual_amount  # it changes
    assert str(inputs.rules.year) == "2024-25"  # the forecast keeps this year's months and pay
    assert any("2025-26 rules on the 2024-25 population file" in n for n in inputs.notes)
    with pytest.raises(store.ScenarioError, match="a year's rules are NHS England's"):
        adopt.adopt(sc)


@pytest.mark.parametrize(
    ("year", "words"),
    [
        ("2024-25", "change 1 (the 2024-25 rules apply): 2024-25 is the scenario's own year"),
        ("2031-32", "change 1 (the 2031-32 rules apply): OpenPCN has no rules for 2031-32"),
        ("2025/26", "rules_year: the year must be like 2026-27, not '2025/26'"),
    ],
)
def test_a_bad_year_is_refused_naming_the_change(small, year, words):
    with pytest.raises(ChangeError) as exc:
        store.create(PCN, "bad", AS_AT, [{"kind": "rules_year", "year": year}])
    assert words in str(exc.value)
    assert not store.scenarios_of(PCN).exists()
