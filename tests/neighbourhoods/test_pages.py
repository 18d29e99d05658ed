"""The neighbourhood pages and API with the Django client: create from pasted codes, an
uploaded file, or chosen local authorities and PCNs; the detail page's local authorities,
decile table (figures recomputed from the workbook), chart, residence note and partners;
scope (PCN leads for their PCN, ICB commissioners for their ICB, administrators)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.neighbourhoods import store
from openpcn.data.neighbourhoods.models import Neighbourhood, NeighbourhoodPartner
from tests.neighbourhoods.conftest import deciles_of, lad_lsoas

pytestmark = pytest.mark.django_db
HARTLEPOOL, CITY = "E06000001", "E09000001"


@pytest.fixture
def lead(client, users):
    client.force_login(users["pcn_lead"])
    return client


def test_create_from_pasted_codes_and_see_the_profile(deprivation, lead):
    codes = lad_lsoas(deprivation, HARTLEPOOL)
    page = lead.get("/neighbourhoods/U00001/new/")
    assert page.status_code == 200 and b"Hartlepool (E06000001, 57 LSOAs)" in page.content
    r = lead.post(
        "/neighbourhoods/U00001/new/",
        {
            "name": "Hartlepool North",
            "start": "2026-04-01",
            "lsoas": "\n".join(codes),
            "pcns": ["U00001"],
        },
    )
    assert r.status_code == 302 and r["Location"] == "/neighbourhoods/U00001/hartlepool-north/"
    page = lead.get(r["Location"] + "?as_at=2026-05-01")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="lsoa-count">57<' in html and 'data-testid="la-count">1<' in html
    expected = deciles_of(deprivation, codes)
    for d, n in expected.items():
        assert f'data-testid="decile-{d}">{n}<' in html
    assert f'data-testid="deprived">{expected["1"] + expected["2"]}<' in html
    assert 'data-testid="chart-deciles"' in html and "Hartlepool" in html
    assert 'data-testid="residence-missing"' in html and "gp-reg-pat-prac-lsoa-all.csv" in html
    assert "File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx" in html
    assert "Alpha Surgery (A00001), U00001" in html
    csv = lead.get("/neighbourhoods/U00001/hartlepool-north/deciles.csv?as_at=2026-05-01")
    assert csv.content.decode().splitlines()[1] == f"1,{expected['1']}"
    assert AuditEvent.objects.filter(action="neighbourhood created").exists()
    listing = lead.get("/neighbourhoods/")
    assert b"Hartlepool North" in listing.content


def test_create_from_a_file_and_from_local_authorities(deprivation, client, users):
    client.force_login(users["icb_commissioner"])
    upload = SimpleUploadedFile(
        "city.csv", b"LSOA21CD\n" + "\n".join(lad_lsoas(deprivation, CITY)).encode()
    )
    r = client.post(
        "/neighbourhoods/QAA/new/", {"name": "City", "start": "2026-04-01", "lsoa_file": upload}
    )
    assert r.status_code == 302
    r = client.post(
        "/neighbourhoods/QAA/new/",
        {"name": "Two", "start": "2026-04-01", "lads": [HARTLEPOOL, CITY], "pcns": ["U00001"]},
    )
    assert r.status_code == 302
    nb = Neighbourhood.objects.get(slug="two")
    assert nb.footprints.get().lsoas.count() == 63 and nb.pcns.get().pcn.code == "U00001"
    assert "every LSOA of E06000001, E09000001" in nb.footprints.get().how
    # the PCN lead reaches the ICB's neighbourhood through their own PCN, which serves it
    client.force_login(users["pcn_lead"])
    assert client.get("/neighbourhoods/U00001/two/").status_code == 200
    assert client.get("/neighbourhoods/U00001/city/").status_code == 404
    assert client.get("/neighbourhoods/QAA/two/").status_code == 403


def test_bad_codes_are_named_and_nothing_is_saved(deprivation, lead):
    r = lead.post(
        "/neighbourhoods/U00001/new/",
        {"name": "Bad", "start": "2026-04-01", "lsoas": "E01000001\nE01000010\nE01099999"},
    )
    html = r.content.decode()
    assert r.status_code == 400 and "Nothing was saved" in html
    assert "line 2: E01000010 is a 2011 LSOA code" in html
    assert "line 3: E01099999 is not a 2021 LSOA" in html
    assert not Neighbourhood.objects.exists()
    r = lead.post("/neighbourhoods/U00001/new/", {"name": "", "start": "soon"})
    assert r.status_code == 400 and b"Enter a name" in r.content and b"YYYY-MM-DD" in r.content


def test_add_partners(deprivation, lead):
    nb = store.create("P", "U00001", [(1, "E01000001")], date(2026, 1, 1), by="t")
    url = "/neighbourhoods/U00001/p/"
    page = lead.get(url)
    assert b"MANCHESTER UNIVERSITY NHS FOUNDATION TRUST (R0A, NHS trust)" in page.content
    r = lead.post(
        url, {"organisation": "R0A", "role": "provides community nursing", "start": "2026-01-01"}
    )
    assert r.status_code == 302
    r = lead.post(
        url, {"organisation": "R0A", "role": "provides community nursing", "start": "2026-03-01"}
    )
    assert r.status_code == 400 and b"overlaps the one from 2026-01-01" in r.content
    r = lead.post(
        url,
        {
            "new_kind": "voluntary",
            "new_name": "Friends of Hartlepool",
            "role": "provides social prescribing",
            "start": "2026-02-01",
        },
    )
    assert r.status_code == 302
    r = lead.post(url, {"role": "x", "start": "2026-02-01"})
    assert r.status_code == 400 and b"Choose an organisation from the registry" in r.content
    page = lead.get(url).content.decode()
    assert "Friends of Hartlepool" in page and "entered by user-pcn_lead" in page
    assert NeighbourhoodPartner.objects.filter(neighbourhood=nb).count() == 2


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("pcn_lead", "/neighbourhoods/U00001/new/", 200),
        ("pcn_lead", "/neighbourhoods/U00002/new/", 403),
        ("pcn_lead", "/neighbourhoods/QAA/new/", 403),
        ("icb_commissioner", "/neighbourhoods/QAA/new/", 200),
        ("icb_commissioner", "/neighbourhoods/U00001/new/", 200),
        ("icb_commissioner", "/neighbourhoods/QBB/new/", 403),
        ("admin", "/neighbourhoods/QBB/new/", 200),
        ("practice_manager", "/neighbourhoods/", 403),
        ("clinician", "/neighbourhoods/A00001/new/", 403),
        ("pcn_lead", "/neighbourhoods/A00001/new/", 404),
    ],
)
def test_scope(client, users, role, path, status):
    client.force_login(users[role])
    assert client.get(path).status_code == status


def test_api(deprivation, client, users):
    nb = store.create("Api", "QAA", [(1, "E01000001")], date(2026, 1, 1), pcns=["U00001"], by="t")
    client.force_login(users["pcn_lead"])
    listed = client.get("/api/neighbourhoods/").json()
    assert listed == [{"name": "Api", "slug": "api", "owner": "QAA", "via": "U00001"}]
    data = client.get("/api/neighbourhoods/U00001/api?as_at=2026-02-01").json()
    assert data["lsoa_count"] == 1 and data["lsoas_by_imd_decile"]["8"] == 1
    assert data["local_authorities"][0]["code"] == CITY
    assert client.get("/api/neighbourhoods/QAA/api").status_code == 403
    client.force_login(users["icb_commissioner"])
    assert client.get(f"/api/neighbourhoods/QAA/{nb.slug}").status_code == 200
    assert client.get("/api/neighbourhoods/QAA/nope").status_code == 404
