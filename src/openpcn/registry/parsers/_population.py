"""Shared parser for the registered-patient count files of NHS England Digital.

``gp-reg-pat-prac-all.csv`` (practice totals), ``gp-reg-pat-prac-quin-age.csv`` (5-year bands
x sex, every organisation level) and ``gp-reg-pat-prac-sing-age-*.csv`` (single year x sex).
Long layout (April 2017 on), columns found by name through the alias table
:func:`openpcn.registry.parsers.columns.population_long`; required: EXTRACT_DATE, the
organisation code (ORG_CODE, CODE or PRACTICE_CODE), SEX, the age column, NUMBER_OF_PATIENTS.
ORG_TYPE (TYPE in -all) is absent from the per-sex practice files (-sing-age-male/-female):
their rows are practices. as_of = EXTRACT_DATE (every row must carry the same one).
Wide layout (before April 2017): see :mod:`openpcn.registry.parsers._population_wide`.
A second row for the same organisation, sex and age is an error.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import columns
from openpcn.registry.parsers._common import (
    CsvRows,
    ParsedFile,
    date_cell,
    find_columns,
    norm,
    to_int,
)
from openpcn.registry.parsers._population_wide import is_wide, parse_wide
from openpcn.registry.records import PracticePopulation

_ORG_TYPES = {
    "GP": "GP",
    "PRACTICE": "GP",
    "GP_PRACTICE": "GP",
    "PCN": "PCN",
    "SUB_ICB_LOCATION_CODE": "SUB_ICB",
    "SUB_ICB_LOCATION": "SUB_ICB",
    "SUB_ICB": "SUB_ICB",
    "CCG": "CCG",
    "ICB": "ICB",
    "STP": "STP",
    "COMM_REGION": "REGION",
    "REGION": "REGION",
    "NATIONAL": "NATIONAL",
    "ENGLAND": "NATIONAL",
}
_SEXES = {"ALL": "ALL", "PERSONS": "ALL", "FEMALE": "FEMALE", "F": "FEMALE", "MALE": "MALE"}
_SEXES["M"] = "MALE"
QUINARY_BANDS = tuple(f"{a}_{a + 4}" for a in range(0, 95, 5)) + ("95+",)
SINGLE_AGES = tuple(str(a) for a in range(95)) + ("95+",)


def _age(raw: str, age_kind: str) -> tuple[str, str] | None:
    """(age_kind, age) for a raw age cell, or None if it is not valid for the file kind."""
    text = norm(raw)
    if text == "ALL":
        return "all", "ALL"
    if text.endswith("_PLUS"):
        text = text[:-5] + "+"
    if age_kind == "quinary" and text in QUINARY_BANDS:
        return "quinary", text
    if age_kind == "single":
        if text.isdigit():
            text = str(int(text))
        if text in SINGLE_AGES:
            return "single", text
    return None


def parse_population(
    path: Path, kind: str, age_kind: str, extract_date: date | None = None
) -> ParsedFile:
    """age_kind: "all" (AGE must be ALL), "quinary" or "single".

    A wide file (before April 2017: one row per practice, TOTAL_ALL and MALE_/FEMALE_ age
    columns) is read by :mod:`._population_wide`; it has no extract date, so pass
    ``extract_date=``. A long file's EXTRACT_DATE must agree with ``extract_date`` if given.
    """
    rows = CsvRows(path)
    if is_wide(rows.header):
        records, n, variant = parse_wide(path, rows, age_kind, extract_date)
        return _result(kind, path, records, n, [], variant)
    wanted = columns.population_long(age_kind)
    age_col = columns.AGES[age_kind]
    c = find_columns(path, rows.header, wanted)
    i_date, i_type, i_code = c["EXTRACT_DATE"], c["ORG_TYPE"], c["ORG_CODE"]
    i_ons, i_pc, i_par, i_sex = c["ONS_CODE"], c["POSTCODE"], c["PARENT"], c["SEX"]
    i_age, i_n = c[age_col.name], c["NUMBER_OF_PATIENTS"]
    age_name = age_col.name
    types: dict[str, str] = {}
    sexes: dict[str, str] = {}
    ages: dict[str, tuple[str, str]] = {}
    seen: dict[tuple, int] = {}
    records: list[PracticePopulation] = []
    extract_raw, extract = None, None
    warnings: list[str] = []
    n = 0
    for line, row in rows:
        n += 1
        raw_date = row[i_date]
        if raw_date != extract_raw:
            day = date_cell(path, line, "EXTRACT_DATE", raw_date)
            if day is None:
                raise RegistryFileError(path, line, "EXTRACT_DATE", "extract date is blank")
            if extract_date is not None and day != extract_date:
                raise RegistryFileError(
                    path, line, "EXTRACT_DATE", f"{raw_date!r} is not the given {extract_date}"
                )
            if extract is not None and day != extract:
                raise RegistryFileError(
                    path,
                    line,
                    "EXTRACT_DATE",
                    f"{raw_date!r} differs from the file's extract date {extract}",
                )
            extract_raw, extract = raw_date, day
        raw_type = row[i_type] if i_type is not None else "GP"
        org_type = types.get(raw_type)
        if org_type is None:
            org_type = _ORG_TYPES.get(norm(raw_type))
            if org_type is None:
                raise RegistryFileError(
                    path, line, "ORG_TYPE", f"{raw_type!r} is not a known organisation type"
                )
            types[raw_type] = org_type
        raw_sex = row[i_sex] if i_sex is not None else "ALL"
        sex = sexes.get(raw_sex)
        if sex is None:
            sex = _SEXES.get(norm(raw_sex))
            if sex is None:
                raise RegistryFileError(path, line, "SEX", f"{raw_sex!r} is not ALL/FEMALE/MALE")
            sexes[raw_sex] = sex
        raw_age = row[i_age] if i_age is not None else "ALL"
        age = ages.get(raw_age)
        if age is None:
            age = _age(raw_age, age_kind)
            if age is None or (age_kind == "all" and age[0] != "all"):
                expected = {"all": "ALL", "quinary": "a 5-year band", "single": "a single year"}
                raise RegistryFileError(
                    path, line, age_name, f"{raw_age!r} is not ALL or {expected[age_kind]}"
                )
            ages[raw_age] = age
        code = row[i_code].strip().upper()
        if not code:
            raise RegistryFileError(path, line, "ORG_CODE", "organisation code is blank")
        raw_n = row[i_n]
        try:
            count = int(raw_n)
            if count < 0:
                raise ValueError
        except ValueError:
            count = to_int(path, line, "NUMBER_OF_PATIENTS", raw_n)
        key = (org_type, code, sex, age[1])
        if key in seen:
            raise RegistryFileError(
                path,
                line,
                "ORG_CODE",
                f"duplicate row for {org_type} {code} {sex} {age[1]} (first at line {seen[key]})",
            )
        seen[key] = line
        records.append(
            PracticePopulation(
                org_type,
                code,
                row[i_ons].strip() if i_ons is not None else "",
                row[i_pc].strip() if i_pc is not None else "",
                row[i_par].strip() if i_par is not None else "",
                sex,
                age[0],
                age[1],
                count,
                extract,
            )
        )
    if extract is None:
        raise RegistryFileError(path, None, None, "file has a header but no data rows")
    header = {norm(h) for h in rows.header}
    variant = "ccg" if "CCG_CODE" in header else "sub_icb" if i_par is not None else ""
    return _result(kind, path, records, n, warnings, variant)


def _result(kind, path, records, n, warnings, variant) -> ParsedFile:
    counts = {"rows_read": n, "records": len(records)}
    by_type: dict[str, int] = {}
    gp_total = 0
    for r in records:
        by_type[r.org_type] = by_type.get(r.org_type, 0) + 1
        if r.org_type == "GP" and r.sex == "ALL" and r.age_kind == "all":
            gp_total += r.count
    for t, k in sorted(by_type.items()):
        counts[f"rows_{t.lower()}"] = k
    counts["practices"] = len({r.org_code for r in records if r.org_type == "GP"})
    counts["pcns"] = len({r.org_code for r in records if r.org_type == "PCN"})
    counts["practice_patients"] = gp_total
    return ParsedFile(kind, path, records[0].extract_date, records, warnings, counts, variant)
