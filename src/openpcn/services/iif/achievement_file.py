"""The NHS England Digital IIF achievement file (``IIF_indicators_annual_pub_2023_24.csv``).

Columns (found by name): ORGANISATION_TYPE ("GP practice" or "PCN"), ORGANISATION_CODE,
ORGANISATION_NAME, QUALITY_SERVICE, ACH_DATE (dd/mm/yyyy), IND_CODE, MEASURE, VALUE (a
non-negative number). Organisation-level counts only: no patient data.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpcn.rules.iif_schema import YearDefinitions
from openpcn.services.errors import DataFileError

COLUMNS = (
    "ORGANISATION_TYPE",
    "ORGANISATION_CODE",
    "ORGANISATION_NAME",
    "QUALITY_SERVICE",
    "ACH_DATE",
    "IND_CODE",
    "MEASURE",
    "VALUE",
)
ORG_TYPES = {"GP PRACTICE": "practice", "PCN": "pcn"}


@dataclass(frozen=True, slots=True)
class MeasureRow:
    line: int
    level: str  # practice / pcn
    org_code: str
    org_name: str
    ind_code: str
    measure: str
    value: Decimal


@dataclass
class AchievementFile:
    path: Path
    achievement_date: date
    service: str
    rows: list[MeasureRow]

    def names(self) -> dict[str, str]:
        return {r.org_code: r.org_name for r in self.rows}


def parse_achievement_file(path: str | Path) -> AchievementFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataFileError(path, None, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(path, None, None, f"not UTF-8 text ({exc.reason})") from None
    if not text.strip():
        raise DataFileError(path, None, None, "file is empty")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().upper() for h in next(reader)]
    idx = {}
    for col in COLUMNS:
        if col not in header:
            raise DataFileError(path, 1, col, "required column is missing or renamed")
        idx[col] = header.index(col)
    rows: list[MeasureRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    ach: tuple[str, date] | None = None
    service = ""
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise DataFileError(path, line, None, f"{len(row)} fields, header has {len(header)}")
        get = {c: row[i].strip() for c, i in idx.items()}
        level = ORG_TYPES.get(get["ORGANISATION_TYPE"].upper())
        if level is None:
            raise DataFileError(
                path,
                line,
                "ORGANISATION_TYPE",
                f"{get['ORGANISATION_TYPE']!r} is not 'GP practice' or 'PCN'",
            )
        code = get["ORGANISATION_CODE"].upper()
        if not code:
            raise DataFileError(path, line, "ORGANISATION_CODE", "organisation code is blank")
        if ach is None or get["ACH_DATE"] != ach[0]:
            try:
                day = datetime.strptime(get["ACH_DATE"], "%d/%m/%Y").date()
            except ValueError:
                raise DataFileError(
                    path, line, "ACH_DATE", f"{get['ACH_DATE']!r} is not a date like 31/03/2024"
                ) from None
            if ach is not None:
                raise DataFileError(
                    path, line, "ACH_DATE", f"{day} differs from the file's date {ach[1]}"
                )
            ach = (get["ACH_DATE"], day)
        service = service or get["QUALITY_SERVICE"]
        ind, measure = get["IND_CODE"], get["MEASURE"]
        if not ind:
            raise DataFileError(path, line, "IND_CODE", "indicator code is blank")
        if not measure:
            raise DataFileError(path, line, "MEASURE", "measure is blank")
        try:
            value = Decimal(get["VALUE"])
        except InvalidOperation:
            raise DataFileError(path, line, "VALUE", f"{get['VALUE']!r} is not a number") from None
        if not value.is_finite() or value < 0:
            raise DataFileError(path, line, "VALUE", f"{get['VALUE']!r} is not a count >= 0")
        key = (code, ind, measure)
        if key in seen:
            raise DataFileError(
                path, line, "MEASURE", f"{measure!r} for {code} repeats line {seen[key]}"
            )
        seen[key] = line
        rows.append(MeasureRow(line, level, code, get["ORGANISATION_NAME"], ind, measure, value))
    if ach is None:
        raise DataFileError(path, None, None, "file has a header but no rows")
    return AchievementFile(path, ach[1], service, rows)


@dataclass(frozen=True)
class OrgMeasures:
    """One organisation's measures for one indicator, by role (numerator, denominator, ...)."""

    level: str
    org_code: str
    indicator: str
    values: dict[str, Decimal]


def indicator_measures(file: AchievementFile, definitions: YearDefinitions) -> list[OrgMeasures]:
    """Group the file's rows per organisation and indicator, by measure role.

    An organisation with some but not all of an indicator's measures is an error naming the
    missing measure; measures the definitions do not know are an error too (the file and the
    year's definitions disagree).
    """
    if file.achievement_date not in _fy(definitions):
        raise DataFileError(
            file.path,
            None,
            "ACH_DATE",
            f"achievement date {file.achievement_date} is not in {definitions.year}",
        )
    by_measure: dict[tuple[str, str], tuple[str, str]] = {}
    for ind in definitions.indicators:
        for fc in ind.file_codes:
            for role, name in ind.measures.items():
                by_measure[(fc, name)] = (ind.code, role)
    groups: dict[tuple[str, str], dict] = {}
    first_line: dict[tuple[str, str], int] = {}
    for r in file.rows:
        hit = by_measure.get((r.ind_code, r.measure))
        if hit is None:
            raise DataFileError(
                file.path,
                r.line,
                "MEASURE",
                f"{r.measure!r} of {r.ind_code} is not in the {definitions.year} IIF definitions",
            )
        code, role = hit
        key = (r.org_code, code)
        groups.setdefault(key, {"level": r.level, "values": {}})["values"][role] = r.value
        first_line.setdefault(key, r.line)
    out = []
    for (org, code), g in groups.items():
        ind = definitions.indicator(code)
        missing = [name for role, name in ind.measures.items() if role not in g["values"]]
        if missing:
            raise DataFileError(
                file.path,
                first_line[(org, code)],
                "MEASURE",
                f"{org} has {code} but no {missing[0]!r} measure",
            )
        out.append(OrgMeasures(g["level"], org, code, g["values"]))
    return out


def _fy(definitions: YearDefinitions):
    from openpcn.core.fyear import FinancialYear

    return FinancialYear.parse(definitions.year)


def detect(path: str | Path) -> bool:
    """True if the content looks like an IIF achievement file (the name is ignored)."""
    from openpcn.core.sniff import header_columns

    cols = header_columns(path)
    return cols is not None and {"IND_CODE", "MEASURE", "ACH_DATE", "ORGANISATION_CODE"} <= cols
