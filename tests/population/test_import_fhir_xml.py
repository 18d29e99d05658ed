"""FHIR R4 XML import: the real UK Core examples, Bundles, references, and broken inputs."""

from __future__ import annotations

import json
from datetime import date

import pytest

from openpcn.population.fhir_xml import FhirXmlError, parse_resource
from openpcn.population.importer import import_fhir
from openpcn.population.schema import load_dataset

from .conftest import DATA

EXAMPLES = DATA / "fhir-ukcore-examples"
NS = 'xmlns="http://hl7.org/fhir"'
GOOD, BAD = "9912003888", "1234567890"
SECRET_NAME = "Zebedee"  # a name in the inputs that must never reach the report


def patient_xml(pid: str, nhs: str, birth: str = "1950-03-02") -> str:
    return (
        f'<Patient {NS}><id value="{pid}"/>'
        f'<identifier><system value="https://fhir.nhs.uk/Id/nhs-number"/><value value="{nhs}"/>'
        f'</identifier><name><given value="{SECRET_NAME}"/></name>'
        f'<gender value="female"/><birthDate value="{birth}"/>'
        '<generalPractitioner><identifier><value value="A81001"/></identifier>'
        "</generalPractitioner></Patient>"
    )


@pytest.fixture(scope="module")
def examples():
    if not EXAMPLES.is_dir():
        pytest.skip(f"no FHIR UK Core examples at {EXAMPLES}")
    return import_fhir([EXAMPLES])


def test_every_example_file_is_read(examples):
    _tables, report = examples
    files = {p.name for p in EXAMPLES.glob("*.xml")}
    assert len(files) == 8
    # each file is accounted for: loaded, used as a reference target, or rejected with a reason
    assert report.accepted == {
        "patients": 1,
        "clinical_events": 4,  # BMI, BP panel, systolic, diastolic
        "medication_issues": 2,
        "medications (reference targets)": 1,
    }
    # the Condition example has no onset/recorded date; the lab Observation's subject is a
    # urn:uuid that no Patient in the import carries
    assert report.positions == {
        "clinical_events: missing date": ["UKCore-Condition-BleedingFromEar-Example.xml:entry 0"],
        "clinical_events: unknown or rejected patient": [
            "UKCore-Observation-Lab-Albumin-Example.xml:entry 0"
        ],
    }
    text = json.dumps(report.as_dict())
    assert GOOD not in text and "SMITH" not in text and "WELSH" not in text


def test_example_patient(examples):
    tables, _ = examples
    (p,) = tables["patients"].to_pylist()
    assert (p["birth_date"], p["sex"], p["ethnicity"]) == (date(1970, 9, 11), "M", "G")
    assert p["nhs_number"] == GOOD and p["practice_code"] is None


def test_example_observations_and_bp_components(examples):
    tables, _ = examples
    rows = {r["code"]: r for r in tables["clinical_events"].to_pylist()}
    assert rows["60621009"]["value"] == 46.0 and rows["60621009"]["unit"] == "kg/m2"
    assert rows["72313002"]["value"] == 142.0 and rows["72313002"]["unit"] == "mm[Hg]"
    assert rows["1091811000000102"]["value"] == 94.0
    assert rows["75367002"]["value"] is None  # the panel itself has no value
    assert {r["date"] for r in rows.values()} == {date(2023, 8, 10)}


def test_example_medicines_dmd(examples):
    tables, _ = examples
    meds = sorted((r["code"], r["date"]) for r in tables["medication_issues"].to_pylist())
    assert meds == [
        ("39732311000001104", date(2021, 2, 15)),  # statement: effectivePeriod.start
        ("39732411000001106", date(2023, 6, 15)),  # request: authoredOn (a dateTime)
    ]


