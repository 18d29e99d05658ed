"""Code lists read at run time from ``$OPENPCN_DATA`` (never copied into the repository).

A definition names a list as ``{file: "SOURCE/NAME"}``; sources map to folders:

=========  =========================================  ======================
prefix     folder under $OPENPCN_DATA                 file
=========  =========================================  ======================
efi        gm-sde-efi                                 efi-NAME.snomed.txt
pincer     opensafely-pincer-measures                 pincer-NAME.csv
medrev     opensafely-medication-reviews              NAME.csv
aurum      pharmacoepi-cprd-aurum-codelists           NAME.tsv
=========  =========================================  ======================

The code column is the first of ``code, id, dmd_id, dmdid, snomed_id, snomedcode`` present
(SNOMED ``.txt`` files: first tab-separated field). A list may also be ``{codes: [...]}`` inline
(used for a handful of single SNOMED concepts such as frailty diagnoses; ``term:`` gives their
words) or
``{union: [name, ...]}`` of other lists in the same definition. A file holding several lists
in one table takes ``column: NAME`` (the code column) and ``where: {COLUMN: [VALUE, ...]}``
(keep rows whose COLUMN is one of the values), e.g. one condition of the CPRD Aurum
Charlson/Elixhauser tables.
"""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

SOURCES = {
    "efi": ("gm-sde-efi", "efi-{}.snomed.txt"),
    "pincer": ("opensafely-pincer-measures", "pincer-{}.csv"),
    "medrev": ("opensafely-medication-reviews", "{}.csv"),
    "aurum": ("pharmacoepi-cprd-aurum-codelists", "{}.tsv"),
}
CODE_COLUMNS = ("code", "id", "dmd_id", "dmdid", "snomed_id", "snomedcode")


class CodelistError(ValueError):
    pass


def data_dir() -> Path:
    value = os.environ.get("OPENPCN_DATA")
    if not value:
        raise CodelistError("OPENPCN_DATA is not set: it must point at the shared raw data folder")
    return Path(value)


def codelist_path(ref: str) -> Path:
    try:
        prefix, name = ref.split("/", 1)
        folder, pattern = SOURCES[prefix]
    except (ValueError, KeyError):
        raise CodelistError(f"code list {ref!r}: expected one of {sorted(SOURCES)}/NAME") from None
    return data_dir() / folder / pattern.format(name)


@lru_cache(maxsize=512)
def read_codelist(ref: str, column: str | None = None, where: tuple = ()) -> frozenset[str]:
    """The set of codes in one code list file (``where``: ((column, (values...)), ...))."""
    path = codelist_path(ref)
    if not path.exists():
        raise CodelistError(f"{path}: code list file not found (set OPENPCN_DATA)")
    if path.suffix == ".txt" and column is None and not where:
        with path.open(encoding="utf-8") as fh:
            codes = {line.split("\t", 1)[0].strip() for line in fh if line.strip()}
        return frozenset(c for c in codes if c)
    delimiter = "\t" if path.suffix == ".tsv" else ","
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        fields = reader.fieldnames or []
        column = column or next((c for c in CODE_COLUMNS if c in fields), None)
        if column is None or column not in fields:
            raise CodelistError(f"{path}: line 1: no code column {column or CODE_COLUMNS}")
        for col, _values in where:
            if col not in fields:
                raise CodelistError(f"{path}: line 1: no column {col!r} to filter on")
        codes = frozenset(
            (row[column] or "").strip()
            for row in reader
            if (row[column] or "").strip() and all(row[c] in v for c, v in where)
        )
        if where and not codes:
            raise CodelistError(f"{path}: no row matches {dict(where)}")
        return codes


TERM_COLUMNS = ("term", "description", "Description", "fully_specified_name", "name")


@lru_cache(maxsize=512)
def read_terms(ref: str, column: str | None = None) -> dict[str, str]:
    """Code -> the term the list's publisher gives it (empty when the file has no terms)."""
    path = codelist_path(ref)
    if not path.exists():
        return {}
    terms: dict[str, str] = {}
    if path.suffix == ".txt":
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) > 1 and parts[0].strip():
                    terms.setdefault(parts[0].strip(), parts[1].strip())
        return terms
    delimiter = "\t" if path.suffix == ".tsv" else ","
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        fields = reader.fieldnames or []
        code_col = column or next((c for c in CODE_COLUMNS if c in fields), None)
        term_col = next((c for c in TERM_COLUMNS if c in fields), None)
        if code_col is None or term_col is None:
            return {}
        for row in reader:
            code = (row.get(code_col) or "").strip()
            if code and row.get(term_col):
                terms.setdefault(code, row[term_col].strip())
    return terms


def terms_of(lists: dict[str, dict]) -> dict[str, str]:
    """Every code of a definition's file-based lists with its term."""
    out: dict[str, str] = {}
    for spec in lists.values():
        if "codes" in spec and spec.get("term"):
            for code in spec["codes"]:
                out.setdefault(str(code), str(spec["term"]))
        if "file" in spec:
            for code, term in read_terms(spec["file"], spec.get("column")).items():
                out.setdefault(code, term)
    return out


def resolve(spec: dict, lists: dict[str, dict], name: str, _seen: tuple = ()) -> frozenset[str]:
    """Resolve one named list of a definition to its codes."""
    if name in _seen:
        raise CodelistError(f"code list {name!r}: circular union")
    if "file" in spec:
        where = tuple(
            (col, tuple(str(v) for v in (vals if isinstance(vals, list) else [vals])))
            for col, vals in sorted((spec.get("where") or {}).items())
        )
        return read_codelist(spec["file"], spec.get("column"), where)
    if "codes" in spec:
        return frozenset(str(c) for c in spec["codes"])
    if "union" in spec:
        out: set[str] = set()
        for other in spec["union"]:
            if other not in lists:
                raise CodelistError(f"code list {name!r}: unknown list {other!r} in union")
            out |= resolve(lists[other], lists, other, (*_seen, name))
        return frozenset(out)
    raise CodelistError(f"code list {name!r}: needs file, codes or union")
