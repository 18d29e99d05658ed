"""Pure parsers for the NHS registry files, and detection of a file's type by its content.

Use::

    from openpcn.registry.parsers import detect, detect_with_reason, parse
    kind = detect(path)              # 'gp_reg_map', ... or None
    parsed = parse(path)             # ParsedFile; raises RegistryFileError on bad input

Detection reads the content only (header names, first row shape, workbook sheet names),
never the file name, and is deliberately lenient: a file that is clearly of one kind but has
a missing or renamed column is detected as that kind, so that parsing it gives an error that
names the field.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers import (
    gp_reg_all,
    gp_reg_lsoa,
    gp_reg_map,
    gp_reg_quin_age,
    gp_reg_sing_age,
    iod_file1,
    nhse_des_population,
    nhse_des_workbook,
    ods_epcn,
    ods_epcn_csv,
    ods_epraccur,
    ods_etr,
    ons_imd_lookup,
)
from openpcn.registry.parsers._common import ParsedFile, norm
from openpcn.registry.parsers._population_wide import wide_kind

__all__ = [
    "IMPORT_ORDER",
    "KINDS",
    "ParsedFile",
    "RegistryFileError",
    "detect",
    "detect_with_reason",
    "parse",
]

PARSERS: dict[str, Callable[[Path], ParsedFile]] = {
    ods_epraccur.KIND: ods_epraccur.parse,
    ods_epcn.KIND: ods_epcn.parse,
    ods_epcn_csv.KIND: ods_epcn_csv.parse,
    gp_reg_map.KIND: gp_reg_map.parse,
    gp_reg_all.KIND: gp_reg_all.parse,
    gp_reg_quin_age.KIND: gp_reg_quin_age.parse,
    gp_reg_sing_age.KIND: gp_reg_sing_age.parse,
    nhse_des_population.KIND: nhse_des_workbook.parse,  # the workbook or its CSV copy
    gp_reg_lsoa.KIND: gp_reg_lsoa.parse,
    ods_etr.KIND: ods_etr.parse,
    iod_file1.KIND: iod_file1.parse,
    ons_imd_lookup.KIND: ons_imd_lookup.parse,
}
#: every kind, in dependency order for importing a directory: organisations first
#: (epraccur practices, ePCN PCNs), then memberships (maps), then counts.
KINDS: tuple[str, ...] = tuple(PARSERS)
IMPORT_ORDER = KINDS

_HEAD_BYTES = 256 * 1024
_BY_AGE = {"all": gp_reg_all.KIND, "quinary": gp_reg_quin_age.KIND, "single": gp_reg_sing_age.KIND}
_SAMPLE_ROWS = 400


def parse(path: str | Path, kind: str | None = None, **options) -> ParsedFile:
    """Parse a file of the given kind (detected from its content when not given).

    options go to the kind's parser: ``financial_year=`` for nhse_des_population,
    ``extract_date=`` for the registered-patient files whose layout has no extract date.
    """
    path = Path(path)
    if kind is None:
        kind, reason = detect_with_reason(path)
        if kind is None:
            raise RegistryFileError(path, None, None, f"unknown file type: {reason}")
    if kind not in PARSERS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    return PARSERS[kind](path, **options)


def detect(path: str | Path) -> str | None:
    """The file's kind, or None if it is not a registry file (see detect_with_reason)."""
    return detect_with_reason(path)[0]


def detect_with_reason(path: str | Path) -> tuple[str | None, str]:
    """(kind or None, reason): why the file is, or is not, of a known kind."""
    path = Path(path)
    if not path.is_file():
        return None, "not a file"
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    if not head.strip():
        return None, "empty file"
    if head[:4] == b"PK\x03\x04":
        return _detect_zip(path)
    if b"\x00" in head:
        return None, "binary file, not CSV text or an xlsx workbook"
    if len(head) == _HEAD_BYTES and b"\n" in head:
        head = head[: head.rindex(b"\n")]
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            return None, "binary file, not CSV text or an xlsx workbook"
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    except csv.Error as exc:
        return None, f"not readable as CSV ({exc})"
    if not rows:
        return None, "empty file"
    return _detect_csv(rows)


