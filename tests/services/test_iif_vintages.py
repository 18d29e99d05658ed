"""One test per layout of the NHS England Digital IIF achievement files, from the header alone:
the annual publication (organisation type and code) and the monthly MI files (practices only,
small counts suppressed as '*')."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.services.errors import DataFileError
from openpcn.services.iif import iif_definitions
from openpcn.services.iif.achievement_file import detect, indicator_measures, parse_achievement_file

DEFS = iif_definitions("2023-24")
ANNUAL = (
    "ORGANISATION_TYPE,ORGANISATION_CODE,ORGANISATION_NAME,QUALITY_SERVICE,ACH_DATE,IND_CODE,"
    "MEASURE,VALUE"
)
MONTHLY = "PRACTICE_CODE,PRACTICE_NAME,QUALITY_SERVICE,ACH_DATE,IND_CODE,MEASURE,VALUE"
ANNUAL_ROWS = [
    "GP practice,A00001,ONE,NCD2324,31/03/2024,NCD026,ACC-08 Denominator,1000",
    "GP practice,A00001,ONE,NCD2324,31/03/2024,NCD026,ACC-08 Numerator,870",
]
MONTHLY_ROWS = [
    "A00001,ONE,NCD2324,31/01/2024,NCD026,ACC-08 Denominator,1000",
    "A00001,ONE,NCD2324,31/01/2024,NCD026,ACC-08 Numerator,870",
    "A00002,TWO,NCD2324,31/01/2024,NCD026,ACC-08 Denominator,1",
    "A00002,TWO,NCD2324,31/01/2024,NCD026,ACC-08 Numerator,*",
]


def write(tmp_path, header, rows):
    path = tmp_path / "iif.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("header", "rows", "achieved", "suppressed"),
    [(ANNUAL, ANNUAL_ROWS, date(2024, 3, 31), 0), (MONTHLY, MONTHLY_ROWS, date(2024, 1, 31), 1)],
    ids=["annual-publication", "monthly-mi-practices"],
)
def test_each_iif_layout(tmp_path, header, rows, achieved, suppressed):
    path = write(tmp_path, header, rows)
    assert detect(path)
    file = parse_achievement_file(path)
    assert (file.achievement_date, len(file.suppressed)) == (achieved, suppressed)
    assert {r.level for r in file.rows} == {"practice"}
    (measures,) = indicator_measures(file, DEFS)  # A00002's ACC-08 is left out, not guessed
    assert (measures.org_code, measures.values["numerator"]) == ("A00001", Decimal(870))


def test_without_organisation_type_the_file_must_be_by_practice(tmp_path):
    header = ANNUAL.replace("ORGANISATION_TYPE,", "")
    rows = [r.replace("GP practice,", "") for r in ANNUAL_ROWS]
    with pytest.raises(DataFileError, match="line 1, field ORGANISATION_TYPE"):
        parse_achievement_file(write(tmp_path, header, rows))
