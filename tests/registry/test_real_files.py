"""Integration: parse the real NHS files in OPENPCN_DATA and check figures from its README."""

from __future__ import annotations

from datetime import date

import pytest

from openpcn.registry import verify
from openpcn.registry.parsers import detect
from openpcn.registry.records import EpcnMembership, EpcnPcn

# file, kind, as_of, records, {count key: value}
FILES = [
    (
        "nhsd_gp_reg_2022-01/gp-reg-pat-prac-map.csv",
        "gp_reg_map",
        date(2022, 1, 1),
        6527,
        {"pcns": 1254, "unaligned_practices": 68},
    ),
    (
        "nhsd_gp_reg_2026-07/gp-reg-pat-prac-map.csv",
        "gp_reg_map",
        date(2026, 7, 1),
        6139,
        {"pcns": 1298, "unaligned_practices": 52},
    ),
    (
        "nhsd_gp_reg_2026-08/gp-reg-pat-prac-map.csv",
        "gp_reg_map",
        date(2026, 8, 1),
        6129,
        {"pcns": 1298, "unaligned_practices": 52},
    ),
    (
        "nhsd_gp_reg_2022-01/gp-reg-pat-prac-all.csv",
        "gp_reg_all",
        date(2022, 1, 1),
        6527,
        {"practice_patients": 61_469_262},
    ),
    (
        "nhsd_gp_reg_2025-04/gp-reg-pat-prac-all.csv",
        "gp_reg_all",
        date(2025, 4, 1),
        6239,
        {"practice_patients": 63_769_849},
    ),
    (
        "nhsd_gp_reg_2026-07/gp-reg-pat-prac-quin-age.csv",
        "gp_reg_quin_age",
        date(2026, 7, 1),
        326_241,
        {"practices": 6139, "pcns": 1299, "practice_patients": 63_436_508},
    ),
    (
        "nhsd_gp_reg_2026-08/gp-reg-pat-prac-sing-age-regions.csv",
        "gp_reg_sing_age",
        date(2026, 8, 1),
        282_253,
        {"pcns": 1299, "practices": 0},
    ),
    (
        "ods_epcn_2022-01/ePCN.xlsx",
        "ods_epcn",
        date(2022, 1, 28),
        1303 + 7232,
        {"pcns": 1303, "relationships": 7232, "relationships_ended": 725},
    ),
    (
        "ods_epcn_2023-01/ePCN.xlsx",
        "ods_epcn",
        date(2023, 1, 26),
        1329 + 7455,
        {"relationships_ended": 1064},
    ),
    (
        "ods_epcn_2025-01/ePCN.xlsx",
        "ods_epcn",
        date(2025, 1, 20),
        1366 + 7705,
        {"relationships_ended": 1481, "relationships_open": 6224},
    ),
    (
        "ods_epraccur_2023-01/epraccur.csv",
        "ods_epraccur",
        date(2022, 12, 5),
        15_536,
        {"active_gp_practices": 6859},
    ),
    (
        "ods_epraccur_2026-06/epraccur.csv",
        "ods_epraccur",
        date(2026, 7, 1),
        15_559,
        {"active_gp_practices": 6574},
    ),
    (
        "nhse_pcn_adjusted_population_2025-26/pcn_data_2025-26.csv",
        "nhse_des_population",
        date(2025, 1, 1),
        6249,
        {"dropped_total_rows": 1, "pcns": 1284, "without_pcn": 81},
    ),
    (
        "nhse_pcn_adjusted_population_2025-26/pcn_data_2024-25_weighted.csv",
        "nhse_des_population",
        date(2024, 1, 1),
        6329,
        {"pcns": 1273, "without_pcn": 73},
    ),
]


@pytest.mark.parametrize(("name", "kind", "as_of", "n", "counts"), FILES, ids=[f[0] for f in FILES])
def test_real_file(raw, parsed, name, kind, as_of, n, counts):
    path = raw / name
    assert detect(path) == kind
    p = parsed(name)
    assert (p.kind, p.as_of, len(p.records)) == (kind, as_of, n)
    assert {k: p.counts[k] for k in counts} == counts


