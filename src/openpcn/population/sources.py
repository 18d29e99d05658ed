"""Readers for the public files the generator is calibrated on (from ``$OPENPCN_DATA``).

Files are found by their content (the columns they carry), never by folder or file name, so
any vintage of each publication can be dropped into the data directory; where several match,
the newest by its own date column is used (the practice map of the same extract as the age-sex
file when there is one).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from openpcn.core.sniff import header_columns

from .codelists import CodelistError, data_dir

QUIN_AGE = {"ORG_TYPE", "ORG_CODE", "SEX", "AGE_GROUP_5", "NUMBER_OF_PATIENTS"}
PRACTICE_MAP = {"PRACTICE_CODE", "PCN_CODE", "EXTRACT_DATE"}
QOF = {"PRACTICE_CODE", "GROUP_CODE", "REGISTER", "PATIENT_LIST_TYPE", "PRACTICE_LIST_SIZE"}
IMD = {"PRACTICE_CODE", "IMD_SCORE"}


def _first_date(path: Path, column: str) -> date:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        row = next(csv.DictReader(fh), None) or {}
    text = (row.get(column) or "").strip()
    for fmt in ("%Y-%m-%d", "%d%b%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return date.min


@lru_cache(maxsize=16)
def find_file(columns: frozenset[str], date_column: str = "", prefer: date | None = None) -> Path:
    """The CSV under the data directory whose header has ``columns`` (newest by
    ``date_column``; the one dated ``prefer`` if there is one)."""
    found = [
        p
        for p in sorted(data_dir().rglob("*.csv"))
        if (cols := header_columns(p)) is not None and columns <= cols
    ]
    if not found:
        raise CodelistError(f"no file with columns {', '.join(sorted(columns))} under {data_dir()}")
    if not date_column:
        return found[-1]
    dated = [(_first_date(p, date_column), p) for p in found]
    if prefer is not None and any(d == prefer for d, _ in dated):
        return next(p for d, p in dated if d == prefer)
    return max(dated)[1]


BANDS = [f"{a}_{a + 4}" for a in range(0, 95, 5)] + ["95+"]


@lru_cache(maxsize=1)
def practice_age_sex() -> dict[str, dict[tuple[str, int], int]]:
    """practice -> {(sex "F"|"M", band index): registered patients}, July 2026."""
    path = find_file(frozenset(QUIN_AGE), "EXTRACT_DATE")
    out: dict[str, dict] = defaultdict(dict)
    band_index = {b: i for i, b in enumerate(BANDS)}
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["ORG_TYPE"] != "GP" or row["SEX"] not in ("FEMALE", "MALE"):
                continue
            band = band_index.get(row["AGE_GROUP_5"])
            if band is not None:
                out[row["ORG_CODE"]][(row["SEX"][0], band)] = int(row["NUMBER_OF_PATIENTS"])
    return dict(out)


def calibration_date() -> date:
    """The extract date of the age-sex file the generator is calibrated on: a PCN's practices
    are its members as at this date."""
    return _first_date(find_file(frozenset(QUIN_AGE), "EXTRACT_DATE"), "EXTRACT_DATE")


@lru_cache(maxsize=1)
def practice_map() -> dict[str, dict[str, str]]:
    path = find_file(frozenset(PRACTICE_MAP), "EXTRACT_DATE", prefer=calibration_date())
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return {r["PRACTICE_CODE"]: r for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def qof_prevalence() -> dict[str, dict[str, tuple[float, float, int]]]:
    """practice -> {QOF group: (register, list size, minimum age of the list type)}."""
    path = find_file(frozenset(QOF))
    out: dict[str, dict] = defaultdict(dict)
    with path.open(newline="") as fh:
        for r in csv.DictReader(fh):
            lt = r["PATIENT_LIST_TYPE"]
            min_age = 0 if lt == "TOTAL" else int(lt[:2])
            out[r["PRACTICE_CODE"]][r["GROUP_CODE"]] = (
                float(r["REGISTER"] or 0),
                float(r["PRACTICE_LIST_SIZE"] or 0),
                min_age,
            )
    return dict(out)


@lru_cache(maxsize=1)
def practice_imd_decile() -> dict[str, int]:
    """practice -> IMD 2025 decile among practices (1 = most deprived)."""
    path = find_file(frozenset(IMD))
    with path.open(newline="") as fh:
        scores = {
            r["PRACTICE_CODE"]: float(r["IMD_SCORE"]) for r in csv.DictReader(fh) if r["IMD_SCORE"]
        }
    ranked = sorted(scores, key=lambda c: -scores[c])
    n = len(ranked)
    return {code: 1 + (i * 10) // n for i, code in enumerate(ranked)}


def select_practices(
    pcn: str | None = None,
    icb: str | None = None,
    n: int | None = None,
    seed: int = 0,
    members: Iterable[str] | None = None,
) -> list[str]:
    """Practices with age/sex and QOF data: a PCN's, an ICB's, or N chosen by the seed.

    ``members``: the PCN's practices as the registry answers them as at
    :func:`calibration_date` (the Django side passes them); without a registry (a notebook,
    ``openpcn population generate``) the practice map of that same extract is read, which is
    the file the registry would answer from for that date."""
    import numpy as np

    usable = sorted(set(practice_age_sex()) & set(qof_prevalence()))
    pmap = practice_map()
    if pcn and members is not None:
        wanted = set(members)
        chosen = [p for p in usable if p in wanted]
    elif pcn:
        chosen = [p for p in usable if pmap.get(p, {}).get("PCN_CODE") == pcn]
    elif icb:
        chosen = [
            p
            for p in usable
            if icb in (pmap.get(p, {}).get("ICB_CODE"), pmap.get(p, {}).get("ONS_ICB_CODE"))
        ]
    elif n:
        rng = np.random.default_rng(seed)
        chosen = sorted(rng.choice(usable, size=min(n, len(usable)), replace=False).tolist())
    else:
        raise ValueError("choose --pcn, --icb or --practices")
    if not chosen:
        raise ValueError(f"no practices with registration and QOF data for {pcn or icb}")
    return chosen
