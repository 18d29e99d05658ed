"""Fixtures in NHS England Digital's published LSOA registration layout
(``gp-reg-pat-prac-lsoa-all.csv`` and its ``-male``/``-female`` files), built in the test
from the registry fixtures' practice totals (``tests/registry/fixtures/all-2026-07.csv``) so
each practice's LSOA rows add up to its published total of the same extract."""

from __future__ import annotations

import csv
import random
from pathlib import Path

HEADER = [
    "PUBLICATION",
    "EXTRACT_DATE",
    "PRACTICE_CODE",
    "PRACTICE_NAME",
    "LSOA_CODE",
    "SEX",
    "NUMBER_OF_PATIENTS",
]
REGISTRY = Path(__file__).parents[1] / "registry" / "fixtures"
MAP, ALL = REGISTRY / "map-2026-07.csv", REGISTRY / "all-2026-07.csv"
EXTRACT = "2026-07-01"
WELSH = "W01000001"  # a patient living in Wales: an LSOA, but not one of England's
NO_LSOA = "NO2021"


def practice_totals() -> dict[str, int]:
    with ALL.open() as f:
        return {r["CODE"]: int(r["NUMBER_OF_PATIENTS"]) for r in csv.DictReader(f)}


def practice_names() -> dict[str, str]:
    with MAP.open() as f:
        return {r["PRACTICE_CODE"]: r["PRACTICE_NAME"] for r in csv.DictReader(f)}


def membership() -> dict[str, str]:
    with MAP.open() as f:
        return {r["PRACTICE_CODE"]: r["PCN_CODE"] for r in csv.DictReader(f)}


def spread(areas: dict[str, list[str]], seed: int = 18) -> list[tuple[str, str, int]]:
    """(practice, LSOA, patients) rows: each practice's total split over the LSOAs named for
    it in ``areas`` (practice -> codes), plus 40 with no LSOA and 3 in Wales (a small number,
    to be suppressed where a PCN has one practice)."""
    rng = random.Random(seed)
    rows = []
    for practice, total in practice_totals().items():
        codes = areas[practice]
        left = total - 40 - 3
        weights = [rng.randint(1, 100) for _ in codes]
        parts = [left * w // sum(weights) for w in weights]
        parts[0] += left - sum(parts)
        rows += [(practice, c, n) for c, n in zip(codes, parts, strict=True) if n]
        rows += [(practice, NO_LSOA, 40), (practice, WELSH, 3)]
    return rows


def write(path: Path, rows, sex: str = "ALL", extract: str = EXTRACT) -> Path:
    """A CSV of ``rows`` for one sex: ALL rows as given; MALE and FEMALE split each count
    (MALE gets the smaller half), so MALE + FEMALE = ALL row by row."""
    names = practice_names()
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for practice, lsoa, n in rows:
            count = {"ALL": n, "MALE": n // 2, "FEMALE": n - n // 2}[sex]
            name = names.get(practice, practice)
            w.writerow(["GP_PRAC_PAT_LIST", extract, practice, name, lsoa, sex, count])
    return path
