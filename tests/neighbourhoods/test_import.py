"""The IoD 2025 File 1, the IMD 2019 lookup and the ODS trusts file through the registry's
import pipeline: recognised by content, loaded in one transaction, a bad file saves nothing."""

from __future__ import annotations

from collections import Counter

import pytest

from openpcn.data.registry.loaders import import_file
from openpcn.data.registry.models import IngestedFile, Lsoa, Organisation, Relation
from tests.neighbourhoods.conftest import IOD, iod_rows

pytestmark = pytest.mark.django_db


def test_every_2021_lsoa_with_its_la_rank_and_decile(deprivation):
    rows = iod_rows(str(deprivation / IOD))
    lsoas = Lsoa.objects.filter(vintage=2021)
    assert lsoas.count() == len(rows) == 33755
    assert lsoas.filter(edition=2025, decile_derived=False).count() == 33755
    held = dict(lsoas.values_list("code", "imd_decile"))
    assert Counter(held.values()) == Counter(r[5] for r in rows)
    first = lsoas.get(code="E01000001")
    assert (first.lad_code, first.imd_rank, first.imd_decile, first.lad_vintage) == (
        "E09000001",
        26525,
        8,
        2024,
    )
    assert Organisation.objects.filter(kind="local_authority").count() == 296


def test_2011_lsoas_from_the_lookup(deprivation):
    old = Lsoa.objects.filter(vintage=2011)
    assert old.count() == 32844 and old.filter(decile_derived=True, edition=2019).count() == 32844
    f = IngestedFile.objects.get(kind="ons_imd_lookup")
    assert any("shared" in w for w in f.warnings)


def test_trusts_as_organisations_in_their_icb(deprivation):
    trusts = Organisation.objects.filter(kind="trust")
    assert trusts.count() == 274
    solent = trusts.get(code="R1C")
    assert solent.closed.isoformat() == "2024-09-30" and solent.status == "closed"
    assert trusts.get(code="R0A").status == "active"
    f = IngestedFile.objects.get(kind="ods_etr")
    assert f.rows_loaded == 274 and f.name == "etr.csv"
    # only the trust file is loaded here, so no ICB is known: the warning says so
    assert not Relation.objects.filter(child__kind="trust").exists()
    assert any("not an ICB in the registry" in w for w in f.warnings)


def test_reimport_is_unchanged(deprivation):
    assert import_file(deprivation / IOD).status == "unchanged"
