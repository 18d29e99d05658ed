"""A neighbourhood's small areas: reading LSOA codes, checking them against the 2021 LSOAs of
the English Indices of Deprivation 2025, and the footprint's local authorities and
deprivation profile.

Everything here takes plain data: ``known`` maps each 2021 LSOA code to its :class:`Area`
(from the IoD 2025 File 1 import); ``codes_2011`` is the set of 2011 LSOA codes (from the IMD
2019 lookup), used only to say that a code is of the wrong vintage.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from openpcn.registry.parsers.gp_reg_lsoa import LAST_2011_ENGLISH_LSOA

DECILES = tuple(range(1, 11))
_CODE = re.compile(r"^[A-Z]\d{8}$")
_ENGLISH = re.compile(r"^E01\d{6}$")
_NATIONS = {"W01": "Welsh", "S01": "Scottish data zone", "95": "Northern Irish"}
_HEADER_WORDS = ("LSOA", "CODE", "AREA")


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    lad_code: str
    lad_name: str
    imd_rank: int
    imd_decile: int


@dataclass(frozen=True)
class Problem:
    code: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message}"


@dataclass
class CodeCheck:
    """The codes that are 2021 LSOAs (in the order given, each once) and every problem."""

    valid: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.valid) and not self.problems


def read_codes(text: str) -> list[tuple[int, str]]:
    """(line, code) pairs from pasted text or an uploaded file: one code a line, or codes
    separated by commas, semicolons, tabs or spaces; a CSV with a header takes its LSOA code
    column (LSOA21CD, "LSOA code (2021)", ...), else each line's first cell. A header line
    (a cell naming LSOA/code) and blank lines are skipped."""
    text = text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    column = None
    out: list[tuple[int, str]] = []
    for line, row in enumerate(rows, 1):
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        upper = [c.upper() for c in row]
        if any(w in c for c in upper for w in _HEADER_WORDS) and not any(
            _CODE.match(c.strip()) for c in upper
        ):
            named = [i for i, c in enumerate(upper) if "LSOA" in c and ("CD" in c or "CODE" in c)]
            column = named[0] if named else None
            continue
        if column is not None and len(row) > column and len(row) > 1:
            out.append((line, row[column].strip().upper()))
            continue
        for part in re.split(r"[\s,;]+", " ".join(cells)):
            if part:
                out.append((line, part.strip().upper()))
    return out


def check_codes(
    pairs: Iterable[tuple[int | None, str]],
    known: Mapping[str, Area],
    codes_2011: set[str] | frozenset[str] = frozenset(),
) -> CodeCheck:
    """Each code must be a 2021 LSOA in England; say why one is not (malformed, another
    nation's, a 2011 code that no 2021 LSOA kept, or one that does not exist)."""
    result = CodeCheck()
    seen: set[str] = set()
    for line, raw in pairs:
        code = raw.strip().upper()
        if code in seen:
            result.repeated.append(code)
            continue
        seen.add(code)
        if code in known:
            result.valid.append(code)
            continue
        result.problems.append(Problem(code, line, _why_not(code, codes_2011)))
    return result


def _why_not(code: str, codes_2011) -> str:
    shown = code[:12]
    if not _CODE.match(code):
        return f"'{shown}' is not an LSOA code (E01 and six digits, e.g. E01000001)"
    if not _ENGLISH.match(code):
        nation = next((v for k, v in _NATIONS.items() if code.startswith(k)), None)
        if nation:
            return f"{code} is a {nation} area; neighbourhoods use England's 2021 LSOAs"
        return f"{code} is not an LSOA code (LSOAs in England start E01)"
    if code in codes_2011 or (not codes_2011 and int(code[3:]) <= LAST_2011_ENGLISH_LSOA):
        sure = "is" if code in codes_2011 else "looks like"
        return (
            f"{code} {sure} a 2011 LSOA code that is not a 2021 LSOA (it was split or merged "
            "in 2021): neighbourhoods need 2021 LSOA codes (IoD 2025); use the 2021 codes "
            "that replaced it"
        )
    return f"{code} is not a 2021 LSOA in the English Indices of Deprivation 2025"


@dataclass(frozen=True)
class LocalAuthority:
    code: str
    name: str
    lsoas: int


@dataclass(frozen=True)
class Profile:
    """A footprint's LSOA count, LSOAs per IMD decile (1 = most deprived 10% of England) and
    local authorities (most LSOAs first)."""

    lsoas: int
    by_decile: dict[int, int]
    local_authorities: tuple[LocalAuthority, ...]

    @property
    def most_deprived_fifth(self) -> int:
        return self.by_decile[1] + self.by_decile[2]

    def as_dict(self) -> dict:
        return {
            "lsoa_count": self.lsoas,
            "lsoas_by_imd_decile": {str(d): n for d, n in self.by_decile.items()},
            "local_authorities": [
                {"code": la.code, "name": la.name, "lsoas": la.lsoas}
                for la in self.local_authorities
            ],
        }


def profile(areas: Iterable[Area]) -> Profile:
    areas = list(areas)
    deciles = Counter(a.imd_decile for a in areas)
    las = Counter((a.lad_code, a.lad_name) for a in areas)
    return Profile(
        lsoas=len(areas),
        by_decile={d: deciles.get(d, 0) for d in DECILES},
        local_authorities=tuple(
            LocalAuthority(code, name, n)
            for (code, name), n in sorted(las.items(), key=lambda kv: (-kv[1], kv[0][0]))
        ),
    )
