"""A neighbourhood served by PCN U00001 with a community trust and a voluntary organisation as
partners, and a small population dataset for U00001: patients 1 and 2 severely frail (13 eFI
deficits), 3 a care home resident, 4 housebound, 5 fit."""

from __future__ import annotations

import json
from datetime import date

from tests.population.conftest import make_dataset
from tests.population.test_definitions_spec import EFI_LISTS, c

START = date(2026, 1, 1)


def neighbourhood(by: str = "test"):
    from openpcn.data.neighbourhoods import store
    from openpcn.data.neighbourhoods.models import Neighbourhood, NeighbourhoodPcn
    from openpcn.data.registry.models import Organisation

    nb = Neighbourhood.objects.create(
        owner=Organisation.objects.get(code="U00001"), name="North", slug="north", created_by=by
    )
    NeighbourhoodPcn.objects.create(
        neighbourhood=nb, pcn=Organisation.objects.get(code="U00001"), start=START, created_by=by
    )
    Organisation.objects.create(code="RX1", kind="trust", name="Coast Community Trust")
    store.add_partner(nb, "provides community nursing", START, by=by, code="RX1")
    store.add_partner(
        nb,
        "provides social prescribing",
        START,
        by=by,
        new={"kind": "voluntary", "name": "Friends of North"},
    )
    Organisation.objects.create(code="RZZ", kind="trust", name="Faraway Trust")  # not a partner
    return nb


def dataset(path, pcn: str = "U00001"):
    from openpcn.data.population import cohorts
    from openpcn.data.population.datasets import register

    patients = [
        {"id": 1, "age": 84, "practice": "A00001"},
        {"id": 2, "age": 79, "practice": "A00002"},
        {"id": 3, "age": 88, "practice": "A00001", "care_home": True},
        {"id": 4, "age": 81, "practice": "A00002"},
        {"id": 5, "age": 70, "practice": "A00001"},
    ]
    events = [(pid, c(ref), 400, None) for pid in (1, 2) for ref in EFI_LISTS]
    events.append((4, c("efi/housebound"), 200, None))
    ds = make_dataset(path, patients, events)
    meta = json.loads((ds / "metadata.json").read_text())
    (ds / "metadata.json").write_text(json.dumps({**meta, "patients": 5}, default=str))
    cohorts.clear()
    return register(pcn, ds)
