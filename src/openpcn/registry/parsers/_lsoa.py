"""What the deprivation parsers share: LSOA codes, the vintage a header names, deciles."""

from __future__ import annotations

import math
import re
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers._common import norm, to_int

ENGLISH_LSOA = re.compile(r"^E01\d{6}$")
#: the Indices of Deprivation edition for the LAD boundaries it uses
EDITION_BY_LAD_YEAR = {2024: 2025, 2019: 2019, 2013: 2015}


def year_in(header_cell: object) -> int | None:
    """The boundary year a header names: 'LSOA code (2021)' -> 2021, LSOA11CD -> 2011."""
    name = norm(header_cell)
    m = re.search(r"_(20\d\d)$", name) or re.search(r"(?:^|[A-Z])(\d\d)(?:CD|NM)$", name)
    if not m:
        return None
    year = int(m[1])
    return year if year > 100 else 2000 + year


def lsoa_code(path: Path, line: int, value: object, sheet: str | None = None) -> str:
    code = str(value or "").strip().upper()
    if not ENGLISH_LSOA.match(code):
        raise RegistryFileError(
            path, line, "LSOA_CODE", f"{code[:12]!r} is not an English LSOA code (E01...)", sheet
        )
    return code


def rank_cell(path: Path, line: int, field: str, value: object, sheet: str | None = None) -> int:
    n = to_int(path, line, field, value if value is not None else "", sheet)
    if n < 1:
        raise RegistryFileError(path, line, field, f"{value!r} is not a rank (1 or more)", sheet)
    return n


def decile_of(rank: int, areas: int) -> int:
    """The IoD decile of a rank among ``areas`` LSOAs (1 = most deprived 10%)."""
    return max(1, math.ceil(rank * 10 / areas))


def check_ranks(
    path: Path, ranks: list[int], sheet: str | None = None, ties: bool = False
) -> list[str]:
    """Ranks must lie in 1..N; each once unless ``ties`` (then the warnings say how many
    are shared). Returns the warnings."""
    n = len(ranks)
    over = next((r for r in ranks if r > n), None)
    if over is not None:
        raise RegistryFileError(
            path,
            None,
            "IMD_RANK",
            f"rank {over:,} is above the {n:,} LSOAs; is the file complete?",
            sheet,
        )
    shared = n - len(set(ranks))
    if not shared:
        return []
    if not ties:
        seen: set[int] = set()
        dup = next(r for r in ranks if r in seen or seen.add(r))
        raise RegistryFileError(
            path,
            None,
            "IMD_RANK",
            f"rank {dup} appears twice; ranks run 1 to {n:,} once each",
            sheet,
        )
    return [f"{shared} IMD rank(s) are shared by two or more LSOAs (the file ranks ties equally)"]
