"""The ARRS role map: covers every role in the real file; every row justified."""

from __future__ import annotations

import copy

import pytest
import yaml

from openpcn.workforce.role_map import (
    DEFAULT_PATH,
    NON_ARRS,
    RoleMapError,
    UnmappedRoleError,
    load_role_map,
    parse_role_map,
)

BRIEF_ROLE_IDS = {
    "clinical_pharmacist",
    "pharmacy_technician",
    "social_prescribing_link_worker",
    "care_coordinator",
    "health_wellbeing_coach",
    "first_contact_physiotherapist",
    "paramedic",
    "physician_associate",
    "nursing_associate",
    "trainee_nursing_associate",
    "mental_health_practitioner",
    "dietitian",
    "podiatrist",
    "occupational_therapist",
    "advanced_practitioner",
    "gp_assistant",
    "digital_transformation_lead",
    "gp",
    "practice_nurse",
}


def test_every_role_in_the_real_file_is_mapped(parsed):
    rm = load_role_map()
    pairs = {(r.staff_role, r.detailed_staff_role) for r in parsed.records}
    unmapped = []
    for pair in sorted(pairs):
        try:
            rm.lookup(*pair)
        except UnmappedRoleError:
            unmapped.append(pair)
    assert unmapped == []
    assert len(pairs) == 78


def test_every_mapping_row_is_used_by_the_real_file(parsed):
    """No stale rows: each row matches at least one (staff role, detailed role) in the file."""
    rm = load_role_map()
    used = {rm.lookup(r.staff_role, r.detailed_staff_role) for r in parsed.records}
    assert set(rm.mappings) - used == set()


def test_every_row_has_a_reason_and_flag():
    rm = load_role_map()
    assert all(m.reason and isinstance(m.verified, bool) for m in rm.mappings)
    assert all(r.reference for r in rm.roles.values())
    assert set(rm.arrs_role_ids) >= BRIEF_ROLE_IDS
    assert NON_ARRS not in rm.arrs_role_ids


@pytest.mark.parametrize(
    ("staff_role", "detailed", "expected"),
    [
        ("Pharmacists", "Pharmacist", "clinical_pharmacist"),
        ("  PHARMACISTS ", "anything", "clinical_pharmacist"),
        ("Physiotherapists", "Physiotherapist", "first_contact_physiotherapist"),
        ("Therapists", "Therapist- Occupational Therapist", "occupational_therapist"),
        ("Therapists", "Therapist- Counsellor", "other_direct_patient_care"),
        ("Apprentices", "Apprentice - Physician Associate", "apprentice_physician_associate"),
        ("Apprentices", "Apprentice", NON_ARRS),
        ("Salaried GPs", "Salaried By PCN", "gp"),
        ("GP Locums", "GP Locum", NON_ARRS),
        ("Advanced Nurse Practitioners", "Advanced Nurse Practitioner", "advanced_practitioner"),
        (
            "Social Prescribing Link Workers (Mental Health Practitioners)",
            "Social Prescribing Link Worker (Mental Health Practitioner - Adult)",
            "mental_health_practitioner",
        ),
        ("Medical Clinical Director (GP)", "Clinical Director – Medical", NON_ARRS),
        ("Digital and Transformation Leads", "", "digital_transformation_lead"),
    ],
)
def test_mapping_table(staff_role, detailed, expected):
    assert load_role_map().arrs_role(staff_role, detailed) == expected


def test_unknown_role_is_a_clear_error():
    with pytest.raises(UnmappedRoleError, match="'Astronauts'.*add a row"):
        load_role_map().arrs_role("Astronauts", "Astronaut")


def _data():
    with DEFAULT_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["mappings"][0].pop("reason"), "mapping 1, field reason: missing"),
        (lambda d: d["mappings"][2].update(arrs_role="astronaut"), "mapping 3, field arrs_role"),
        (lambda d: d["mappings"][1].update(verified="yes"), "mapping 2, field verified"),
        (lambda d: d["mappings"].append(dict(d["mappings"][0])), "appears twice"),
        (lambda d: d["roles"].pop("non_arrs"), "must include non_arrs"),
        (lambda d: d["roles"]["gp"].pop("service"), "role gp, field service: missing"),
    ],
)
def test_bad_role_map_file(change, words):
    data = copy.deepcopy(_data())
    change(data)
    with pytest.raises(RoleMapError, match=words):
        parse_role_map(data)
