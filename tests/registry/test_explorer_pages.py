"""The national explorer, PCN and practice pages (public, no sign-in)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.cache import cache

from openpcn.data.registry.loaders import import_file

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def loaded():
    cache.clear()
    for name in ("map-2026-07.csv", "all-2026-07.csv"):
        import_file(FIXTURES / name)


def test_explorer_summary_and_sources(client):
    html = client.get("/explore/").content.decode()
    assert "3 primary care networks as at 2026-07-01" in html
    assert "1 (33.3%)" in html
    assert "all-2026-07.csv" in html and "PCN membership as of 2026-07-01" in html
    assert 'data-vega-spec="spec-histogram"' in html and "Show as a table" in html


def test_band_is_editable(client):
    html = client.get("/explore/?band=25000-40000").content.decode()
    assert "2 (66.7%)" in html


@pytest.mark.parametrize("query", ["band=abc", "band=50000-30000", "as_of=2026-13-01"])
def test_bad_inputs_get_a_message(client, query):
    response = client.get(f"/explore/?{query}")
    assert response.status_code == 400
    assert b"nhsuk-header" in response.content


def test_csv_downloads(client):
    response = client.get("/explore/download/pcns.csv?band=30000-50000")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["pcn_code"] for r in rows} == {"U00001", "U00002", "U00003"}
    alpha = next(r for r in rows if r["pcn_code"] == "U00001")
    assert alpha["registered_patients"] == "35000" and alpha["in_band"] == "True"
    assert alpha["largest_practice_share_pct"] == "57.1" and alpha["one_dominant_practice"]
    icbs = client.get("/explore/download/icbs.csv").content.decode()
    assert "QAA" in icbs and "QBB" in icbs
    assert client.get("/explore/download/nope.csv").status_code == 404


def test_dominant_practice_flag(client):
    html = client.get("/explore/").content.decode()
    dominant = html.split('data-testid="dominant-table"')[1]
    assert "ALPHA NORTH PCN" in dominant and "57.1%" in dominant


def test_pcn_page(client):
    html = client.get("/explore/pcn/U00001/").content.decode()
    assert "35,000" in html and "ALPHA SURGERY" in html and "ALDER MEDICAL CENTRE" in html
    assert "all-2026-07.csv, 2026-07-01" in html
    assert "Membership history" in html
    trend = client.get("/explore/pcn/U00001/?csv=trend").content.decode()
    assert "2026-07-01,35000" in trend


def test_practice_page(client):
    html = client.get("/explore/practice/B00002/").content.decode()
    assert "4,000" in html and "Not in a PCN" in html
    assert client.get("/explore/practice/ZZZZZ/").status_code == 404


def test_search(client):
    response = client.get("/explore/search/?q=u00003")
    assert response["Location"] == "/explore/pcn/U00003/"
    html = client.get("/explore/search/?q=alpha").content.decode()
    assert "ALPHA NORTH PCN" in html and "ALPHA SURGERY" in html


def test_figures_are_explained(client):
    html = client.get("/explore/").content.decode()
    assert "How was this worked out?" in html
    assert "in_band / pcn_count" not in html  # the renderer speaks in words
    assert "PCNs in band / PCNs x 100" in html and "all-2026-07.csv, as of 2026-07-01" in html


def test_pcn_sizes_api(client):
    body = client.get("/api/registry/pcn-sizes?band=25000-40000").json()
    assert (body["pcn_count"], body["in_band"], body["in_band_pct"]) == (3, 2, 66.7)
    assert body["figures"]["in_band_pct"]["inputs"][0]["value"] == 2
    assert body["figures"]["median"]["data"][0]["source"] == "all-2026-07.csv"
    bad = client.get("/api/registry/pcn-sizes?band=lots")
    assert bad.status_code == 422 and "write it like 30000-50000" in bad.json()["detail"]
