"""Import real extracts: FHIR UK Core R4 (Bundle JSON, NDJSON) and the CSV extract format.

FHIR resources read: Patient (NHS number identifier ``https://fhir.nhs.uk/Id/nhs-number``,
birthDate, gender, UK Core ethnic category extension, ``managingOrganization`` ODS code),
Condition and Observation (SNOMED ``code``; Observation ``valueQuantity``; date from
``onsetDateTime``/``recordedDate``/``effectiveDateTime``/``issued``), MedicationStatement and
MedicationRequest (dm+d ``medicationCodeableConcept``; date from ``authoredOn``/
``effectivePeriod.start``/``effectiveDateTime``; quantity from ``dispenseRequest.quantity``).
References ``Patient/ID`` link records to patients. FHIR XML is not read (convert to JSON).

CSV extract format: a directory with ``patients.csv`` (nhs_number, birth_date, sex, ethnicity,
practice_code, registered_from, registered_to, lsoa, imd_decile, care_home),
``clinical_events.csv`` (nhs_number, code, date, value, unit), ``medication_issues.csv``
(nhs_number, code, date, quantity) and optional ``medication_reviews.csv`` (nhs_number, code,
date, kind). Dates are ISO ``YYYY-MM-DD``.

Every rejected record is counted by reason with its position (file:line or file:entry); no
identifier or clinical value ever appears in a message.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import nhs_number
import pyarrow as pa

from .schema import write_dataset

NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ETHNIC_EXT = "Extension-UKCore-EthnicCategory"
SEX = {"female": "F", "male": "M", "F": "F", "M": "M", "other": "U", "unknown": "U", "U": "U"}


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


class _Builder:
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
        try:
            row["birth_date"] = _date(row.get("birth_date"))
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
                row["date"] = _date(row.get("date"))
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
                p[d] = _date(p.get(d)) if p.get(d) else None
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


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    return date.fromisoformat(str(value)[:10])


def _ref(resource: dict) -> str | None:
    ref = (resource.get("subject") or resource.get("patient") or {}).get("reference", "")
    return ref.split("/")[-1] if ref else None


def _coding(concept: dict | None) -> str | None:
    for c in (concept or {}).get("coding", []):
        if c.get("code"):
            return str(c["code"])
    return None


def _fhir_resource(b: _Builder, res: dict, pos: str) -> None:
    kind = res.get("resourceType")
    if kind == "Patient":
        nhs = next(
            (i.get("value") for i in res.get("identifier", []) if i.get("system") == NHS_SYSTEM),
            None,
        )
        eth = None
        for ext in res.get("extension", []):
            if ETHNIC_EXT in ext.get("url", ""):
                eth = _coding(ext.get("valueCodeableConcept"))
        org = (res.get("generalPractitioner") or [{}])[0].get("identifier", {}).get("value") or (
            res.get("managingOrganization") or {}
        ).get("identifier", {}).get("value")
        row = {
            "nhs_number": nhs,
            "birth_date": res.get("birthDate"),
            "sex": res.get("gender"),
            "ethnicity": eth,
            "practice_code": org,
        }
        b.add_patient(res.get("id") or pos, row, pos)
    elif kind in ("Condition", "Observation"):
        when = (
            res.get("onsetDateTime")
            or res.get("recordedDate")
            or res.get("effectiveDateTime")
            or (res.get("effectivePeriod") or {}).get("start")
            or res.get("issued")
        )
        q = res.get("valueQuantity") or {}
        b.add(
            "clinical_events",
            _ref(res),
            {
                "code": _coding(res.get("code")),
                "date": when,
                "value": q.get("value"),
                "unit": q.get("unit"),
            },
            pos,
        )
    elif kind in ("MedicationStatement", "MedicationRequest"):
        when = (
            res.get("authoredOn")
            or (res.get("effectivePeriod") or {}).get("start")
            or res.get("effectiveDateTime")
            or res.get("dateAsserted")
        )
        qty = ((res.get("dispenseRequest") or {}).get("quantity") or {}).get("value")
        b.add(
            "medication_issues",
            _ref(res),
            {"code": _coding(res.get("medicationCodeableConcept")), "date": when, "quantity": qty},
            pos,
        )
    else:
        b.report.reject(f"unsupported resource type {kind}", pos)


def import_fhir(paths: list[Path], out: Path | None = None) -> tuple[dict, ImportReport]:
    """Read Bundle JSON (``.json``) and NDJSON (``.ndjson``) files; write a dataset if ``out``."""
    b = _Builder()
    resources: list[tuple[dict, str]] = []
    for path in map(Path, paths):
        if path.suffix == ".ndjson":
            for i, line in enumerate(path.read_text().splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    resources.append((json.loads(line), f"{path.name}:{i}"))
                except json.JSONDecodeError:
                    b.report.reject("invalid JSON", f"{path.name}:{i}")
            continue
        try:
            doc = json.loads(path.read_text())
        except json.JSONDecodeError:
            b.report.reject("invalid JSON", f"{path.name}")
            continue
        entries = (
            [e.get("resource", {}) for e in doc.get("entry", [])]
            if doc.get("resourceType") == "Bundle"
            else [doc]
        )
        resources += [(r, f"{path.name}:entry {i}") for i, r in enumerate(entries)]
    # patients first so references resolve regardless of order
    for res, pos in sorted(resources, key=lambda x: x[0].get("resourceType") != "Patient"):
        _fhir_resource(b, res, pos)
    tables = b.tables()
    if out:
        write_dataset(
            out,
            tables,
            {"synthetic": False, "source": "FHIR import", "import_report": b.report.as_dict()},
        )
    return tables, b.report


def import_csv(folder: Path, out: Path | None = None) -> tuple[dict, ImportReport]:
    """Read the CSV extract format from ``folder``; write a dataset if ``out``."""
    folder = Path(folder)
    b = _Builder()
    with (folder / "patients.csv").open(newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), 2):
            b.add_patient(
                str(row.get("nhs_number", "")).replace(" ", ""), dict(row), f"patients.csv:{i}"
            )
    for table in ("clinical_events", "medication_issues", "medication_reviews"):
        path = folder / f"{table}.csv"
        if not path.exists():
            continue
        with path.open(newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh), 2):
                key = str(row.pop("nhs_number", "")).replace(" ", "")
                b.add(table, key, dict(row), f"{table}.csv:{i}")
    tables = b.tables()
    if out:
        write_dataset(
            out,
            tables,
            {"synthetic": False, "source": "CSV import", "import_report": b.report.as_dict()},
        )
    return tables, b.report