def test_every_registry_file_in_the_folder_is_detected(raw):
    found = {
        str(f.relative_to(raw)): detect(f)
        for f in raw.rglob("*")
        if f.is_file() and detect(f) is not None
    }
    # the neighbourhood files (deprivation by LSOA, trusts) are checked in tests/neighbourhoods
    areas = {
        "mhclg_iod2025_file1_2025-10/File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx": (
            "mhclg_iod_file1"
        ),
        "ods_etr_2026-07/etr.csv": "ods_etr",
        "ons_imd2019_lsoa11_lookup_2019-12/IMD_2019_Lookup_in_England.csv": "ons_imd_lookup",
    }
    assert found == {name: kind for name, kind, *_ in FILES} | areas


def test_quin_age_sums(parsed):
    records = parsed("nhsd_gp_reg_2026-07/gp-reg-pat-prac-quin-age.csv").records
    members = parsed("nhsd_gp_reg_2026-07/gp-reg-pat-prac-map.csv").records
    assert verify.check_sex_age_sums(records) == []
    assert verify.check_pcn_rows(records, members) == []
    assert verify.check_level_totals(records) == []
    assert verify.check_membership_coverage(members, records) == []
    unaligned = [
        r.count
        for r in records
        if r.org_type == "PCN" and r.org_code == "U" and r.sex == "ALL" and r.age == "ALL"
    ]
    assert unaligned == [220_330]


def test_single_age_totals(parsed):
    records = parsed("nhsd_gp_reg_2026-08/gp-reg-pat-prac-sing-age-regions.csv").records
    assert verify.check_sex_age_sums(records) == []
    assert verify.check_level_totals(records) == []
    england = {r.sex: 0 for r in records}
    for r in records:
        if r.org_type == "REGION" and r.age == "ALL":
            england[r.sex] += r.count
    assert england == {"ALL": 63_237_908, "FEMALE": 31_687_617, "MALE": 31_550_291}


@pytest.mark.parametrize(
    ("name", "on", "practices", "pcns"),
    [
        ("ods_epcn_2022-01/ePCN.xlsx", date(2022, 1, 1), 6507, 1255),
        ("ods_epcn_2023-01/ePCN.xlsx", date(2023, 1, 1), 6392, 1264),
        ("ods_epcn_2025-01/ePCN.xlsx", date(2025, 1, 1), 6224, 1283),
    ],
)
def test_epcn_membership_as_at(parsed, name, on, practices, pcns):
    p = parsed(name)
    active = [m for m in p.of(EpcnMembership) if m.active_on(on)]
    assert len({m.practice_code for m in active}) == practices
    assert len({m.pcn_code for m in active}) == pcns
    assert len(p.of(EpcnPcn)) == p.counts["pcns"]


def test_epcn_agrees_with_map(parsed):
    """README: ePCN as at 2022-01-01 agrees with the Jan 2022 map for 6,455 of 6,459."""
    epcn = parsed("ods_epcn_2022-01/ePCN.xlsx").of(EpcnMembership)
    on = {m.practice_code: m.pcn_code for m in epcn if m.active_on(date(2022, 1, 1))}
    aligned = [r for r in parsed("nhsd_gp_reg_2022-01/gp-reg-pat-prac-map.csv").records if r.in_pcn]
    agree = sum(1 for r in aligned if on.get(r.practice_code) == r.pcn_code)
    assert (agree, len(aligned)) == (6455, 6459)


def test_des_implausible_rows_are_flagged(parsed):
    p = parsed("nhse_pcn_adjusted_population_2025-26/pcn_data_2024-25_weighted.csv")
    odd = [r for r in p.records if r.implausible]
    assert p.counts["implausible"] == len(odd) > 0
    assert all(r.implausible_reason for r in odd)
