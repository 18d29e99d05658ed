"""The NHS England Digital IIF achievement files ("Network Contract DES (MI)").

Columns are found by name through the alias table :data:`COLUMNS`. Two layouts:
- the annual IIF publication (``IIF_indicators_annual_pub_2023_24.csv``): ORGANISATION_TYPE
  ("GP practice" or "PCN"), ORGANISATION_CODE, ORGANISATION_NAME, QUALITY_SERVICE, ACH_DATE,
  IND_CODE, MEASURE, VALUE;
- the monthly MI files (practices only): PRACTICE_CODE, PRACTICE_NAME, QUALITY_SERVICE,
  ACH_DATE, IND_CODE, MEASURE, VALUE, where small counts are suppressed as "*".
ACH_DATE is dd/mm/yyyy; VALUE a non-negative number, or "*": a suppressed measure is kept
in :attr:`AchievementFile.suppressed`, and :func:`indicator_measures` leaves out that
organisation's indicator (it cannot be computed). Organisation-level counts only: no
patient data.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpcn.registry.errors import RegistryFileError
from openpcn.registry.parsers._common import Col, find_columns, norm
from openpcn.rules.iif_schema import YearDefinitions
from openpcn.services.errors import DataFileError

COLUMNS = [
    Col("ORGANISATION_TYPE", ("ORG_TYPE",), required=False),  # absent: a practice-level file
    Col("ORGANISATION_CODE", ("ORG_CODE", "PRACTICE_CODE")),
    Col("ORGANISATION_NAME", ("ORG_NAME", "PRACTICE_NAME"), required=False),
    Col("QUALITY_SERVICE"),
    Col("ACH_DATE", ("ACHIEVEMENT_DATE",)),
    Col("IND_CODE", ("INDICATOR_CODE",)),
    Col("MEASURE", ("MEASURE_DESCRIPTION",)),
    Col("VALUE"),
]
ORG_TYPES = {"GP PRACTICE": "practice", "PCN": "pcn"}
SUPPRESSED = "*"


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
    #: (line, org code, IND_CODE, MEASURE) of each value published as "*"
    suppressed: list[tuple[int, str, str, str]] = field(default_factory=list)

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
    header = next(reader)
    try:
        found = find_columns(path, header, COLUMNS)
    except RegistryFileError as e:
        raise DataFileError(path, e.line, e.field, e.message) from None
    by_practice = norm(header[found["ORGANISATION_CODE"]]) == "PRACTICE_CODE"
    if found["ORGANISATION_TYPE"] is None and not by_practice:
        raise DataFileError(
            path, 1, "ORGANISATION_TYPE", "required column is missing (not a practice-level file)"
        )
    idx = {name: i for name, i in found.items() if i is not None}
    suppressed: list[tuple[int, str, str, str]] = []
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
        get.setdefault("ORGANISATION_NAME", "")
        level = ORG_TYPES.get(get.get("ORGANISATION_TYPE", "GP practice").upper())
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
        if get["VALUE"] == SUPPRESSED:
            suppressed.append((line, code, ind, measure))
            continue
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
    return AchievementFile(path, ach[1], service, rows, suppressed)


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
    hidden = {(org, ind) for _line, org, ind, _m in file.suppressed}
    for ind in definitions.indicators:
        for fc in ind.file_codes:
            for role, name in ind.measures.items():
                by_measure[(fc, name)] = (ind.code, role)
    groups: dict[tuple[str, str], dict] = {}
    first_line: dict[tuple[str, str], int] = {}
    for r in file.rows:
        if (r.org_code, r.ind_code) in hidden:
            continue  # one of its measures was suppressed: the indicator cannot be computed
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
    return (
        cols is not None
        and {"IND_CODE", "MEASURE", "ACH_DATE"} <= cols
        and bool(cols & {"ORGANISATION_CODE", "PRACTICE_CODE", "ORG_CODE"})
    )