def test_xml_converts_to_the_json_shape():
    doc = parse_resource((EXAMPLES / "UKCore-Patient-RichardSmith-Example.xml").read_bytes(), "p")
    assert doc["resourceType"] == "Patient" and doc["gender"] == "male"
    assert "div" not in doc["text"]
    assert isinstance(doc["identifier"], list) and isinstance(doc["name"], list)
    assert doc["identifier"][0]["extension"][0]["url"].endswith("NHSNumberVerificationStatus")
    assert doc["contact"][0]["name"]["given"] == ["Jane"]  # contact.name is 0..1, given 0..*
    prefs = doc["extension"][1]["extension"][1]["valueTiming"]["repeat"]
    assert prefs["dayOfWeek"] == ["mon", "wed", "fri"]


def test_bundle_contained_and_referenced_medication(tmp_path):
    med_ref = lambda ref: (  # noqa: E731
        f'<medicationReference><reference value="{ref}"/></medicationReference>'
    )
    subject = '<subject><reference value="urn:uuid:p-1"/></subject>'
    bundle = f"""<?xml version="1.0" encoding="UTF-8"?>
<Bundle {NS}><type value="collection"/>
 <entry><fullUrl value="urn:uuid:p-1"/><resource>{patient_xml("p1", GOOD)}</resource></entry>
 <entry><resource><MedicationRequest>
   <contained><Medication><id value="m1"/><code><coding><system value="https://dmd.nhs.uk"/>
     <code value="111"/></coding></code></Medication></contained>
   {med_ref("#m1")}{subject}<authoredOn value="2026-05-01"/>
   <dispenseRequest><quantity><value value="28"/></quantity></dispenseRequest>
 </MedicationRequest></resource></entry>
 <entry><resource><MedicationStatement>{med_ref("Medication/eye")}{subject}
   <effectiveDateTime value="2026-04-01"/></MedicationStatement></resource></entry>
 <entry><resource><MedicationStatement>{med_ref("Medication/nowhere")}{subject}
   <effectiveDateTime value="2026-04-01"/></MedicationStatement></resource></entry>
 <entry><resource><Observation><code><coding><system value="http://snomed.info/sct"/>
   <code value="271649006"/></coding></code>{subject}<effectiveDateTime value="2026-13-01"/>
   <valueQuantity><value value="150"/></valueQuantity></Observation></resource></entry>
</Bundle>"""
    (tmp_path / "bundle.xml").write_text(bundle)
    (tmp_path / "eye.xml").write_text(
        f'<Medication {NS}><id value="eye"/><code><coding><system value="https://dmd.nhs.uk"/>'
        '<code value="222"/></coding></code></Medication>'
    )
    tables, report = import_fhir([tmp_path / "bundle.xml", tmp_path / "eye.xml"], tmp_path / "ds")
    meds = sorted((r["code"], r["quantity"]) for r in tables["medication_issues"].to_pylist())
    assert meds == [("111", 28.0), ("222", None)]
    assert report.rejected == {
        "medication_issues: unresolved medication reference": 1,
        "clinical_events: invalid date": 1,
    }
    assert report.positions["clinical_events: invalid date"] == ["bundle.xml:entry 4"]
    assert load_dataset(tmp_path / "ds").table("patients")["practice_code"].to_pylist() == [
        "A81001"
    ]


