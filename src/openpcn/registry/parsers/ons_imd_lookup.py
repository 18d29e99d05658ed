"""ONS "Index of Multiple Deprivation (December 2019) Lookup in England": every 2011 LSOA
with its 2019 local authority district and IMD 2019 rank.

Columns (alias table :data:`openpcn.registry.parsers.columns.IMD_LOOKUP`): LSOA11CD, LSOA11NM,
LAD19CD, LAD19NM, IMD19 (rank, 1 = most deprived), FID (ignored). The LSOA and LAD vintages and
the IMD edition are read from the column names (LSOA11 -> 2011, LAD19 -> 2019, IMD19 -> 2019).
The file has no deciles: each is worked out from the rank by the IoD rule
(ceil(rank x 10 / number of LSOAs)) and marked ``decile_derived``. Ranks must lie in 1..N;
ties occur (26 ranks in the December 2019 lookup are shared) and are named in the
warnings. as_of: December 2019 (the lookup's name; the content has no date), 2019-12-01.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import columns
from openpcn.registry.parsers._common import CsvRows, ParsedFile, cell, find_columns, norm
from openpcn.registry.parsers._lsoa import check_ranks, decile_of, lsoa_code, rank_cell, year_in
from openpcn.registry.records import LsoaDeprivation

KIND = "ons_imd_lookup"
AS_OF = {2019: date(2019, 12, 1)}


def looks_like(header_norm: set[str]) -> bool:
    want = columns.IMD_LOOKUP
    return all(any(col.matches(h) for h in header_norm) for col in (want[0], want[2], want[4]))


def parse(path: str | Path) -> ParsedFile:
    path = Path(path)
    rows = CsvRows(path)
    c = find_columns(path, rows.header, columns.IMD_LOOKUP)
    vintage = year_in(rows.header[c["LSOA_CODE"]])
    lad_year = year_in(rows.header[c["LAD_CODE"]])
    digits = norm(rows.header[c["IMD_RANK"]])[3:5]
    edition = 2000 + int(digits) if digits.isdigit() else None
    if vintage not in (2011, 2021) or edition is None:
        raise RegistryFileError(
            path, 1, "LSOA_CODE", "the header does not name the LSOA year and IMD edition"
        )
    raw, seen = [], {}
    for line, row in rows:
        code = lsoa_code(path, line, row[c["LSOA_CODE"]])
        if code in seen:
            raise RegistryFileError(path, line, "LSOA_CODE", f"{code} repeats line {seen[code]}")
        seen[code] = line
        lad = cell(row, c["LAD_CODE"]).upper()
        if not lad:
            raise RegistryFileError(path, line, "LAD_CODE", "local authority is blank")
        rank = rank_cell(path, line, "IMD_RANK", row[c["IMD_RANK"]])
        raw.append((code, cell(row, c["LSOA_NAME"]), lad, cell(row, c["LAD_NAME"]), rank))
    if not raw:
        raise RegistryFileError(path, None, None, "file has a header but no rows")
    tied = check_ranks(path, [r[4] for r in raw], ties=True)
    n = len(raw)
    records = [
        LsoaDeprivation(
            code,
            name,
            vintage,
            lad,
            lad_name,
            lad_year,
            edition,
            rank,
            decile_of(rank, n),
            decile_derived=True,
        )
        for code, name, lad, lad_name, rank in raw
    ]
    as_of = AS_OF.get(edition, date(edition, 12, 1))
    warnings = [
        f"deciles worked out from the IMD {edition} ranks (ceil(rank x 10 / {n:,}))",
        f"the lookup names no date: as of {as_of} (December {edition})",
        *tied,
    ]
    counts = {
        "rows_read": n,
        "records": n,
        "lsoas": n,
        "local_authorities": len({r.lad_code for r in records}),
    }
    return ParsedFile(
        KIND, path, as_of, records, warnings, counts, f"imd{edition % 100}_lsoa{vintage % 100}"
    )