def _detect_zip(path: Path) -> tuple[str | None, str]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except zipfile.BadZipFile:
        return None, "damaged zip/xlsx file"
    if "xl/workbook.xml" not in names:
        return None, f"zip archive of {len(names)} file(s): unzip it first"
    try:
        wb = ods_epcn.open_workbook(path)
    except RegistryFileError as exc:
        return None, exc.message
    try:
        sheets = list(wb.sheetnames)
        pcn, partner = ods_epcn.sheet_kinds(sheets)
        imd = None if (pcn or partner) else iod_file1.find_sheet(wb)
        des = None if (pcn or partner or imd) else nhse_des_workbook.find_sheet(wb)
    finally:
        wb.close()
    if pcn or partner:
        return ods_epcn.KIND, f"xlsx with ePCN sheet(s) {', '.join(s for s in (pcn, partner) if s)}"
    if imd:
        return iod_file1.KIND, f"xlsx sheet {imd} with LSOA codes and IMD ranks (IoD File 1)"
    if des:
        return nhse_des_population.KIND, f"xlsx sheet {des[0]} with practice adjusted populations"
    return (
        None,
        f"xlsx workbook without ePCN, IMD or DES population sheets (has: {', '.join(sheets)})",
    )


def _detect_csv(rows: list[list[str]]) -> tuple[str | None, str]:
    first = rows[0]
    header = {norm(h) for h in first}
    if ods_epraccur.looks_like(first):
        return ods_epraccur.KIND, "headerless rows of 26+ columns with ODS code, date and status"
    if ods_etr.looks_like(first):
        return ods_etr.KIND, "headerless rows of 26+ columns with ODS code, open date, no status"
    if ods_epcn_csv.looks_like(first):
        return ods_epcn_csv.KIND, "ODS ePCN report (epcn or core partners): PCN codes, dates"
    if ons_imd_lookup.looks_like(header):
        return ons_imd_lookup.KIND, "LSOA, local authority and IMD rank columns (IMD lookup)"
    if nhse_des_population.looks_like(header) or (
        any(h.startswith("RAW_LIST_SIZE") for h in header) and "PCN_CODE" in header
    ):
        return nhse_des_population.KIND, "practice code with raw list size / adjusted population"
    nhsd = bool(header & {"PUBLICATION", "NUMBER_OF_PATIENTS"}) or (
        len(rows) > 1 and norm(rows[1][0]) == "GP_PRAC_PAT_LIST"
    )
    if gp_reg_lsoa.looks_like(header):
        return gp_reg_lsoa.KIND, "registered patients by practice and LSOA"
    if "PRACTICE_CODE" in header and any(h.startswith("PCN_") for h in header):
        return gp_reg_map.KIND, "PRACTICE_CODE and PCN_CODE columns (practice to PCN map)"
    if gp_reg_map.looks_like(header) and "NUMBER_OF_PATIENTS" not in header:
        return gp_reg_map.KIND, "practice map from before the PCNs (PRACTICE_CODE, CCG_CODE)"
    wide = wide_kind(first)
    if wide is not None:
        return _BY_AGE[wide], "registered patients, one row per practice (before April 2017)"
    if not nhsd:
        shown = ", ".join(h for h in (norm(c)[:40] for c in first[:8]) if h)
        return None, f"CSV header not recognised (columns: {shown})"
    if header & {"AGE_GROUP_5", "AGE_GROUP", "AGE_BAND"}:
        return gp_reg_quin_age.KIND, "registered patients by 5-year age group"
    if "AGE" in header:
        i_age = [norm(h) for h in first].index("AGE")
        ages = {norm(r[i_age]) for r in rows[1:_SAMPLE_ROWS] if len(r) > i_age}
        if ages - {"ALL", ""}:
            return gp_reg_sing_age.KIND, "registered patients by single year of age"
        return gp_reg_all.KIND, "registered patients, totals only (AGE ALL)"
    if header & {"CODE", "ORG_CODE", "TYPE", "ORG_TYPE"}:
        return gp_reg_all.KIND, "registered patients file without an age column"
    return None, "NHS registered-patients style file of an unknown layout"
