"""Registered population as at a date: the newest extract only (nothing carried forward), and
NHS England Digital's PCN totals when they are newer than any practice count."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache

from openpcn.data.registry.explorer import size_report
from openpcn.data.registry.loaders import import_file
from openpcn.data.registry.national import clear_views

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
ALL_HEAD = "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,"
ALL_HEAD += "POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
SING_HEAD = "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,SEX,AGE,NUMBER_OF_PATIENTS\n"


@pytest.fixture(autouse=True)
def loaded():
    cache.clear()
    clear_views()
    for name in ("map-2026-07.csv", "all-2026-07.csv"):
        import_file(FIXTURES / name)
    yield
    clear_views()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_practice_left_out_of_a_newer_extract_has_no_count(tmp_path):
    # August: A00002 has closed; the others carry on
    rows = [("A00001", 21000), ("A00003", 28100), ("B00001", 60500), ("B00002", 4100)]
    text = ALL_HEAD + "".join(
        f"GP_PRAC_PAT_LIST,2026-08-01,GP,01A,E38000001,{c},AA1 1AA,ALL,ALL,{n}\n" for c, n in rows
    )
    import_file(write(tmp_path, "all-2026-08.csv", text))
    r = size_report(date(2026, 8, 1), 30000, 50000)
    assert (r["population_as_of"], r["practices_unmatched"]) == ("2026-08-01", 1)
    # U00001 = A00001 only (21,000: below the band), not A00001 + July's 15,000 for A00002
    assert (r["below"], r["in_band"], r["above"]) == (2, 0, 1)
    july = size_report(date(2026, 7, 31), 30000, 50000)
    assert (july["in_band"], july["practices_unmatched"]) == (1, 0)


def test_published_pcn_totals_newer_than_any_practice_count_are_the_sizes(tmp_path):
    rows = [("PCN", "U00001", 40000), ("PCN", "U00002", 29999), ("PCN", "U00003", 50001)]
    rows += [("PCN", "U", 4000), ("PCN", "U00001", 7)]  # the last one: a single age row
    text = SING_HEAD + "".join(
        f"GP_PRAC_PAT_LIST,2026-09-01,{t},{c},,ALL,{'ALL' if n != 7 else '17'},{n}\n"
        for t, c, n in rows
    )
    import_file(write(tmp_path, "sing-age-2026-09.csv", text))
    r = size_report(date(2026, 9, 1), 30000, 50000)
    assert (r["population_as_of"], r["sources"]) == ("2026-09-01", ["sing-age-2026-09.csv"])
    assert (r["pcn_count"], r["in_band"], r["below"], r["above"]) == (3, 1, 1, 1)
    assert r["median"] == 40000
    # before September the practice sums still hold
    r = size_report(date(2026, 8, 31), 30000, 50000)
    assert (r["population_as_of"], r["median"]) == ("2026-07-01", 35000)
