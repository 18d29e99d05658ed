"""Which file an organisation's record comes from, and which file may change it (pure).

Every trusted national file may define an organisation it names: the NHS England DES
population file names each practice and its PCN, so a practice first seen there is recorded
from it. When a more authoritative file names the organisation later its values win:

- ODS files (epraccur, ePCN, etr) are the reference for organisations: rank 3;
- the Indices of Deprivation File 1 names the local authorities it covers: rank 2;
- NHS England Digital's practice map: rank 2;
- files that name organisations only to count them (registered patients, DES populations):
  rank 1.

A file may change a record's name and dates when its rank is at least that of every file
the record came from; a lower-ranked file only fills what is blank (a name that is just the
code, an empty postcode or date). ``Organisation.source`` keeps the history: the files that
defined or took over the record, oldest first, separated by "; ".
"""

from __future__ import annotations

import re

AUTHORITY = {
    "ods_epraccur": 3,
    "ods_epcn": 3,
    "ods_epcn_csv": 3,
    "ods_etr": 3,
    "mhclg_iod_file1": 2,
    "gp_reg_map": 2,
    "gp_reg_all": 1,
    "gp_reg_quin_age": 1,
    "gp_reg_sing_age": 1,
    "nhse_des_population": 1,
}
SEPARATOR = "; "
MAX_LENGTH = 200  # Organisation.source


def authority(kind: str | None) -> int:
    """The rank of a file kind (0 for a kind that defines no organisations)."""
    return AUTHORITY.get(kind or "", 0)


def history(source: str) -> list[str]:
    """The file names in a source history, oldest first."""
    return [name for name in (source or "").split(SEPARATOR) if name]


def held_by(source: str, kinds: dict[str, str]) -> int:
    """The highest rank among the files a record came from (kinds: file name -> kind)."""
    return max((authority(kinds.get(name)) for name in history(source)), default=0)


def with_source(source: str, name: str, max_length: int = MAX_LENGTH) -> str:
    """The history with ``name`` added last (unchanged if it is there already). When it
    would not fit in ``max_length``, the oldest entries after the first are dropped, marked
    by "..."."""
    names = history(source)
    if name in names:
        return source
    names.append(name)
    while len(SEPARATOR.join(names)) > max_length and len([n for n in names if n != "..."]) > 2:
        rest = [n for n in names[1:] if n != "..."]
        names = [names[0], "...", *rest[1:]]
    return SEPARATOR.join(names)[:max_length]


def may_change(rank: int, held: int, upgrade_only: bool = False) -> bool:
    """A file of ``rank`` may change a record held at rank ``held`` (``upgrade_only``: only
    if it outranks every file the record came from)."""
    return rank > held or (rank == held and not upgrade_only)


_OWN_CODE = re.compile(r"\s*\(\s*([A-Z0-9]{3,8})\s*\)\s*$")


def plain_name(name: str, code: str) -> str:
    """A name without a trailing copy of its own code: 'West Coker Surgery (Y01163)' ->
    'West Coker Surgery' (the DES files add it); other names are kept as they are."""
    m = _OWN_CODE.search(name or "")
    if m and m[1].upper() == code.upper():
        return name[: m.start()].strip()
    return (name or "").strip()
