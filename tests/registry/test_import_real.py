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
