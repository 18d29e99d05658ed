"""The one renderer of explained figures: money to the penny, percentages and counts
sensibly, and never "None"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openpcn.core.figures import Figure, RuleRef, shown

CASES = [
    (None, "GBP", "not available"),
    (None, "", "not available"),
    (Decimal("1948.4366438356164383561643836"), "GBP", "£1,948.44"),
    (Decimal("3907.5"), "GBP per year", "£3,907.50 per year"),
    (Decimal("130.253"), "GBP_per_bed", "£130.253 per bed"),  # a rate keeps its digits
    (Decimal("5486.5"), "GBP", "£5,486.50"),
    (62.5, "percentile", "62.5th percentile"),
    (50.0, "percentile", "50th percentile"),
    (Decimal("83.9718857"), "%", "83.97%"),
    (Decimal("87"), "percent", "87%"),
    (4566, "patients", "4,566 patients"),
    (Decimal("14.958904109589041095890"), "beds", "14.96 beds"),
    (2.123456789, "FTE per 10,000 patients", "2.12 FTE per 10,000 patients"),
    (Decimal("1.0"), "FTE", "1 FTE"),
    ("lower", "", "lower"),
]


@pytest.mark.parametrize(("value", "unit", "expected"), CASES)
def test_shown(value, unit, expected):
    assert shown(value, unit) == expected


def test_the_explain_renderer_never_prints_raw_values():
    from django.template import engines

    inner = Figure("Beds", Decimal("14.958904109589041095890"), "beds")
    fig = Figure(
        "Premium", None, "GBP", "x",
        rules=(RuleRef("2025-26", "care_home_premium_per_bed", Decimal("130.253"), "GBP_per_bed"),),
        inputs=(inner,),
    )  # fmt: skip
    env = engines["jinja2"]
    html = env.from_string('{% from "web/explain.jinja" import explain %}{{ explain(f) }}').render(
        {"f": fig}
    )
    assert "None" not in html and "not available" in html
    assert "14.96 beds" in html and "14.9589" not in html
    assert "£130.253 per bed" in html
