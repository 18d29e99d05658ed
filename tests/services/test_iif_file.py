"""The IIF achievement file: bad input names line and field; missing measures; roll-up."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openpcn.services.errors import DataFileError
from openpcn.services.iif import iif_definitions
from openpcn.services.iif.achievement_file import (
    OrgMeasures,
    indicator_measures,
    parse_achievement_file,
)
from openpcn.services.iif.payments import compute_payments, roll_up

DEFS = iif_definitions("2023-24")
HEAD = (
    "ORGANISATION_TYPE,ORGANISATION_CODE,ORGANISATION_NAME,QUALITY_SERVICE,ACH_DATE,"
    "IND_CODE,MEASURE,VALUE\n"
)
ROWS = [
    "GP practice,A00001,ONE,NCD2324,31/03/2024,NCD026,ACC-08 Denominator,1000\n",
    "GP practice,A00001,ONE,NCD2324,31/03/2024,NCD026,ACC-08 Numerator,870\n",
    "GP practice,A00002,TWO,NCD2324,31/03/2024,NCD026,ACC-08 Denominator,3000\n",
    "GP practice,A00002,TWO,NCD2324,31/03/2024,NCD026,ACC-08 Numerator,2700\n",
    "GP practice,B00001,THREE,NCD2324,31/03/2024,NCD026,ACC-08 Denominator,500\n",
    "GP practice,B00001,THREE,NCD2324,31/03/2024,NCD026,ACC-08 Numerator,400\n",
    'PCN,U00001,"ALPHA, PCN",NCD2324,31/03/2024,NCDMI191,ACC-10b non-standardised numerator,7\n',
    "PCN,U00001,ALPHA PCN,NCD2324,31/03/2024,NCDMI191,"
    "ACC-10b baseline non-standardised numerator,5\n",
]


def write(tmp_path: Path, rows=ROWS, head=HEAD) -> Path:
    path = tmp_path / "iif.csv"
    path.write_text(head + "".join(rows), encoding="utf-8")
    return path


def test_roll_up_and_pay(tmp_path):
    file = parse_achievement_file(write(tmp_path))
    assert str(file.achievement_date) == "2024-03-31"
    rolled = roll_up(indicator_measures(file, DEFS), {"A00001": "U00001", "A00002": "U00001"})
    assert rolled.unmapped_practices == ["B00001"]
    acc08 = next(m for m in rolled.measures if m.indicator == "ACC-08")
    assert acc08.values == {"denominator": Decimal(4000), "numerator": Decimal(3570)}
    assert acc08.practices == ("A00001", "A00002")
    results = compute_payments(DEFS, rolled.measures, {"U00001": 20000})
    pay = next(r for r in results if r.indicator == "ACC-08")
    # 3570/4000 = 89.25% -> (89.25-85)/5 x 71 = 60.35 points x £198 x (20000/20000)
    assert pay.achievement_pct == Decimal("89.25")
    assert pay.points == Decimal("60.35")
    assert pay.amount == Decimal("11949.30")
    assert pay.next_threshold == ("upper", 30)  # 90% of 4000 = 3600
    mgmt = next(r for r in results if r.indicator == "ACC-10b")
    assert mgmt.amount is None and mgmt.numerator == Decimal(7)


def test_missing_measure_is_a_clear_error(tmp_path):
    rows = [r for r in ROWS if "A00002" not in r or "Numerator" not in r]
    file = parse_achievement_file(write(tmp_path, rows))
    with pytest.raises(DataFileError, match="A00002 has ACC-08 but no 'ACC-08 Numerator' measure"):
        indicator_measures(file, DEFS)


def test_unknown_measure(tmp_path):
    rows = [*ROWS, "PCN,U00001,A,NCD2324,31/03/2024,NCD026,ACC-08 Mystery,1\n"]
    file = parse_achievement_file(write(tmp_path, rows))
    with pytest.raises(DataFileError, match="line 10, field MEASURE: 'ACC-08 Mystery'"):
        indicator_measures(file, DEFS)


BAD = [
    (3, "ACC-08 Numerator,2700", "ACC-08 Numerator,27x0", "line 5, field VALUE: '27x0'"),
    (3, "ACC-08 Numerator,2700", "ACC-08 Numerator,-1", "line 5, field VALUE: '-1'"),
    (0, "GP practice", "Trust", "line 2, field ORGANISATION_TYPE: 'Trust'"),
    (2, "31/03/2024", "2024-03-31", "line 4, field ACH_DATE: '2024-03-31'"),
    (2, "31/03/2024", "30/03/2024", "line 4, field ACH_DATE: 2024-03-30 differs"),
    (1, ",A00001,", ",,", "line 3, field ORGANISATION_CODE: organisation code is blank"),
    (1, ",870", ",870,9", "line 3: 9 fields, header has 8"),
]


@pytest.mark.parametrize(("i", "old", "new", "message"), BAD)
def test_bad_rows(tmp_path, i, old, new, message):
    rows = list(ROWS)
    rows[i] = rows[i].replace(old, new)
    with pytest.raises(DataFileError) as info:
        parse_achievement_file(write(tmp_path, rows))
    assert str(info.value).startswith("iif.csv " + message)


def test_missing_column_and_duplicate(tmp_path):
    with pytest.raises(DataFileError, match="line 1, field VALUE: required column"):
        parse_achievement_file(write(tmp_path, head=HEAD.replace("VALUE", "AMOUNT")))
    with pytest.raises(DataFileError, match="line 3, field MEASURE: .* repeats line 2"):
        parse_achievement_file(write(tmp_path, [ROWS[0], ROWS[0]]))
    with pytest.raises(DataFileError, match="no rows"):
        parse_achievement_file(write(tmp_path, []))


def test_wrong_year(tmp_path):
    rows = [r.replace("31/03/2024", "31/03/2023") for r in ROWS]
    file = parse_achievement_file(write(tmp_path, rows))
    with pytest.raises(DataFileError, match="2023-03-31 is not in 2023-24"):
        indicator_measures(file, DEFS)


@given(
    st.dictionaries(
        st.sampled_from([f"P{i}" for i in range(12)]),
        st.tuples(st.integers(0, 500), st.integers(0, 500)).map(sorted),
        min_size=1,
    ),
    st.dictionaries(
        st.sampled_from([f"P{i}" for i in range(12)]), st.sampled_from(["U1", "U2", "U"])
    ),
)
def test_roll_up_conserves_counts(practice_counts, membership):
    org = [
        OrgMeasures(
            "practice", code, "ACC-08", {"numerator": Decimal(n), "denominator": Decimal(d)}
        )
        for code, (n, d) in practice_counts.items()
    ]
    rolled = roll_up(org, membership)
    mapped = {c for c in practice_counts if membership.get(c, "U") != "U"}
    assert set(rolled.unmapped_practices) == set(practice_counts) - mapped
    for m in rolled.measures:
        members = [c for c in mapped if membership[c] == m.pcn_code]
        assert sorted(m.practices) == sorted(members)
        assert m.values["numerator"] == sum(practice_counts[c][0] for c in members)
        assert m.values["denominator"] == sum(practice_counts[c][1] for c in members)


def test_line_numbers_are_physical_lines_across_quoted_newlines(tmp_path):
    # the real file has a PCN name with an embedded newline; later errors keep true line numbers
    rows = [
        'PCN,U00002,"WOODSTOCK &\nYARNTON PCN",NCD2324,31/03/2024,NCDMI191,'
        "ACC-10b non-standardised numerator,7\n",
        "GP practice,A00001,ONE,NCD2324,31/03/2024,NCD026,ACC-08 Numerator,x\n",
    ]
    with pytest.raises(DataFileError, match="^iif.csv line 4, field VALUE: 'x'"):
        parse_achievement_file(write(tmp_path, rows))
