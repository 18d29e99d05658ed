"""Where people live against where they are registered, end to end on fixtures in the
published LSOA registration layout: the registry's practice map and totals of the same
extract, the real IoD 2025 File 1 (LSOAs and their local authorities), two neighbourhoods of
Hartlepool LSOAs. Each PCN's residence totals are checked against its practices' published
totals; the overlap and the misfit are recomputed independently (plain loops over the rows
written, the map read with the csv module, local authorities from the workbook itself).
Then the pages (loaded, not loaded, small numbers suppressed, scope) and the CLI's JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from typer.testing import CliRunner

from openpcn.cli.main import app
from openpcn.data.neighbourhoods import residence, store
from openpcn.data.registry.loaders import import_file
from openpcn.data.registry.models import RegisteredPopulation
from tests.conftest import make_users
from tests.neighbourhoods.conftest import IOD, iod_rows, lad_lsoas
from tests.neighbourhoods.residence_data import (
    ALL,
    MAP,
    membership,
    practice_totals,
    spread,
    write,
)

pytestmark = pytest.mark.django_db
HARTLEPOOL, CITY = "E06000001", "E09000001"
ON = date(2026, 7, 15)
AS_AT = "?as_at=2026-07-15"


def areas_of(raw) -> tuple[list[str], list[str], dict[str, list[str]]]:
    h, c = lad_lsoas(raw, HARTLEPOOL), lad_lsoas(raw, CITY)
    return (
        h[:30],
        h[30:],
        {
            "A00001": h[:35],
            "A00002": h[20:45],
            "A00003": h[30:] + c[:2],
            "B00001": c + h[:3],
            "B00002": h[:1],
        },
    )


@pytest.fixture
def world(deprivation, tmp_path):
    import_file(MAP)
    import_file(ALL)
    north, south, areas = areas_of(deprivation)
    rows = spread(areas)
    for sex in ("ALL", "MALE", "FEMALE"):
        import_file(write(tmp_path / f"gp-reg-pat-prac-lsoa-{sex.lower()}.csv", rows, sex))
    for name, codes, pcns in (("North", north, ["U00001"]), ("South", south, ["U00002"])):
        store.create(name, "QAA", [(None, c) for c in codes], date(2026, 7, 1), pcns=pcns, by="t")
    return {"rows": rows, "north": set(north), "south": set(south), "users": make_users()}


def test_each_pcns_residence_total_is_its_practices_published_total(world):
    members = membership()
    published = practice_totals()
    for pcn in ("U00001", "U00002", "U00003"):
        got = residence.for_pcn(pcn, ON)
        expected = sum(n for p, n in published.items() if members[p] == pcn)
        stored = sum(
            RegisteredPopulation.objects.filter(
                org__code__in=[p for p in members if members[p] == pcn], sex="ALL", age="ALL"
            ).values_list("count", flat=True)
        )
        assert got["total"]["value"] == expected == stored
        assert got["total"]["data"][0]["source"] == "gp-reg-pat-prac-lsoa-all.csv"
        assert got["total"]["data"][1]["source"] == "fixtures/map-2026-07.csv"


def test_overlap_and_misfit_recomputed_independently(world, deprivation):
    members = membership()
    lad = {r[0]: r[2] for r in iod_rows(str(deprivation / IOD))}
    north, south = world["north"], world["south"]
    footprints, serves = {"North": north, "South": south}, {"North": "U00001", "South": "U00002"}
    for pcn in ("U00001", "U00002", "U00003"):
        total = with_lsoa = outside_own = 0
        per_nb, per_la = {"North": 0, "South": 0}, {}
        for practice, lsoa, n in world["rows"]:
            if members[practice] != pcn:
                continue
            total += n
            if lsoa == "NO2021":
                continue
            with_lsoa += n
            own = False
            for label, codes in footprints.items():
                if lsoa in codes:
                    per_nb[label] += n
                    own = own or serves[label] == pcn
            outside_own += 0 if own else n
            per_la[lad.get(lsoa, "")] = per_la.get(lad.get(lsoa, ""), 0) + n
        got = residence.for_pcn(pcn, ON)
        by_nb = {r["code"]: r["count"] for r in got["by_neighbourhood"]}
        assert {k: by_nb.get(k, 0) for k in footprints} == per_nb
        by_la = {r["code"]: r["shown"] for r in got["by_local_authority"] if r["code"] != ""}
        practices = [p for p in members if members[p] == pcn]
        assert by_la.pop("no LSOA recorded") == str(40 * len(practices))
        assert by_la == {k: f"{v:,}" for k, v in per_la.items() if k}
        expected = round(outside_own / with_lsoa * 100, 1) if pcn != "U00003" else None
        assert got["misfit"]["value"] == expected
    nb = store.queries.find("North")[0]
    r = residence.for_neighbourhood(nb, ON)
    residents = sum(n for _p, lsoa, n in world["rows"] if lsoa in north)
    outside = sum(n for p, lsoa, n in world["rows"] if lsoa in north and members[p] != "U00001")
    assert r["residents"]["value"] == residents
    assert r["misfit"]["value"] == round(outside / residents * 100, 1)
    by_pcn = {p["code"]: p["count"] for p in r["by_pcn"]}
    for pcn in ("U00001", "U00002", "U00003"):
        assert by_pcn.get(pcn, 0) == sum(
            n for p, lsoa, n in world["rows"] if lsoa in north and members[p] == pcn
        )
    assert by_pcn["no PCN"] == sum(
        n for p, lsoa, n in world["rows"] if lsoa in north and members[p] == "U"
    )
    cells = {row["pcn"]: row["cells"][0]["count"] for row in r["overlap"]["rows"]}
    assert cells == {k: v for k, v in by_pcn.items()}


def test_the_pages_when_loaded(world, client):
    client.force_login(world["users"]["pcn_lead"])
    page = client.get("/neighbourhoods/U00001/north/" + AS_AT).content.decode()
    r = residence.for_neighbourhood(store.queries.find("North")[0], ON)
    assert f'data-testid="residents">{r["residents"]["value"]:,}<' in page
    assert f'data-testid="misfit">{r["misfit"]["value"]}%<' in page
    assert 'data-testid="chart-residence"' in page and 'data-testid="by-practice-A00001"' in page
    assert "gp-reg-pat-prac-lsoa-all.csv, extract 2026-07-01" in page
    assert "How was this worked out?" in page and 'data-testid="residence-missing"' not in page
    text = client.get("/neighbourhoods/U00001/north/residence.csv" + AS_AT).content.decode()
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["table", "code", "name", "patients", "share_pct"]
    assert table[1][:2] == ["residents by PCN", "U00001"]
    mine = client.get("/network/U00001/residence/" + AS_AT)
    assert mine.status_code == 200
    html = mine.content.decode()
    total = residence.for_pcn("U00001", ON)["total"]["value"]
    assert f'data-testid="total">{total:,}<' in html and 'data-testid="chart-residence"' in html
    # U00002 has one practice: its 3 patients in Wales are shown as "fewer than 5"
    client.force_login(world["users"]["icb_commissioner"])
    theirs = client.get("/network/U00002/residence/" + AS_AT).content.decode()
    assert "fewer than 5" in theirs and ">3<" not in theirs
    csv_text = client.get("/network/U00002/residence.csv" + AS_AT).content.decode()
    assert "fewer than 5" in csv_text and ",3," not in csv_text
    workspace = client.get("/network/U00001/").content.decode()
    assert 'href="/network/U00001/residence/"' in workspace


def test_a_pcn_lead_sees_only_their_own_pcns_residence(world, client):
    client.force_login(world["users"]["pcn_lead"])
    assert client.get("/network/U00002/residence/").status_code == 403
    client.force_login(world["users"]["admin"])
    assert client.get("/network/NOPE1/residence/").status_code == 404


def test_the_pages_and_cli_say_how_to_get_the_file_when_not_loaded(deprivation, client):
    import_file(MAP)
    users = make_users()
    store.create("North", "QAA", [(None, lad_lsoas(deprivation, HARTLEPOOL)[0])], ON, by="t")
    client.force_login(users["admin"])
    page = client.get("/neighbourhoods/QAA/north/").content.decode()
    assert 'data-testid="residence-missing"' in page and "openpcn data download" in page
    pcn = client.get("/network/U00001/residence/").content.decode()
    assert 'data-testid="residence-missing"' in pcn and "gp-reg-pat-prac-lsoa-all.csv" in pcn
    workspace = client.get("/network/U00001/").content.decode()
    assert "gp-reg-pat-prac-lsoa-all.csv is not loaded yet" in workspace
    out = CliRunner().invoke(app, ["neighbourhoods", "show", "North", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)["residence"]
    assert data["loaded"] is False and "openpcn data import-all" in data["how_to_get_it"]


def test_cli_json_and_the_api_give_the_residence_figures(world, client):
    client.force_login(world["users"]["icb_commissioner"])
    api = client.get("/api/neighbourhoods/QAA/north?as_at=2026-07-15")
    assert api.status_code == 200, api.content
    out = CliRunner().invoke(
        app, ["neighbourhoods", "show", "North", "--format", "json", "--as-at", "2026-07-15"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)["residence"]
    expected = residence.for_neighbourhood(store.queries.find("North")[0], ON)
    assert data["loaded"] is True and data["extract_date"] == "2026-07-01"
    assert data["residents"]["value"] == expected["residents"]["value"] > 0
    assert data["misfit"] == json.loads(json.dumps(expected["misfit"]))
    assert [p["code"] for p in data["serving_pcns"]] == ["U00001"]
    assert api.json()["residence"] == data
    text = CliRunner().invoke(app, ["neighbourhoods", "show", "North", "--as-at", "2026-07-15"])
    assert "Residence (gp-reg-pat-prac-lsoa-all.csv, extract 2026-07-01)" in text.output
    # a PCN added to the neighbourhood counts at once (no file import needed to see it)
    nb = store.queries.find("North")[0]
    store.add_pcn(nb, "U00003", date(2026, 7, 1), by="t")
    after = residence.for_neighbourhood(nb, ON)
    assert [p["code"] for p in after["serving_pcns"]] == ["U00001", "U00003"]
    assert after["misfit"]["value"] < expected["misfit"]["value"]


def test_a_2011_extract_gives_totals_and_says_it_cannot_be_matched(deprivation, client, tmp_path):
    import_file(MAP)
    users = make_users()
    rows = [("A00001", "E01011954", 120), ("A00002", "E01011955", 30), ("A00001", "NO2011", 6)]
    import_file(write(tmp_path / "gp-reg-pat-prac-lsoa-all.csv", rows))  # 2011 codes, 2026
    codes = lad_lsoas(deprivation, HARTLEPOOL)[:3]
    store.create("North", "QAA", [(None, c) for c in codes], ON, pcns=["U00001"], by="t")
    client.force_login(users["admin"])
    pcn = client.get("/network/U00001/residence/" + AS_AT).content.decode()
    assert 'data-testid="total">156<' in pcn and 'data-testid="unmatched"' in pcn
    assert "2011 codes" in pcn and "cannot be matched" in pcn
    page = client.get("/neighbourhoods/QAA/north/" + AS_AT).content.decode()
    assert 'data-testid="unmatched"' in page and 'data-testid="residents"' not in page
    assert 'data-testid="no-membership"' not in page


def test_an_extract_before_any_membership_file_says_so(deprivation, client, tmp_path):
    import_file(MAP)
    users = make_users()
    rows = [("A00001", "E01011954", 120), ("A00001", "NO2011", 6)]
    import_file(write(tmp_path / "gp-reg-pat-prac-lsoa-all.csv", rows, extract="2021-01-04"))
    client.force_login(users["admin"])
    pcn = client.get("/network/U00001/residence/?as_at=2021-02-01").content.decode()
    assert 'data-testid="no-membership"' in pcn and "extract date 2021-01-04" in pcn
    assert 'data-testid="total">0<' in pcn