def test_bad_patients_and_unknown_references_rejected(tmp_path):
    (tmp_path / "a.xml").write_text(patient_xml("p1", GOOD))
    (tmp_path / "b.xml").write_text(patient_xml("p2", BAD))
    (tmp_path / "c.xml").write_text(
        f'<Patient {NS}><id value="p3"/><birthDate value="1950-01-01"/></Patient>'
    )
    (tmp_path / "d.xml").write_text(patient_xml("p4", "9434765919", birth="1950-02-30"))
    (tmp_path / "e.xml").write_text(patient_xml("p1", "9000000009"))  # p1 again, other person
    cond = (
        f'<Condition {NS}><code><coding><code value="38341003"/></coding></code>'
        '<subject><reference value="Patient/{}"/></subject>'
        '<onsetDateTime value="2020-01-01"/></Condition>'
    )
    for i, pid in enumerate(["p1", "p2", "p3", "p4", "ghost"]):
        (tmp_path / f"cond{i}.xml").write_text(cond.format(pid))
    tables, report = import_fhir([tmp_path])
    assert report.accepted == {"patients": 1, "clinical_events": 1}
    assert report.rejected == {
        "patient: invalid NHS number": 1,
        "patient: missing NHS number": 1,
        "patient: invalid birth date": 1,
        "patient: duplicate resource id": 1,
        "clinical_events: unknown or rejected patient": 4,
    }
    assert report.positions["patient: invalid NHS number"] == ["b.xml:entry 0"]
    assert report.positions["patient: duplicate resource id"] == ["e.xml:entry 0"]
    assert tables["clinical_events"]["patient_id"].to_pylist() == [1]
    text = json.dumps(report.as_dict())
    assert BAD not in text and GOOD not in text and SECRET_NAME not in text
    assert "9000000009" not in text


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Patient xmlns="http://hl7.org/fhir"><id value="&lol2;"/></Patient>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Patient xmlns="http://hl7.org/fhir"><id value="&xxe;"/></Patient>"""


@pytest.mark.parametrize(
    ("body", "reason", "position"),
    [
        (
            f'<Patient {NS}>\n<id value="x"/>\n<gender value="male">\n</Patient>',
            "invalid XML: not well-formed (mismatched tag)",
            "broken.xml:line 4",
        ),
        ("", "invalid XML: not well-formed (no element found)", "broken.xml:line 1"),
        (
            '<Patient><id value="x"/></Patient>',
            "invalid XML: root element is not a FHIR resource in namespace http://hl7.org/fhir",
            "broken.xml:line 1",
        ),
        (
            f'<html {NS}><id value="x"/></html>',
            "invalid XML: root element is not a FHIR resource in namespace http://hl7.org/fhir",
            "broken.xml:line 1",
        ),
        (
            f'<Patient {NS}>\n<foo:id xmlns:foo="urn:x" value="x"/></Patient>',
            "invalid XML: element outside the FHIR namespace in Patient",
            "broken.xml:line 2",
        ),
        (
            BILLION_LAUGHS,
            "invalid XML: DOCTYPE/entity declarations are refused",
            "broken.xml:line 2",
        ),
        (EXTERNAL, "invalid XML: DOCTYPE/entity declarations are refused", "broken.xml:line 2"),
    ],
)
def test_broken_xml_is_reported_and_loses_nothing(tmp_path, body, reason, position):
    (tmp_path / "broken.xml").write_text(body)
    (tmp_path / "good.xml").write_text(patient_xml("p1", GOOD))
    with pytest.raises(FhirXmlError) as exc:
        parse_resource(body.encode(), "broken.xml")
    assert str(exc.value) == f"{position}: {reason}"
    tables, report = import_fhir([tmp_path])
    assert report.rejected == {reason: 1}
    assert report.positions == {reason: [position]}
    assert tables["patients"].num_rows == 1  # the good file next to it is still loaded
    assert "passwd" not in json.dumps(report.as_dict())


def test_cli_import_accepts_xml(tmp_path):
    from typer.testing import CliRunner

    from openpcn.cli.population import app

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.xml").write_text(patient_xml("p1", GOOD))
    (tmp_path / "in" / "bad.xml").write_text("<Patient")
    r = CliRunner().invoke(app, ["import", str(tmp_path / "in"), "--out", str(tmp_path / "ds")])
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout[r.stdout.index("{") :])
    assert body["accepted"] == {"patients": 1}
    assert list(body["rejected"].values()) == [1]
    assert GOOD not in r.output
    assert load_dataset(tmp_path / "ds").table("patients").num_rows == 1
