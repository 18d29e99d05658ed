"""Import: FHIR Bundle/NDJSON and CSV; bad records rejected by reason, no identifiers leaked."""

from __future__ import annotations

import json

from openpcn.population.importer import import_csv, import_fhir
from openpcn.population.schema import load_dataset

GOOD, BAD = "9912003888", "1234567890"


def patient(pid: str, nhs: str, birth: str = "1950-03-02") -> dict:
    return {
        "resourceType": "Patient",
        "id": pid,
        "birthDate": birth,
        "gender": "female",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs}],
        "generalPractitioner": [{"identifier": {"value": "A81001"}}],
    }


def test_fhir_bundle_and_ndjson(tmp_path):
    bundle = {
        "resourceType": "Bundle",
        "entry": [
            {"resource": patient("p1", GOOD)},
            {"resource": patient("p2", BAD)},
            {
                "resource": {
                    "resourceType": "Condition",
                    "subject": {"reference": "Patient/p1"},
                    "code": {"coding": [{"system": "http://snomed.info/sct", "code": "38341003"}]},
                    "onsetDateTime": "2020-01-01",
                }
            },
            {
                "resource": {
                    "resourceType": "Observation",
                    "subject": {"reference": "Patient/p1"},
                    "code": {"coding": [{"code": "271649006"}]},
                    "effectiveDateTime": "2026-01-01",
                    "valueQuantity": {"value": 150, "unit": "mm[Hg]"},
                }
            },
            {
                "resource": {
                    "resourceType": "Condition",
                    "subject": {"reference": "Patient/p2"},
                    "code": {"coding": [{"code": "38341003"}]},
                    "onsetDateTime": "2020-01-01",
                }
            },
        ],
    }
    (tmp_path / "b.json").write_text(json.dumps(bundle))
    nd = [
        {
            "resourceType": "MedicationRequest",
            "subject": {"reference": "Patient/p1"},
            "medicationCodeableConcept": {
                "coding": [{"system": "https://dmd.nhs.uk", "code": "39732311000001104"}]
            },
            "authoredOn": "2026-05-01",
            "dispenseRequest": {"quantity": {"value": 21}},
        },
        {
            "resourceType": "MedicationStatement",
            "subject": {"reference": "Patient/p1"},
            "medicationCodeableConcept": {"coding": [{"code": "39732311000001104"}]},
            "effectivePeriod": {"start": "not-a-date"},
        },
    ]
    (tmp_path / "m.ndjson").write_text("\n".join(json.dumps(r) for r in nd) + "\n{broken\n")
    tables, report = import_fhir([tmp_path / "b.json", tmp_path / "m.ndjson"], tmp_path / "ds")
    assert report.accepted == {"patients": 1, "clinical_events": 2, "medication_issues": 1}
    assert report.rejected == {
        "patient: invalid NHS number": 1,
        "clinical_events: unknown or rejected patient": 1,
        "medication_issues: invalid date": 1,
        "invalid JSON": 1,
    }
    assert report.positions["invalid JSON"] == ["m.ndjson:3"]
    text = json.dumps(report.as_dict())
    assert GOOD not in text and BAD not in text
    ds = load_dataset(tmp_path / "ds")
    assert not ds.synthetic
    assert ds.table("clinical_events")["value"].to_pylist().count(150.0) == 1


def test_csv_extract_with_broken_rows(tmp_path):
    (tmp_path / "patients.csv").write_text(
        "nhs_number,birth_date,sex,ethnicity,practice_code,care_home\n"
        f"{GOOD},1940-01-01,F,A,A81001,true\n"
        f"{BAD},1940-01-01,F,A,A81001,false\n"
        "9434765919,1940-13-01,M,A,A81001,false\n"
    )
    (tmp_path / "clinical_events.csv").write_text(
        f"nhs_number,code,date,value,unit\n{GOOD},271649006,2026-01-01,abc,mm[Hg]\n"
        f"{GOOD},271649006,2026-01-02,141,mm[Hg]\n{GOOD},,2026-01-02,,\n"
    )
    (tmp_path / "medication_issues.csv").write_text(
        f"nhs_number,code,date,quantity\n{GOOD},123,2026-01-01,28\n{BAD},123,2026-01-01,28\n"
    )
    tables, report = import_csv(tmp_path, tmp_path / "ds")
    assert report.accepted == {"patients": 1, "clinical_events": 1, "medication_issues": 1}
    assert report.rejected["patient: invalid birth date"] == 1
    assert report.rejected["clinical_events: non-numeric value"] == 1
    assert report.rejected["clinical_events: missing code"] == 1
    assert report.positions["clinical_events: non-numeric value"] == ["clinical_events.csv:2"]
    assert tables["patients"]["care_home"].to_pylist() == [True]
    total_in = 3 + 3 + 2
    assert sum(report.accepted.values()) + sum(report.rejected.values()) == total_in
