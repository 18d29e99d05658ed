"""The ICB's neighbourhoods (issue 18 part 5) with the Django client: the ICB's commissioner
sees every neighbourhood the ICB owns or its PCNs serve, with footprint, registered
population, PCNs, partners, teams and caseload counts; a caseload of 1-4 reads "fewer than
5"; no patient reference is on the page, the CSV or the API; another ICB's commissioner and a
PCN lead are refused."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from openpcn.data.accounts.users import create_user
from openpcn.data.neighbourhoods import store, teams
from openpcn.data.neighbourhoods.models import (
    CaseloadEntry,
    Footprint,
    FootprintLsoa,
    Neighbourhood,
    NeighbourhoodPcn,
)
from openpcn.data.registry.models import IngestedFile, Lsoa, Organisation, RegisteredPopulation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
START = date(2026, 1, 1)
ON = "2026-06-01"
URL = "/icb/QAA/neighbourhoods/"
# distinctive pseudonymous references: none may appear on the page, the CSV or the API
SMALL_IDS = (700000001, 700000002, 700000003)
LARGE_IDS = tuple(800000001 + i for i in range(6))


def _lsoas():
    src = IngestedFile.objects.create(
        name="File_1_IoD2025.xlsx",
        path="t",
        sha256="l" * 64,
        kind="mhclg_iod_file1",
        as_of=date(2025, 10, 30),
    )
    rows = [  # code, lad, lad name, decile
        ("E01000001", "E06000001", "Seaside", 1),
        ("E01000002", "E06000001", "Seaside", 2),
        ("E01000003", "E06000001", "Seaside", 5),
        ("E01000004", "E06000002", "Hillside", 9),
        ("E01000005", "E06000002", "Hillside", 10),
    ]
    for code, lad, lad_name, decile in rows:
        Lsoa.objects.create(
            code=code,
            vintage=2021,
            name=f"{lad_name} {code[-1]}",
            lad_code=lad,
            lad_name=lad_name,
            lad_vintage=2024,
            edition=2025,
            imd_rank=decile * 3000,
            imd_decile=decile,
            source=src,
        )


def _populations():
    src = IngestedFile.objects.create(
        name="gp-reg-pat-prac-all.csv",
        path="t",
        sha256="p" * 64,
        kind="gp_reg_all",
        as_of=date(2026, 4, 1),
    )
    for code, count in [("A00001", 6000), ("A00002", 4500), ("B00001", 3000)]:
        RegisteredPopulation.objects.create(
            org=Organisation.objects.get(code=code),
            extract_date=date(2026, 4, 1),
            sex="ALL",
            age_kind="all",
            age="ALL",
            count=count,
            source=src,
        )


def _neighbourhood(owner, name, pcn, lsoas):
    nb = Neighbourhood.objects.create(
        owner=Organisation.objects.get(code=owner), name=name, slug=name.lower(), created_by="t"
    )
    fp = Footprint.objects.create(neighbourhood=nb, start=START, created_by="t")
    for code in lsoas:
        FootprintLsoa.objects.create(footprint=fp, code=code)
    NeighbourhoodPcn.objects.create(
        neighbourhood=nb, pcn=Organisation.objects.get(code=pcn), start=START, created_by="t"
    )
    return nb


def _caseload(team, ids, practice):
    for pid in ids:
        CaseloadEntry.objects.create(
            team=team,
            patient_id=pid,
            practice_code=practice,
            source="severe_frailty",
            added=START,
            added_by="t",
        )


@pytest.fixture
def icb(users):
    _lsoas()
    _populations()
    Organisation.objects.create(code="RX1", kind="trust", name="Coast Community Trust")
    north = _neighbourhood("QAA", "North", "U00001", ["E01000001", "E01000002", "E01000003"])
    store.add_partner(north, "provides community nursing", START, by="t", code="RX1")
    store.add_partner(
        north,
        "provides social prescribing",
        START,
        by="t",
        new={"kind": "voluntary", "name": "Friends of North"},
    )
    t1 = teams.create_team(north, "North team", by="t")
    m1 = teams.add_member(t1, "Nia Nurse", "district nurse", "RX1", date.today(), by="t")
    teams.add_member(t1, "Dr Gee", "GP", "A00001", date.today(), by="t")
    _caseload(t1, SMALL_IDS, "A00001")
    first = CaseloadEntry.objects.filter(team=t1).first()
    teams.add_action(t1, "Review falls risk", m1.id, date(2026, 7, 1), by="t", patient=first.id)
    teams.add_action(t1, "Plan winter clinics", m1.id, date(2026, 7, 1), by="t", topic="winter")
    # owned by the PCN, with a bigger caseload; one entry taken off is not counted
    south = _neighbourhood("U00001", "Riverside", "U00001", ["E01000004", "E01000005"])
    t2 = teams.create_team(south, "Riverside team", by="t")
    teams.add_member(t2, "Dr Gee", "GP", "A00002", date.today(), by="t")
    _caseload(t2, LARGE_IDS, "A00002")
    _caseload(t2, (800000099,), "A00002")
    CaseloadEntry.objects.filter(patient_id=800000099).update(removed=START)
    # another ICB's neighbourhood
    _neighbourhood("QBB", "Beta", "U00002", ["E01000004"])
    return north, south


def _commissioner(client, users):
    client.force_login(users["icb_commissioner"])
    return client


def test_the_commissioner_sees_the_icbs_neighbourhoods_with_counts(icb, client, users):
    c = _commissioner(client, users)
    r = c.get(URL + f"?as_at={ON}")
    assert r.status_code == 200
    page = r.content.decode()
    assert "North" in page and "Riverside" in page and "Beta" not in page
    north = page.split('data-testid="icb-neighbourhood-north"')[1].split("</tr>")[0]
    assert "Seaside (3)" in north  # local authority with its LSOAs
    assert "2 (66.7%)" in north  # LSOAs in IMD deciles 1-2
    assert "10,500" in north  # A00001 6000 + A00002 4500: U00001's registered patients
    assert "trust 1" in north and "voluntary 1" in north
    assert "fewer than 5" in north  # 3 patients
    river = page.split('data-testid="icb-neighbourhood-riverside"')[1].split("</tr>")[0]
    assert "Hillside (2)" in river and "0 (0.0%)" in river
    assert re.search(
        r'data-testid="caseload">6\s*<', river
    )  # 6 current, the one taken off not counted
    assert "How was this worked out?" in page
    assert "not the people living in the neighbourhood" in page
    assert "gp-reg-pat-prac-lsoa-all.csv" in page
    for pid in SMALL_IDS + LARGE_IDS + (800000099,):
        assert str(pid) not in page
    assert "Review falls risk" not in page and "NHS number" not in page


def test_the_counts_in_the_data_layer(icb):
    from openpcn.data.neighbourhoods.icb import icb_neighbourhoods

    data = icb_neighbourhoods("QAA", date.fromisoformat(ON))
    rows = {r["slug"]: r for r in data["neighbourhoods"]}
    assert set(rows) == {"north", "riverside"}
    n = rows["north"]
    assert n["lsoa_count"] == 3 and n["imd"]["lsoas_in_deciles_1_2"] == 2
    assert n["registered_population"] == 10500
    assert [p["code"] for p in n["pcns"]] == ["U00001"]
    assert n["partners"] == {"total": 2, "by_kind": {"trust": 1, "voluntary": 1}}
    assert (n["teams"], n["team_members"], n["open_actions"]) == (1, 2, 2)
    assert n["caseload"] == {"patients": None, "shown": "fewer than 5"}
    assert rows["riverside"]["caseload"] == {"patients": 6, "shown": "6"}
    assert rows["riverside"]["owner"]["code"] == "U00001"


def test_the_csv_has_aggregates_only(icb, client, users):
    c = _commissioner(client, users)
    r = c.get(f"/icb/QAA/neighbourhoods.csv?as_at={ON}")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    text = r.content.decode()
    rows = list(csv.DictReader(io.StringIO(text.split("\r\n\r\n")[0])))
    by_name = {row["neighbourhood"]: row for row in rows}
    assert set(by_name) == {"North", "Riverside"}
    assert by_name["North"]["caseload_patients"] == "fewer than 5"
    assert by_name["North"]["registered_patients_of_serving_pcns"] == "10500"
    assert by_name["North"]["lsoas_in_imd_deciles_1_2"] == "2"
    assert by_name["Riverside"]["caseload_patients"] == "6"
    assert by_name["North"]["team_members"] == "2" and by_name["North"]["open_actions"] == "2"
    for pid in SMALL_IDS + LARGE_IDS + (800000099,):
        assert str(pid) not in text


def test_the_api_gives_the_same_aggregates(icb, client, users):
    c = _commissioner(client, users)
    r = c.get(f"/api/neighbourhoods/icb/QAA?as_at={ON}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert {n["slug"] for n in body["neighbourhoods"]} == {"north", "riverside"}
    assert "patient_id" not in r.content.decode()
    for pid in SMALL_IDS + LARGE_IDS:
        assert str(pid) not in r.content.decode()


def test_the_icb_page_links_to_its_neighbourhoods(icb, client, users):
    c = _commissioner(client, users)
    page = c.get("/icb/QAA/").content.decode()
    assert 'href="/icb/QAA/neighbourhoods/"' in page


def test_another_icbs_commissioner_and_a_pcn_lead_are_refused(icb, client, users):
    other, _ = create_user("beta-commissioner", "icb_commissioner", "QBB", PASSWORD)
    client.force_login(other)
    assert client.get(URL).status_code == 403
    assert client.get("/icb/QAA/neighbourhoods.csv").status_code == 403
    assert client.get("/icb/QBB/neighbourhoods/").status_code == 200
    client.force_login(users["pcn_lead"])
    assert client.get(URL).status_code == 403
    assert client.get("/icb/QAA/neighbourhoods.csv").status_code == 403
    assert client.get("/api/neighbourhoods/icb/QAA").status_code == 403


def test_an_administrator_sees_any_icb(icb, client, users):
    client.force_login(users["admin"])
    assert client.get(URL).status_code == 200


def test_the_explanations_name_the_source_and_each_pcn(icb, client, users):
    page = _commissioner(client, users).get(URL + f"?as_at={ON}").content.decode()
    north = page.split('data-testid="icb-neighbourhood-north"')[1].split("</tr>")[0]
    assert "gp-reg-pat-prac-all.csv, as of 2026-04-01" in north
    assert "Alpha North PCN (U00001)</strong>: 10,500 patients" in north
    assert "fewer than 5 patients" in north and "counted, never listed" in north


def test_another_icbs_commissioner_is_refused_by_the_api(icb, client):
    other, _ = create_user("beta-commissioner", "icb_commissioner", "QBB", PASSWORD)
    client.force_login(other)
    assert client.get("/api/neighbourhoods/icb/QAA").status_code == 403
    body = client.get("/api/neighbourhoods/icb/QBB").json()
    assert [n["slug"] for n in body["neighbourhoods"]] == ["beta"]


@pytest.mark.parametrize(
    ("count", "value", "words"),
    [
        (0, 0, "0"),
        (1, None, "fewer than 5"),
        (4, None, "fewer than 5"),
        (5, 5, "5"),
        (1234, 1234, "1,234"),
    ],
)
def test_counts_of_one_to_four_are_suppressed(count, value, words):
    from openpcn.neighbourhoods.counts import shown, suppressed

    assert suppressed(count) == value and shown(count) == words


def test_the_neighbourhood_list_links_a_commissioner_to_the_icb_view(icb, client, users):
    page = _commissioner(client, users).get("/neighbourhoods/").content.decode()
    assert 'href="/icb/QAA/neighbourhoods/"' in page
    client.force_login(users["pcn_lead"])
    assert "/icb/QAA/neighbourhoods/" not in client.get("/neighbourhoods/").content.decode()
