"""IIF definitions are rules: one schema-validated file per year under rules/data/iif/."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openpcn.rules.iif import IifRulesMissing, available_years, load_file, load_year
from openpcn.rules.iif_schema import YearDefinitions
from openpcn.rules.loader import RuleFileError
from openpcn.services.errors import ServicesError
from openpcn.services.iif import iif_definitions


def test_2023_24_file():
    assert "2023-24" in available_years()
    defs = load_year("2023-24")
    assert isinstance(defs, YearDefinitions)
    acc08, can02 = defs.indicator("ACC-08"), defs.indicator("CAN-02")
    assert (acc08.points, acc08.lower_threshold, acc08.upper_threshold) == (71, 85, 90)
    assert (can02.points, can02.lower_threshold, can02.upper_threshold) == (22, 65, 80)
    assert defs.pound_per_point.value == Decimal("198.00")
    assert defs.pound_per_point.verified is False
    assert [i.code for i in defs.indicators if i.payable] == ["ACC-08", "CAN-02"]
    assert all(i.source for i in defs.indicators)


def test_missing_year_is_named():
    with pytest.raises(IifRulesMissing, match="no IIF definitions for 2015-16; available: 2023-24"):
        load_year("2015-16")
    # the services domain reports it as bad input to its engines
    with pytest.raises(ServicesError, match="no IIF definitions for 2015-16"):
        iif_definitions("2015-16")


def test_invalid_file_names_itself(tmp_path):
    bad = tmp_path / "2023-24.yaml"
    bad.write_text("year: 2023-24\nindicators: [{code: nope}]\n")
    with pytest.raises(RuleFileError, match="2023-24.yaml: invalid IIF definitions"):
        load_file(bad)
