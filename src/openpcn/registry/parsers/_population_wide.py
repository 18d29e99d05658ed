"""The wide layout of NHS Digital's registered-patient files (published before April 2017).

One row per practice: GP_PRACTICE_CODE (or PRACTICE_CODE), POSTCODE, CCG_CODE, NHS England
area/region codes, TOTAL_ALL, TOTAL_MALE, TOTAL_FEMALE(S), then one column per sex and age:
``MALE_0-4 .. MALE_85+`` (5-year bands; later files go to ``MALE_95+``) or ``MALE_0_1 ..
MALE_94_95, MALE_95+`` (single years; "0_1" is age 0, and some files write ``MALE_4``).
Alias table: :data:`openpcn.registry.parsers.columns.WIDE_ID` and ``WIDE_AGE``.

These files carry no extract date: pass ``extract_date=`` (the publication's extract date);
a file that has an EXTRACT_DATE column must agree with it. Each sex's ages must add up to its
total and the two sexes to TOTAL_ALL, else the row is refused. Records are the same
:class:`~openpcn.registry.records.PracticePopulation` rows as the long layout gives.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import columns
from openpcn.registry.parsers._common import CsvRows, cell, date_cell, find_columns, norm, to_int
from openpcn.registry.records import PracticePopulation

_KIND_NAMES = {"all": "totals only", "quinary": "5-year bands", "single": "single years"}


def is_wide(header: list[str]) -> bool:
    """A wide header: a practice code, TOTAL_ALL or MALE_/FEMALE_ age columns, and no SEX."""
    names = [norm(h) for h in header]
    if "SEX" in names or not any(columns.WIDE_ID[0].matches(n) for n in names):
        return False
    return "TOTAL_ALL" in names or any(columns.WIDE_AGE.match(n) for n in names)


def wide_kind(header: list[str]) -> str | None:
    """ "all", "quinary" or "single" for a wide header (None if not wide or inconsistent)."""
    if not is_wide(header):
        return None
    try:
        return _age_columns(Path("header"), header)[0]
    except RegistryFileError:
        return None


def _age_columns(path: Path, header: list[str]) -> tuple[str, list[tuple[int, str, str]]]:
    """(file age kind, [(index, sex, age)]) for the MALE_/FEMALE_ columns."""
    found: list[tuple[int, str, str]] = []
    kinds: set[str] = set()
    for i, name in enumerate(norm(h) for h in header):
        m = columns.WIDE_AGE.match(name)
        if not m:
            continue
        sex, lo, hi, plus = m[1], int(m[2]), m[3], m[4]
        if plus:
            age, kind = f"{lo}+", ""
        elif hi is None or int(hi) == lo + 1:
            age, kind = str(lo), "single"
        elif int(hi) == lo + 4 and lo % 5 == 0:
            age, kind = f"{lo}_{hi}", "quinary"
        else:
            raise RegistryFileError(path, 1, name, "not a single year or a 5-year age band")
        kinds.add(kind)
        found.append((i, sex, age))
    kinds.discard("")
    if len(kinds) > 1:
        raise RegistryFileError(path, 1, None, "header mixes single years and 5-year bands")
    return (kinds.pop() if kinds else "all"), found


def parse_wide(
    path: Path, rows: CsvRows, age_kind: str, extract_date: date | None
) -> tuple[list[PracticePopulation], int, str]:
    """(records, data rows read, variant) of a wide file; age_kind is the kind asked for."""
    c = find_columns(path, rows.header, columns.WIDE_ID)
    file_kind, ages = _age_columns(path, rows.header)
    if file_kind != age_kind:
        raise RegistryFileError(
            path,
            1,
            None,
            f"this wide file holds {_KIND_NAMES[file_kind]}, not {_KIND_NAMES[age_kind]}",
        )
    i_date = c["EXTRACT_DATE"]
    if i_date is None and extract_date is None:
        raise RegistryFileError(
            path,
            1,
            "EXTRACT_DATE",
            "this layout (before April 2017) has no extract date; pass extract_date= "
            "(the publication's extract date)",
        )
    records: list[PracticePopulation] = []
    seen: dict[str, int] = {}
    n = 0
    for line, row in rows:
        n += 1
        code = cell(row, c["PRACTICE_CODE"]).upper()
        if not code:
            raise RegistryFileError(path, line, "PRACTICE_CODE", "practice code is blank")
        if code in seen:
            first = seen[code]
            raise RegistryFileError(
                path, line, "PRACTICE_CODE", f"duplicate practice {code} (first at line {first})"
            )
        seen[code] = line
        day = extract_date
        if i_date is not None:
            day = date_cell(path, line, "EXTRACT_DATE", row[i_date])
            if day is None or (extract_date is not None and day != extract_date):
                raise RegistryFileError(
                    path, line, "EXTRACT_DATE", f"{row[i_date]!r} is not the file's extract date"
                )
            extract_date = day
        postcode, parent = cell(row, c["POSTCODE"]), cell(row, c["PARENT"])

        rec = partial(PracticePopulation, "GP", code, "", postcode, parent)

        counts = {(sex, age): to_int(path, line, rows.name_of(i), row[i]) for i, sex, age in ages}
        total = to_int(path, line, "TOTAL_ALL", row[c["TOTAL_ALL"]])
        records.append(rec("ALL", "all", "ALL", total, day))
        by_sex = {}
        for sex in ("MALE", "FEMALE"):
            i_total = c[f"TOTAL_{sex}"]
            summed = sum(v for (s, _a), v in counts.items() if s == sex)
            if i_total is None:
                by_sex[sex] = summed if ages else None
                continue
            by_sex[sex] = to_int(path, line, f"TOTAL_{sex}", row[i_total])
            if ages and summed != by_sex[sex]:
                raise RegistryFileError(
                    path, line, f"TOTAL_{sex}", f"{by_sex[sex]} but its ages add up to {summed}"
                )
        if None not in by_sex.values() and sum(by_sex.values()) != total:
            raise RegistryFileError(
                path, line, "TOTAL_ALL", f"{total} but male + female is {sum(by_sex.values())}"
            )
        for sex in ("MALE", "FEMALE"):
            if by_sex[sex] is not None:
                records.append(rec(sex, "all", "ALL", by_sex[sex], day))
            records += [rec(s, file_kind, a, v, day) for (s, a), v in counts.items() if s == sex]
    if not records:
        raise RegistryFileError(path, None, None, "file has a header but no practice rows")
    return records, n, f"wide_{file_kind}"
