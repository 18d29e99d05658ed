"""Import every real file in OPENPCN_DATA through the CLI and check the published figures."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.core.cache import cache
from typer.testing import CliRunner

from openpcn.cli.main import app
from openpcn.data.registry.models import (
    DesPopulation,
    IngestedFile,
    Organisation,
    RegisteredPopulation,
    Relation,
)

runner = CliRunner()


def wipe_imported_data():
    """Every row any import wrote: models pointing at IngestedFile first, then the registry."""
    from django.apps import apps

    dependants = [
        m
        for m in apps.get_models()
        if any(getattr(f, "related_model", None) is IngestedFile for f in m._meta.fields)
        and m not in (Relation, RegisteredPopulation, DesPopulation)
    ]
    for model in (
        *dependants,
        Relation,
        RegisteredPopulation,
        DesPopulation,
        IngestedFile,
        Organisation,
    ):
        model.objects.all().delete()


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker, raw):
    with django_db_blocker.unblock():
        cache.clear()
        result = runner.invoke(app, ["data", "import-all", str(raw)])
        assert result.exit_code == 0, result.output
        yield result.output
        wipe_imported_data()
        cache.clear()


def report(as_of: str) -> dict:
    result = runner.invoke(app, ["report", "pcn-sizes", "--as-of", as_of, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.django_db
def test_every_registry_file_loaded(national):
    kinds = sorted(IngestedFile.objects.values_list("kind", flat=True))
    assert kinds.count("gp_reg_map") == 3 and kinds.count("ods_epcn") == 3
    assert {
        "gp_reg_all",
        "gp_reg_quin_age",
        "gp_reg_sing_age",
        "ods_epraccur",
        "nhse_des_population",
    } <= set(kinds)
    assert re.search(r"Imported (\d+) of \1 data files", national)
    assert "nhsd_pcn_workforce" in kinds and "nhsd_iif_achievement" in kinds


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("as_of", "pcns", "in_band", "pct", "below", "above"),
    [
        ("2022-01-01", 1254, 699, 55.7, 91, 464),
        ("2026-07-01", 1298, 691, 53.2, 119, 488),
        # PCN rows of the single-year-of-age file: newer than any practice count
        ("2026-08-01", 1298, 697, 53.7, 121, 480),
    ],
)
def test_published_pcn_size_figures(national, as_of, pcns, in_band, pct, below, above):
    r = report(as_of)
    assert (r["pcn_count"], r["in_band"], r["in_band_pct"], r["below"], r["above"]) == (
        pcns,
        in_band,
        pct,
        below,
        above,
    )
    assert r["membership_as_of"] == as_of and r["population_as_of"] == as_of
    assert r["practices_unmatched"] == 0
    assert sum(i["pcn_count"] for i in r["by_icb"]) == pcns
    assert sum(i["in_band"] for i in r["by_icb"]) == in_band


@pytest.mark.django_db
def test_april_2025_equals_a_count_straight_from_the_files(national, raw):
    """No map for April 2025: membership is the ePCN of January 2025 as at 1 April, sizes the
    April practice totals. The same figures, worked out from the two files directly."""
    import csv
    import statistics

    import openpyxl

    on = date(2025, 4, 1)
    wb = openpyxl.load_workbook(raw / "ods_epcn_2025-01/ePCN.xlsx", read_only=True)
    rows = wb["PCN Core Partner Details"].iter_rows(values_only=True)
    head = [str(h).replace("\n", " ") for h in next(rows)]
    code, pcn = head.index("Partner Organisation Code"), head.index("PCN Code")
    start = head.index("Practice to PCN Relationship Start Date")
    end = head.index("Practice to PCN Relationship End Date")
    members = {
        r[code]: r[pcn]
        for r in rows
        if str(r[start]) <= on.strftime("%Y%m%d") and (not r[end] or str(r[end]) >= "20250401")
    }
    wb.close()
    with (raw / "nhsd_gp_reg_2025-04/gp-reg-pat-prac-all.csv").open(encoding="utf-8-sig") as f:
        counts = {r["CODE"]: int(r["NUMBER_OF_PATIENTS"]) for r in csv.DictReader(f)}
    sizes: dict[str, int] = {}
    for practice, p in members.items():
        sizes[p] = sizes.get(p, 0) + counts.get(practice, 0)
    values = sorted(sizes.values())
    r = report("2025-04-01")
    assert (r["membership_as_of"], r["population_as_of"]) == ("2025-01-20", "2025-04-01")
    assert r["pcn_count"] == len(sizes) == 1283
    assert r["in_band"] == sum(30000 <= v <= 50000 for v in values) == 676
    assert (r["below"], r["above"]) == (
        sum(v < 30000 for v in values),
        sum(v > 50000 for v in values),
    )
    assert r["median"] == statistics.median(values)
    # 60 members by the ePCN are not in the April list (closed or merged since): no count, and
    # no older count carried forward for them
    assert r["practices_unmatched"] == sum(1 for p in members if p not in counts) == 60


@pytest.mark.django_db
def test_quin_age_total_is_england(national):
    total = sum(
        RegisteredPopulation.objects.filter(
            extract_date=date(2026, 7, 1), sex="ALL", age_kind="all", org__kind="practice"
        ).values_list("count", flat=True)
    )
    assert total == 63_436_508


@pytest.mark.django_db
def test_reimport_changes_nothing(national, raw):
    before = (
        Relation.objects.count(),
        RegisteredPopulation.objects.count(),
        IngestedFile.objects.count(),
    )
    result = runner.invoke(
        app, ["data", "import", str(raw / "nhsd_gp_reg_2026-07" / "gp-reg-pat-prac-map.csv")]
    )
    assert "unchanged" in result.output
    assert (
        Relation.objects.count(),
        RegisteredPopulation.objects.count(),
        IngestedFile.objects.count(),
    ) == before


@pytest.mark.django_db
def test_practice_moves_and_icb_reform(national):
    # QE1 was an STP code in 2022 and an ICB code by 2026: one organisation, now an ICB.
    assert Organisation.objects.get(code="QE1").kind == "icb"
    assert Organisation.objects.filter(kind="pcn").count() >= 1298
