"""The real NHS England DES population file imports into an empty registry on its own; the
real ODS files then take its practices over, keeping the source history."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from django.core.cache import cache

from openpcn.data.registry.loaders import import_file
from openpcn.data.registry.models import DesPopulation, Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
DES = "nhse_pcn_adjusted_population_2025-26/pcn_data_2024-25_weighted.csv"


def test_des_file_alone_then_ods(raw):
    cache.clear()
    assert not Organisation.objects.exists()
    result = import_file(raw / DES)
    assert result.status == "loaded" and result.rows_loaded == 6329
    practices = Organisation.objects.filter(kind="practice")
    assert practices.count() == 6329 and Organisation.objects.filter(kind="pcn").count() == 1273
    y = Organisation.objects.get(code="Y07016")  # the practice that used to refuse the file
    assert (y.name, y.source) == ("SAS WEST ESSEX COMMISCEO PCS LIMITED", DES.split("/")[1])
    assert DesPopulation.objects.get(practice=y).raw_list_size == 13

    epraccur = raw / "ods_epraccur_2026-06/epraccur.csv"
    import_file(epraccur)
    import_file(raw / "ods_epcn_2025-01/ePCN.xlsx")
    with epraccur.open(encoding="utf-8") as fh:
        ods_named = {row[0] for row in csv.reader(fh)}
    des_codes = set(practices.values_list("code", flat=True)) & {
        r[0] for r in csv.reader((raw / DES).open(encoding="utf-8-sig"))
    }
    taken_over = {
        code
        for code, source in Organisation.objects.filter(code__in=des_codes).values_list(
            "code", "source"
        )
        if source.startswith(DES.split("/")[1] + "; ")
    }
    assert taken_over == des_codes & ods_named  # every practice ODS names took the record over
    y.refresh_from_db()
    assert y.source == "pcn_data_2024-25_weighted.csv; epraccur.csv"
    assert (y.opened, y.postcode) == (date(2021, 4, 1), "SS2 6BB")
    assert Organisation.objects.filter(code="Y07016").count() == 1
    assert DesPopulation.objects.count() == 6329  # the figures stay with the merged records
