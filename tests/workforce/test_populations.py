"""The PCN population reader agrees with the tiny reader in conftest, and fails clearly."""

from __future__ import annotations

from datetime import date

import pytest

from openpcn.registry.errors import RegistryFileError
from openpcn.workforce.populations import read_pcn_populations

from .conftest import QUIN_AGE, need, tiny_population_reader, write_csv


def test_real_file_matches_tiny_reader():
    pops, extract = read_pcn_populations(need(QUIN_AGE))
    assert extract == date(2026, 7, 1)
    assert pops == tiny_population_reader(QUIN_AGE)
    assert len(pops) == 1299


HEAD = (
    "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,"
    "NUMBER_OF_PATIENTS"
)


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (["X,2026-07-01,PCN,U1,,,ALL,ALL,12a"], "line 2, field NUMBER_OF_PATIENTS"),
        (
            ["X,2026-07-01,PCN,U1,,,ALL,ALL,1", "X,2026-07-01,PCN,U1,,,ALL,ALL,2"],
            "line 3, field ORG_CODE: second",
        ),
        (["X,2026-07-01,GP,A1,,,ALL,ALL,1"], "no PCN rows"),
        (["X,July,PCN,U1,,,ALL,ALL,1"], "line 2, field EXTRACT_DATE"),
    ],
)
def test_bad_population_file(tmp_path, rows, words):
    path = write_csv(tmp_path / "pop.csv", "\n".join([HEAD, *rows]) + "\n")
    with pytest.raises(RegistryFileError, match=words):
        read_pcn_populations(path)


def test_sex_and_age_rows_are_skipped(tmp_path):
    rows = [
        "X,2026-07-01,PCN,U1,,,ALL,ALL,100",
        "X,2026-07-01,PCN,U1,,,FEMALE,ALL,60",
        "X,2026-07-01,PCN,U1,,,ALL,0_4,7",
    ]
    path = write_csv(tmp_path / "pop.csv", "\n".join([HEAD, *rows]) + "\n")
    assert read_pcn_populations(path) == ({"U1": 100}, date(2026, 7, 1))
