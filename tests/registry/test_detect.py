"""Detection by content, and a round-trip property for the CSV parsers."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpcn.registry.parsers import detect, detect_with_reason, parse
from openpcn.registry.parsers._population import QUINARY_BANDS


@pytest.mark.parametrize(
    ("content", "kind", "reason"),
    [
        (
            b"PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PCN_CODE\nX,01Jan2022,A1,U1\n",
            "gp_reg_map",
            "map",
        ),
        (
            b"PUBLICATION,EXTRACT_DATE,TYPE,CODE,SEX,AGE,NUMBER_OF_PATIENTS\n",
            "gp_reg_all",
            "totals",
        ),
        (
            b"PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS\n",
            "gp_reg_quin_age",
            "5-year",
        ),
        (
            b"PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
            b"P,2026-08-01,PCN,U1,MALE,17,3\n",
            "gp_reg_sing_age",
            "single",
        ),
        (
            b"Practice Code,PCN Code,Raw list size,Adjusted Population\n",
            "nhse_des_population",
            "adjusted",
        ),
        (b"BOROUGH,CODE,GP_PRACTICE,LIST_SIZE,EXTRACT_DATE\n", None, "not recognised"),
        (b"\x00\x01\x02\xff\xfe" * 10, None, "binary"),
        (b"PK\x03\x04garbage", None, "damaged"),
        (b"", None, "empty"),
    ],
)
def test_detect_by_content(tmp_path, content, kind, reason):
    path = tmp_path / "misleading-name-gp-reg-pat-prac-map.csv"
    path.write_bytes(content)
    found, why = detect_with_reason(path)
    assert found == kind and reason in why


def test_a_plain_zip_is_not_a_registry_file(tmp_path):
    import zipfile

    path = tmp_path / "gp-reg-pat-prac-map.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("gp-reg-pat-prac-map.csv", "x")
    assert detect_with_reason(path) == (None, "zip archive of 1 file(s): unzip it first")


def test_directory_is_not_a_file(tmp_path):
    assert detect(tmp_path) is None


COLUMNS = [
    "PUBLICATION",
    "EXTRACT_DATE",
    "ORG_TYPE",
    "ORG_CODE",
    "ONS_CODE",
    "POSTCODE",
    "SEX",
    "AGE_GROUP_5",
    "NUMBER_OF_PATIENTS",
    "EXTRA",
]
row = st.tuples(
    st.sampled_from(["A81001", "B82002", "Y08411"]),
    st.sampled_from(["FEMALE", "MALE"]),
    st.sampled_from(QUINARY_BANDS),
    st.integers(0, 10**7),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(row, min_size=1, max_size=20, unique_by=lambda r: r[:3]),
    order=st.permutations(COLUMNS),
    bom=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n"]),
    date_text=st.sampled_from(["2026-07-01", "01JUL2026", "01Jul2026", "01/07/2026", "20260701"]),
)
def test_quin_age_round_trip(tmp_path, rows, order, bom, newline, date_text):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(order)
    for code, sex, age, n in rows:
        values = {
            "PUBLICATION": "GP_PRAC_PAT_LIST",
            "EXTRACT_DATE": date_text,
            "ORG_TYPE": "GP",
            "ORG_CODE": code,
            "ONS_CODE": "",
            "POSTCODE": "AB1, 2CD",
            "SEX": sex,
            "AGE_GROUP_5": age,
            "NUMBER_OF_PATIENTS": n,
            "EXTRA": "x",
        }
        writer.writerow([values[c] for c in order])
    path = tmp_path / "q.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode())
    parsed = parse(path)
    assert parsed.kind == "gp_reg_quin_age" and parsed.as_of == date(2026, 7, 1)
    got = [(r.org_code, r.sex, r.age, r.count, r.postcode) for r in parsed.records]
    assert got == [(c, s, a, n, "AB1, 2CD") for c, s, a, n in rows]
