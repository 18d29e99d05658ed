"""Which file may change an organisation's record, and the source history (pure)."""

from __future__ import annotations

import pytest

from openpcn.registry import provenance as p

KINDS = {"des.csv": "nhse_des_population", "map.csv": "gp_reg_map", "epraccur.csv": "ods_epraccur"}


@pytest.mark.parametrize(
    ("kind", "source", "upgrade_only", "wins"),
    [
        ("ods_epraccur", "des.csv", False, True),
        ("ods_epraccur", "epraccur.csv", False, True),  # a newer ODS file updates ODS values
        ("ods_epcn", "epraccur.csv", True, False),  # the ePCN does not rename epraccur's names
        ("gp_reg_map", "des.csv; epraccur.csv", False, False),
        ("gp_reg_map", "des.csv", False, True),
        ("nhse_des_population", "map.csv", False, False),
        ("nhse_des_population", "", False, True),
    ],
)
def test_who_may_change_a_record(kind, source, upgrade_only, wins):
    held = p.held_by(source, KINDS)
    assert p.may_change(p.authority(kind), held, upgrade_only) is wins


@pytest.mark.parametrize(
    ("source", "name", "expected"),
    [
        ("", "des.csv", "des.csv"),
        ("des.csv", "epraccur.csv", "des.csv; epraccur.csv"),
        ("des.csv; epraccur.csv", "des.csv", "des.csv; epraccur.csv"),
    ],
)
def test_history(source, name, expected):
    assert p.with_source(source, name) == expected


def test_a_long_history_keeps_the_first_and_the_newest():
    source = ""
    for i in range(30):
        source = p.with_source(source, f"file-{i:02d}-with-a-long-name.csv")
    names = p.history(source)
    assert len(source) <= p.MAX_LENGTH
    assert names[0] == "file-00-with-a-long-name.csv" and names[1] == "..."
    assert names[-1] == "file-29-with-a-long-name.csv"


@pytest.mark.parametrize(
    ("name", "code", "plain"),
    [
        ("West Coker Surgery (Y01163)", "Y01163", "West Coker Surgery"),
        ("ALPHA SURGERY", "A00001", "ALPHA SURGERY"),
        ("THE (OLD) SURGERY (B00002)", "B00002", "THE (OLD) SURGERY"),
        ("OTHER (A12345)", "B00002", "OTHER (A12345)"),  # another code is part of the name
    ],
)
def test_plain_name(name, code, plain):
    assert p.plain_name(name, code) == plain
