"""The rows an import builds: patients keyed by NHS number or FHIR id, their events,
medications and reviews, and the report of what was accepted and rejected (counts and
positions only: no identifier or clinical value is ever in it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import nhs_number
import pyarrow as pa

SEX = {"female": "F", "male": "M", "F": "F", "M": "M", "other": "U", "unknown": "U", "U": "U"}


def parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError("not a date string")
    return date.fromisoformat(value[:10])


# JSON written by hand and FHIR XML (where arrays are not marked) may give one where FHIR has
# many, or many where the importer wants one: every accessor goes through these two.
def many(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass
class ImportReport:
    accepted: Counter = field(default_factory=Counter)
    rejected: Counter = field(default_factory=Counter)  # reason -> count
    positions: dict[str, list[str]] = field(default_factory=dict)  # reason -> positions

    def reject(self, reason: str, position: str) -> None:
        self.rejected[reason] += 1
        self.positions.setdefault(reason, []).append(position)

    def as_dict(self) -> dict:
        return {
            "accepted": dict(self.accepted),
            "rejected": dict(self.rejected),
            "positions": self.positions,
        }


class RowBuilder:
    def __init__(self):
        self.report = ImportReport()
        self.patients: dict[str, dict] = {}  # key -> row
        self.by_nhs: dict[str, int] = {}
        self.pending: list[tuple[str, str, dict, str]] = []  # (table, patient key, row, position)

    def add_patient(self, key: str, row: dict, pos: str) -> None:
        nhs = str(row.get("nhs_number") or "").replace(" ", "")
        if not nhs:
            return self.report.reject("patient: missing NHS number", pos)
        if not nhs_number.is_valid(nhs):
            return self.report.reject("patient: invalid NHS number", pos)
        if nhs in self.by_nhs:
            return self.report.reject("patient: duplicate NHS number", pos)
        if key in self.patients:
            return self.report.reject("patient: duplicate resource id", pos)
        try:
            row["birth_date"] = parse_date(row.get("birth_date"))
        except ValueError:
            return self.report.reject("patient: invalid birth date", pos)
        if row["birth_date"] is None:
            return self.report.reject("patient: missing birth date", pos)
        row["sex"] = SEX.get(str(row.get("sex") or "unknown"), "U")
        row["nhs_number"] = nhs
        pid = len(self.patients) + 1
        row["patient_id"] = pid
        self.patients[key] = row
        self.by_nhs[nhs] = pid
        self.report.accepted["patients"] += 1

    def add(self, table: str, key: str, row: dict, pos: str) -> None:
        self.pending.append((table, key, row, pos))

    def tables(self) -> dict[str, pa.Table]:
        rows: dict[str, list] = {
            "clinical_events": [],
            "medication_issues": [],
            "medication_reviews": [],
        }
        for table, key, row, pos in self.pending:
            pat = self.patients.get(key)
            if pat is None:
                self.report.reject(f"{table}: unknown or rejected patient", pos)
                continue
            if not row.get("code"):
                self.report.reject(f"{table}: missing code", pos)
                continue
            try:
                row["date"] = parse_date(row.get("date"))
            except ValueError:
                self.report.reject(f"{table}: invalid date", pos)
                continue
            if row["date"] is None:
                self.report.reject(f"{table}: missing date", pos)
                continue
            for num in ("value", "quantity"):
                if row.get(num) in ("", None):
                    row[num] = None
                elif num in row:
                    try:
                        row[num] = float(row[num])
                    except (TypeError, ValueError):
                        row[num] = "bad"
            if "bad" in (row.get("value"), row.get("quantity")):
                self.report.reject(f"{table}: non-numeric value", pos)
                continue
            row["patient_id"] = pat["patient_id"]
            row["code"] = str(row["code"])
            rows[table].append(row)
            self.report.accepted[table] += 1
        pats = []
        for p in self.patients.values():
            p.setdefault("care_home", False)
            p["care_home"] = str(p.get("care_home")).lower() in ("true", "1", "yes")
            for d in ("registered_from", "registered_to"):
                p[d] = parse_date(p.get(d)) if p.get(d) else None
            p["imd_decile"] = int(p["imd_decile"]) if p.get("imd_decile") else None
            pats.append(p)
        from .schema import SCHEMAS

        out = {}
        for name, data in [("patients", pats), *rows.items()]:
            schema = SCHEMAS[name]
            out[name] = pa.Table.from_pylist(
                [{k: r.get(k) for k in schema.names} for r in data], schema=schema
            )
        return out
