"""Import real extracts: FHIR UK Core R4 (JSON, NDJSON, XML) and the CSV extract format.

FHIR files: ``.json`` (one resource or a Bundle), ``.ndjson`` (a resource a line), ``.xml`` (one
resource or a Bundle, converted by :mod:`fhir_xml` to the same JSON shape), or directories of
them. Resources read: Patient (NHS number identifier ``https://fhir.nhs.uk/Id/nhs-number``,
birthDate, gender, UK Core ethnic category extension, ``generalPractitioner`` /
``managingOrganization`` ODS code), Condition and Observation (``code``, the SNOMED coding if
several; Observation ``valueQuantity`` value and unit, the UCUM ``code`` before the display
``unit``; each Observation ``component`` - e.g. systolic and diastolic of a blood pressure - is an
event of its own with the parent's date; date from ``onsetDateTime``/``recordedDate``/
``effectiveDateTime``/``effectivePeriod.start``/``issued``), MedicationStatement and
MedicationRequest (dm+d code from ``medicationCodeableConcept`` or from the Medication that
``medicationReference`` points at: contained ``#id``, ``Medication/ID`` or a Bundle ``fullUrl``
anywhere in the same import; date from ``authoredOn``/``effectivePeriod.start``/
``effectiveDateTime``/``dateAsserted``; quantity from ``dispenseRequest.quantity``). References
(``Patient/ID``, absolute URLs ending so, or a Bundle entry's ``fullUrl``) link records to
patients. Every accessor accepts one value or a list of them (XML does not mark arrays).

CSV extract format: a directory with ``patients.csv`` (nhs_number, birth_date, sex, ethnicity,
practice_code, registered_from, registered_to, lsoa, imd_decile, care_home),
``clinical_events.csv`` (nhs_number, code, date, value, unit), ``medication_issues.csv``
(nhs_number, code, date, quantity) and optional ``medication_reviews.csv`` (nhs_number, code,
date, kind). Dates are ISO ``YYYY-MM-DD``.

Every rejected record is counted by reason with its position (``file:line``, ``file:entry N``
- N counts resources in the file from 0 - or ``file:line N`` for unreadable XML); no identifier
or clinical value ever appears in a message.
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

from .fhir_xml import FhirXmlError, parse_resource
from .schema import write_dataset

NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
SNOMED_SYSTEM = "http://snomed.info/sct"
DMD_SYSTEM = "https://dmd.nhs.uk"
UCUM_SYSTEM = "http://unitsofmeasure.org"
FHIR_SUFFIXES = (".json", ".ndjson", ".xml")
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
        if key in self.patients:
            return self.report.reject("patient: duplicate resource id", pos)
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
    if not isinstance(value, str):
        raise ValueError("not a date string")
    return date.fromisoformat(value[:10])


# JSON written by hand and FHIR XML (where arrays are not marked) may give one where FHIR has
# many, or many where the importer wants one: every accessor goes through these two.
def _many(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _one(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _get(obj, *keys):
    """``obj[k1][k2]...`` taking the first of any list on the way; None if absent."""
    for key in keys:
        obj = _one(obj)
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return _one(obj)


def _coding(concept, prefer: str | None = None) -> str | None:
    """The code of a CodeableConcept: the first coding in system ``prefer``, else the first."""
    codes = [c for c in _many(_get(concept, "coding")) if isinstance(c, dict) and c.get("code")]
    for c in codes:
        if prefer and _one(c.get("system")) == prefer:
            return str(_one(c["code"]))
    return str(_one(codes[0]["code"])) if codes else None


def _unit(quantity) -> str | None:
    if _get(quantity, "system") == UCUM_SYSTEM and _get(quantity, "code"):
        return _get(quantity, "code")
    return _get(quantity, "unit") or _get(quantity, "code")


def _first(res: dict, *paths: str):
    for path in paths:
        value = _get(res, *path.split("."))
        if value not in (None, ""):
            return value
    return None


class _Refs:
    """Patients and Medications by every name a reference may use (id, type/id, fullUrl)."""

    def __init__(self):
        self.patients: dict[str, str] = {}  # reference -> patient key
        self.medications: dict[str, dict] = {}

    def add(self, res: dict, full_url: str | None, key: str) -> None:
        kind, rid = res.get("resourceType"), _one(res.get("id"))
        names = [n for n in (full_url, f"{kind}/{rid}" if rid else None) if n]
        for n in names:
            if kind == "Patient":
                self.patients[n] = key
            elif kind == "Medication":
                self.medications[n] = res

    @staticmethod
    def _tail(ref: str) -> str:
        parts = ref.rstrip("/").split("/")
        return "/".join(parts[-2:]) if len(parts) >= 2 else ref

    def patient(self, res: dict) -> str | None:
        ref = _get(res, "subject", "reference") or _get(res, "patient", "reference")
        if not ref:
            return None
        return self.patients.get(ref) or self.patients.get(self._tail(ref)) or ref

    def medication_code(self, res: dict) -> str | None:
        code = _coding(res.get("medicationCodeableConcept"), DMD_SYSTEM)
        ref = _get(res, "medicationReference", "reference")
        if code or not ref:
            return code
        if ref.startswith("#"):
            med = next(
                (
                    c
                    for c in _many(res.get("contained"))
                    if isinstance(c, dict) and _one(c.get("id")) == ref[1:]
                ),
                None,
            )
        else:
            med = self.medications.get(ref) or self.medications.get(self._tail(ref))
        return _coding(med.get("code"), DMD_SYSTEM) if med else None


def _fhir_resource(b: _Builder, refs: _Refs, res: dict, key: str, pos: str) -> None:
    kind = res.get("resourceType")
    if kind == "Patient":
        nhs = next(
            (
                _one(i.get("value"))
                for i in _many(res.get("identifier"))
                if isinstance(i, dict) and _one(i.get("system")) == NHS_SYSTEM
            ),
            None,
        )
        eth = None
        for ext in _many(res.get("extension")):
            if isinstance(ext, dict) and ETHNIC_EXT in str(ext.get("url", "")):
                eth = _coding(ext.get("valueCodeableConcept"))
        org = _first(
            res, "generalPractitioner.identifier.value", "managingOrganization.identifier.value"
        )
        row = {
            "nhs_number": nhs,
            "birth_date": _one(res.get("birthDate")),
            "sex": _one(res.get("gender")),
            "ethnicity": eth,
            "practice_code": org,
        }
        b.add_patient(key, row, pos)
    elif kind in ("Condition", "Observation"):
        when = _first(
            res,
            "onsetDateTime",
            "recordedDate",
            "effectiveDateTime",
            "effectivePeriod.start",
            "effectiveInstant",
            "issued",
        )
        patient = refs.patient(res)
        b.add(
            "clinical_events",
            patient,
            {
                "code": _coding(res.get("code"), SNOMED_SYSTEM),
                "date": when,
                "value": _get(res, "valueQuantity", "value"),
                "unit": _unit(res.get("valueQuantity")),
            },
            pos,
        )
        # panel components (e.g. systolic/diastolic of a blood pressure) as their own events
        for i, comp in enumerate(_many(res.get("component"))):
            b.add(
                "clinical_events",
                patient,
                {
                    "code": _coding(_get(comp, "code"), SNOMED_SYSTEM),
                    "date": when,
                    "value": _get(comp, "valueQuantity", "value"),
                    "unit": _unit(_get(comp, "valueQuantity")),
                },
                f"{pos} component {i}",
            )
    elif kind in ("MedicationStatement", "MedicationRequest"):
        when = _first(
            res, "authoredOn", "effectivePeriod.start", "effectiveDateTime", "dateAsserted"
        )
        code = refs.medication_code(res)
        if code is None and _get(res, "medicationReference", "reference"):
            b.report.reject("medication_issues: unresolved medication reference", pos)
            return
        b.add(
            "medication_issues",
            refs.patient(res),
            {
                "code": code,
                "date": when,
                "quantity": _get(res, "dispenseRequest", "quantity", "value"),
            },
            pos,
        )
    elif kind == "Medication":
        b.report.accepted["medications (reference targets)"] += 1
    else:
        b.report.reject(f"unsupported resource type {kind}", pos)


def _fhir_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """Files to read with the name used in positions (relative to a given directory)."""
    out = []
    for path in map(Path, paths):
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_file() and f.suffix.lower() in FHIR_SUFFIXES:
                    out.append((f, f.relative_to(path).as_posix()))
        else:
            out.append((path, path.name))
    return out


def _read_fhir(path: Path, name: str, report: ImportReport) -> list[tuple[dict, str | None, str]]:
    """``(resource, fullUrl, position)`` for every resource in one file."""
    suffix = path.suffix.lower()
    if suffix == ".ndjson":
        out = []
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError:
                report.reject("invalid JSON", f"{name}:{i}")
                continue
            if not isinstance(doc, dict):
                report.reject("invalid JSON: not a FHIR resource", f"{name}:{i}")
                continue
            out.append((doc, None, f"{name}:{i}"))
        return out
    if suffix == ".xml":
        try:
            doc = parse_resource(path.read_bytes(), name)
        except FhirXmlError as exc:
            report.reject(exc.reason, exc.position)
            return []
    else:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            report.reject("invalid JSON", name)
            return []
        if not isinstance(doc, dict) or "resourceType" not in doc:
            report.reject("invalid JSON: not a FHIR resource", name)
            return []
    if doc.get("resourceType") != "Bundle":
        return [(doc, None, f"{name}:entry 0")]
    out = []
    for i, entry in enumerate(_many(doc.get("entry"))):
        res = _get(entry, "resource")
        if not isinstance(res, dict):
            report.reject("bundle entry without a resource", f"{name}:entry {i}")
            continue
        out.append((res, _get(entry, "fullUrl"), f"{name}:entry {i}"))
    return out


def import_fhir(paths: list[Path], out: Path | None = None) -> tuple[dict, ImportReport]:
    """Read FHIR R4 files and directories of them; write a dataset if ``out``.

    ``.json`` (a resource or a Bundle), ``.ndjson`` (one resource a line) and ``.xml`` (a
    resource or a Bundle, see :mod:`fhir_xml`); a directory is read for those suffixes.
    """
    b = _Builder()
    refs = _Refs()
    resources: list[tuple[dict, str, str]] = []  # (resource, key, position)
    for path, name in _fhir_files(paths):
        for res, full_url, pos in _read_fhir(path, name, b.report):
            key = f"{res.get('resourceType')}/{_one(res.get('id')) or pos}"
            refs.add(res, full_url, key)
            resources.append((res, key, pos))
    # patients first so references resolve regardless of order
    for res, key, pos in sorted(resources, key=lambda x: x[0].get("resourceType") != "Patient"):
        _fhir_resource(b, refs, res, key, pos)
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
