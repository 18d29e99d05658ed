"""A neighbourhood built from a real list of LSOAs (every LSOA of Hartlepool, then of two
local authorities, read straight from the IoD 2025 workbook) shows its local authorities and
IMD profile, with figures recomputed here independently from the workbook; the CLI's create
and show --format json; bad input refused whole."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from openpcn.cli.main import app
from openpcn.data.neighbourhoods import queries, store
from openpcn.data.neighbourhoods.models import Footprint, Neighbourhood, NeighbourhoodPartner
from openpcn.data.registry.models import Organisation
from tests.neighbourhoods.conftest import deciles_of, lad_lsoas

pytestmark = pytest.mark.django_db
runner = CliRunner()
HARTLEPOOL, CITY = "E06000001", "E09000001"


def cli(*args):
    return runner.invoke(app, ["neighbourhoods", *args])


def codes_file(tmp_path, codes, header="LSOA21CD", name="lsoas.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *codes]) + "\n")
    return path


def test_cli_create_and_show_json_match_the_workbook(deprivation, orgs, tmp_path):
    codes = lad_lsoas(deprivation, HARTLEPOOL)
    assert len(codes) == 57
    made = cli(
        "create",
        "Hartlepool",
        "--lsoas",
        str(codes_file(tmp_path, codes)),
        "--pcn",
        "U00001",
        "--from",
        "2026-04-01",
    )
    assert made.exit_code == 0, made.output
    assert "Created Hartlepool (U00001) with 57 LSOAs from 2026-04-01" in made.stderr
    shown = cli("show", "Hartlepool", "--format", "json", "--as-at", "2026-06-01")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["lsoas_by_imd_decile"] == deciles_of(deprivation, codes)
    assert data["lsoas_by_imd_decile"]["1"] == 24  # Hartlepool: 24 of 57 in the most deprived 10%
    assert data["local_authorities"] == [{"code": HARTLEPOOL, "name": "Hartlepool", "lsoas": 57}]
    assert sorted(a["code"] for a in data["lsoas"]) == sorted(codes)
    assert [p["code"] for p in data["pcns"]] == ["U00001"] and data["partners"] == []
    assert [p["code"] for p in data["practices"]] == ["A00001", "A00002"]
    assert data["residence"]["loaded"] is False
    assert "gp-reg-pat-prac-lsoa-all.csv" in data["residence"]["how_to_get_it"]
    assert data["deprivation_source"]["kind"] == "mhclg_iod_file1"
    assert data["version"]["start"] == "2026-04-01" and data["version"]["end"] is None
    before = cli("show", "Hartlepool", "--format", "json", "--as-at", "2026-03-31")
    assert json.loads(before.stdout)["version"] is None  # nothing before its first day


def test_two_local_authorities(deprivation, orgs, tmp_path):
    codes = lad_lsoas(deprivation, HARTLEPOOL) + lad_lsoas(deprivation, CITY)
    nb = store.create("Two places", "QAA", [(None, c) for c in codes], date(2026, 4, 1), by="t")
    data = queries.summary(nb, date(2026, 4, 1))
    assert data["lsoas_by_imd_decile"] == deciles_of(deprivation, codes)
    assert [(la["code"], la["lsoas"]) for la in data["local_authorities"]] == [
        (HARTLEPOOL, 57),
        (CITY, 6),
    ]
    assert sum(data["lsoas_by_imd_decile"].values()) == data["lsoa_count"] == 63


def test_cli_text_show(deprivation, orgs, tmp_path):
    cli(
        "create",
        "City",
        "--lsoas",
        str(codes_file(tmp_path, lad_lsoas(deprivation, CITY))),
        "--owner",
        "QAA",
    )
    shown = cli("show", "City")
    assert shown.exit_code == 0, shown.output
    assert "City of London (E09000001) 6" in shown.stdout
    assert "Residence: not loaded." in shown.stdout


@pytest.mark.parametrize(
    ("codes", "words"),
    [
        (["E01000001", "E01000010"], "E01000010 is a 2011 LSOA code that is not a 2021 LSOA"),
        (["E01000001", "E01099999"], "E01099999 is not a 2021 LSOA"),
        (["E01000001", "nonsense"], "'NONSENSE' is not an LSOA code"),
    ],
)
def test_bad_codes_refuse_the_whole_list(deprivation, orgs, tmp_path, codes, words):
    result = cli("create", "Bad", "--lsoas", str(codes_file(tmp_path, codes)), "--pcn", "U00001")
    assert result.exit_code == 1
    assert words in result.stderr and "(nothing was saved)" in result.stderr
    assert "line 3" in result.stderr
    assert not Neighbourhood.objects.exists() and not Footprint.objects.exists()


def test_other_bad_input(deprivation, orgs, tmp_path):
    f = codes_file(tmp_path, ["E01000001"])
    r = cli("create", "X", "--lsoas", str(f), "--pcn", "NOPE1")
    assert r.exit_code == 1 and "no ICB or PCN with the code 'NOPE1'" in r.stderr
    r = cli("create", "X", "--lsoas", str(f))
    assert r.exit_code == 1 and "--owner CODE or --pcn CODE" in r.stderr
    r = cli("create", "X", "--lsoas", str(f), "--owner", "A00001")
    assert r.exit_code == 1 and "is a GP practice, not an ICB or PCN" in r.stderr
    r = cli("create", "X", "--lsoas", str(f), "--owner", "QAA", "--from", "1 April")
    assert r.exit_code == 1 and "is not a date" in r.stderr
    assert cli("create", "X", "--lsoas", str(f), "--owner", "QAA").exit_code == 0
    r = cli("create", "X", "--lsoas", str(f), "--owner", "QAA")
    assert r.exit_code == 1 and "already has a neighbourhood called 'X'" in r.stderr
    r = cli("show", "Nowhere")
    assert r.exit_code == 1 and "no neighbourhood called 'Nowhere'" in r.stderr
    assert Neighbourhood.objects.count() == 1


def test_versions_and_overlaps(deprivation, orgs):
    nb = store.create("V", "QAA", [(1, "E01000001")], date(2026, 1, 1), by="t")
    store.new_version(nb, [(1, "E01000001"), (2, "E01000002")], date(2026, 7, 1), by="t")
    first, second = nb.footprints.order_by("start")
    assert first.end == date(2026, 6, 30) and second.end is None
    assert len(queries.summary(nb, date(2026, 6, 30))["lsoas"]) == 1
    assert len(queries.summary(nb, date(2026, 7, 1))["lsoas"]) == 2
    with pytest.raises(store.NeighbourhoodError, match="overlaps the one 2026-01-01 to 2026-06-30"):
        store.new_version(nb, [(1, "E01000003")], date(2026, 3, 1), date(2026, 4, 1), by="t")
    with pytest.raises(store.NeighbourhoodError, match="not a 2021 LSOA"):
        store.new_version(nb, [(1, "E01099999")], date(2027, 1, 1), by="t")
    assert nb.footprints.count() == 2 and nb.footprints.get(end=None).start == date(2026, 7, 1)


def test_partners_with_roles_and_dates(deprivation, orgs):
    nb = store.create("P", "U00001", [(1, "E01000001")], date(2026, 1, 1), by="t")
    trust = Organisation.objects.get(code="R0A")
    store.add_partner(nb, "provides community nursing", date(2026, 1, 1), by="lead", code="R0A")
    with pytest.raises(store.NeighbourhoodError, match="overlaps the one from 2026-01-01"):
        store.add_partner(nb, "Provides community nursing", date(2026, 5, 1), by="x", code="R0A")
    store.add_partner(nb, "hosts the team", date(2026, 5, 1), by="lead", code="R0A")
    la = Organisation.objects.get(code=HARTLEPOOL, kind="local_authority")
    store.add_partner(nb, "provides adult social care", date(2026, 1, 1), by="lead", code=la.code)
    vcs = store.add_partner(
        nb,
        "provides social prescribing",
        date(2026, 2, 1),
        by="lead",
        new={"kind": "voluntary", "name": "Hartlepool Volunteers"},
    )
    assert vcs.organisation.source == "entered by lead" and vcs.organisation.code == "XN00001"
    for bad in (
        {"kind": "pharmacy", "name": "Half saved?", "code": "NOT A CODE"},
        {"kind": "practice", "name": "Half saved?"},
    ):
        with pytest.raises(store.NeighbourhoodError):
            store.add_partner(nb, "provides pharmacy services", date(2026, 3, 1), by="l", new=bad)
    assert not Organisation.objects.filter(name="Half saved?").exists()  # nothing half-saved
    with pytest.raises(store.NeighbourhoodError, match="is a GP practice, not a partner"):
        store.add_partner(nb, "x", date(2026, 1, 1), by="t", code="A00001")
    with pytest.raises(store.NeighbourhoodError, match="before the start"):
        store.add_partner(nb, "y", date(2026, 3, 1), date(2026, 2, 1), by="t", code="R0A")
    data = queries.summary(nb, date(2026, 6, 1))
    assert {(p["code"], p["role"]) for p in data["partners"]} == {
        (trust.code, "provides community nursing"),
        (trust.code, "hosts the team"),
        (HARTLEPOOL, "provides adult social care"),
        ("XN00001", "provides social prescribing"),
    }
    assert NeighbourhoodPartner.objects.count() == 4
    assert len(queries.summary(nb, date(2026, 1, 15))["partners"]) == 2


def test_cli_version_and_partner(deprivation, orgs, tmp_path):
    city = lad_lsoas(deprivation, CITY)
    cli(
        "create",
        "C",
        "--lsoas",
        str(codes_file(tmp_path, city[:3])),
        "--owner",
        "QAA",
        "--from",
        "2026-01-01",
    )
    r = cli("version", "C", "--lsoas", str(codes_file(tmp_path, city)), "--from", "2026-07-01")
    assert r.exit_code == 0, r.output
    r = cli(
        "version",
        "C",
        "--lsoas",
        str(codes_file(tmp_path, city)),
        "--from",
        "2026-03-01",
        "--to",
        "2026-08-01",
    )
    assert r.exit_code == 1 and "overlaps the one" in r.stderr
    r = cli("add-partner", "C", "--org", "R0A", "--role", "hosts the team", "--from", "2026-01-01")
    assert r.exit_code == 0, r.output
    r = cli(
        "add-partner",
        "C",
        "--kind",
        "pharmacy",
        "--name",
        "Corner Chemist",
        "--role",
        "provides pharmacy services",
        "--from",
        "2026-01-01",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(cli("show", "C", "--format", "json", "--as-at", "2026-07-01").stdout)
    assert data["lsoa_count"] == 6 and data["version"]["versions"] == 2
    assert {p["name"] for p in data["partners"]} == {
        "MANCHESTER UNIVERSITY NHS FOUNDATION TRUST",
        "Corner Chemist",
    }
    spring = json.loads(cli("show", "C", "--format", "json", "--as-at", "2026-06-30").stdout)
    assert spring["lsoa_count"] == 3


def test_pcns_with_dates(deprivation, orgs):
    nb = store.create("D", "QAA", [(1, "E01000001")], date(2026, 1, 1), pcns=["U00001"], by="t")
    r = cli("add-pcn", "D", "--pcn", "U00001", "--from", "2026-02-01")
    assert r.exit_code == 1 and "U00001 serving D from 2026-02-01 (open) overlaps" in r.stderr
    r = cli("add-pcn", "D", "--pcn", "U00002", "--from", "2026-02-01", "--to", "2026-03-31")
    assert r.exit_code == 0, r.output
    assert [p["code"] for p in queries.summary(nb, date(2026, 3, 1))["pcns"]] == [
        "U00001",
        "U00002",
    ]
    assert [p["code"] for p in queries.summary(nb, date(2026, 4, 1))["pcns"]] == ["U00001"]
    with pytest.raises(store.NeighbourhoodError, match="is a GP practice, not a PCN"):
        store.add_pcn(nb, "A00001", date(2026, 1, 1), by="t")
