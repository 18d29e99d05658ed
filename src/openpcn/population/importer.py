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
from pathlib import Path

import pyarrow.compute as pc

from .fhir_resources import References, add_resource, get_path, one
from .fhir_xml import FhirXmlError, parse_resource
from .import_rows import ImportReport, RowBuilder, many
from .schema import write_dataset

NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
SNOMED_SYSTEM = "http://snomed.info/sct"
DMD_SYSTEM = "https://dmd.nhs.uk"
UCUM_SYSTEM = "http://unitsofmeasure.org"
FHIR_SUFFIXES = (".json", ".ndjson", ".xml")
ETHNIC_EXT = "Extension-UKCore-EthnicCategory"
SEX = {"female": "F", "male": "M", "F": "F", "M": "M", "other": "U", "unknown": "U", "U": "U"}


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
    for i, entry in enumerate(many(doc.get("entry"))):
        res = get_path(entry, "resource")
        if not isinstance(res, dict):
            report.reject("bundle entry without a resource", f"{name}:entry {i}")
            continue
        out.append((res, get_path(entry, "fullUrl"), f"{name}:entry {i}"))
    return out


def extract_metadata(tables: dict, source: str, report: ImportReport) -> dict:
    """What a dataset written from an extract says about itself: not synthetic, its source,
    the number of patients, and the extract's date (its newest record, never after today),
    the date its cohorts are worked out as at until a later day asks."""
    from datetime import date

    newest = None
    for name, column in (
        ("clinical_events", "date"),
        ("medication_issues", "date"),
        ("medication_reviews", "date"),
    ):
        table = tables.get(name)
        if table is not None and table.num_rows and column in table.column_names:
            top = pc.max(table[column]).as_py()
            newest = top if newest is None or (top and top > newest) else newest
    today = date.today()
    index = min(newest, today) if newest else today
    patients = tables.get("patients")
    return {
        "synthetic": False,
        "source": source,
        "patients": patients.num_rows if patients is not None else 0,
        "index_date": index.isoformat(),
        "import_report": report.as_dict(),
    }


def import_fhir(paths: list[Path], out: Path | None = None) -> tuple[dict, ImportReport]:
    """Read FHIR R4 files and directories of them; write a dataset if ``out``.

    ``.json`` (a resource or a Bundle), ``.ndjson`` (one resource a line) and ``.xml`` (a
    resource or a Bundle, see :mod:`fhir_xml`); a directory is read for those suffixes.
    """
    b = RowBuilder()
    refs = References()
    resources: list[tuple[dict, str, str]] = []  # (resource, key, position)
    for path, name in _fhir_files(paths):
        for res, full_url, pos in _read_fhir(path, name, b.report):
            key = f"{res.get('resourceType')}/{one(res.get('id')) or pos}"
            refs.add(res, full_url, key)
            resources.append((res, key, pos))
    # patients first so references resolve regardless of order
    for res, key, pos in sorted(resources, key=lambda x: x[0].get("resourceType") != "Patient"):
        add_resource(b, refs, res, key, pos)
    tables = b.tables()
    if out:
        write_dataset(out, tables, extract_metadata(tables, "FHIR import", b.report))
    return tables, b.report


def import_csv(folder: Path, out: Path | None = None) -> tuple[dict, ImportReport]:
    """Read the CSV extract format from ``folder``; write a dataset if ``out``."""
    folder = Path(folder)
    b = RowBuilder()
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
        write_dataset(out, tables, extract_metadata(tables, "CSV import", b.report))
    return tables, b.report
