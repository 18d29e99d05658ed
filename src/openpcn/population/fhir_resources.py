"""FHIR UK Core resources (as JSON dicts) to import rows: Patient, Condition, Observation,
MedicationStatement, MedicationRequest and Medication, with references resolved across the
import (see :mod:`openpcn.population.importer` for what is read from each)."""

from __future__ import annotations

from .import_rows import RowBuilder, many

NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
SNOMED_SYSTEM = "http://snomed.info/sct"
DMD_SYSTEM = "https://dmd.nhs.uk"
UCUM_SYSTEM = "http://unitsofmeasure.org"
ETHNIC_EXT = "Extension-UKCore-EthnicCategory"


def one(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def get_path(obj, *keys):
    """``obj[k1][k2]...`` taking the first of any list on the way; None if absent."""
    for key in keys:
        obj = one(obj)
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return one(obj)


def coding(concept, prefer: str | None = None) -> str | None:
    """The code of a CodeableConcept: the first coding in system ``prefer``, else the first."""
    codes = [c for c in many(get_path(concept, "coding")) if isinstance(c, dict) and c.get("code")]
    for c in codes:
        if prefer and one(c.get("system")) == prefer:
            return str(one(c["code"]))
    return str(one(codes[0]["code"])) if codes else None


def unit_of(quantity) -> str | None:
    if get_path(quantity, "system") == UCUM_SYSTEM and get_path(quantity, "code"):
        return get_path(quantity, "code")
    return get_path(quantity, "unit") or get_path(quantity, "code")


def first_of(res: dict, *paths: str):
    for path in paths:
        value = get_path(res, *path.split("."))
        if value not in (None, ""):
            return value
    return None


class References:
    """Patients and Medications by every name a reference may use (id, type/id, fullUrl)."""

    def __init__(self):
        self.patients: dict[str, str] = {}  # reference -> patient key
        self.medications: dict[str, dict] = {}

    def add(self, res: dict, full_url: str | None, key: str) -> None:
        kind, rid = res.get("resourceType"), one(res.get("id"))
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
        ref = get_path(res, "subject", "reference") or get_path(res, "patient", "reference")
        if not ref:
            return None
        return self.patients.get(ref) or self.patients.get(self._tail(ref)) or ref

    def medication_code(self, res: dict) -> str | None:
        code = coding(res.get("medicationCodeableConcept"), DMD_SYSTEM)
        ref = get_path(res, "medicationReference", "reference")
        if code or not ref:
            return code
        if ref.startswith("#"):
            med = next(
                (
                    c
                    for c in many(res.get("contained"))
                    if isinstance(c, dict) and one(c.get("id")) == ref[1:]
                ),
                None,
            )
        else:
            med = self.medications.get(ref) or self.medications.get(self._tail(ref))
        return coding(med.get("code"), DMD_SYSTEM) if med else None


def add_resource(b: RowBuilder, refs: References, res: dict, key: str, pos: str) -> None:
    kind = res.get("resourceType")
    if kind == "Patient":
        nhs = next(
            (
                one(i.get("value"))
                for i in many(res.get("identifier"))
                if isinstance(i, dict) and one(i.get("system")) == NHS_SYSTEM
            ),
            None,
        )
        eth = None
        for ext in many(res.get("extension")):
            if isinstance(ext, dict) and ETHNIC_EXT in str(ext.get("url", "")):
                eth = coding(ext.get("valueCodeableConcept"))
        org = first_of(
            res, "generalPractitioner.identifier.value", "managingOrganization.identifier.value"
        )
        row = {
            "nhs_number": nhs,
            "birth_date": one(res.get("birthDate")),
            "sex": one(res.get("gender")),
            "ethnicity": eth,
            "practice_code": org,
        }
        b.add_patient(key, row, pos)
    elif kind in ("Condition", "Observation"):
        when = first_of(
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
                "code": coding(res.get("code"), SNOMED_SYSTEM),
                "date": when,
                "value": get_path(res, "valueQuantity", "value"),
                "unit": unit_of(res.get("valueQuantity")),
            },
            pos,
        )
        # panel components (e.g. systolic/diastolic of a blood pressure) as their own events
        for i, comp in enumerate(many(res.get("component"))):
            b.add(
                "clinical_events",
                patient,
                {
                    "code": coding(get_path(comp, "code"), SNOMED_SYSTEM),
                    "date": when,
                    "value": get_path(comp, "valueQuantity", "value"),
                    "unit": unit_of(get_path(comp, "valueQuantity")),
                },
                f"{pos} component {i}",
            )
    elif kind in ("MedicationStatement", "MedicationRequest"):
        when = first_of(
            res, "authoredOn", "effectivePeriod.start", "effectiveDateTime", "dateAsserted"
        )
        code = refs.medication_code(res)
        if code is None and get_path(res, "medicationReference", "reference"):
            b.report.reject("medication_issues: unresolved medication reference", pos)
            return
        b.add(
            "medication_issues",
            refs.patient(res),
            {
                "code": code,
                "date": when,
                "quantity": get_path(res, "dispenseRequest", "quantity", "value"),
            },
            pos,
        )
    elif kind == "Medication":
        b.report.accepted["medications (reference targets)"] += 1
    else:
        b.report.reject(f"unsupported resource type {kind}", pos)
