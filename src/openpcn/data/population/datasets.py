"""Creating and registering a PCN's dataset (Django side)."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from openpcn.data.population.models import PopulationDataset
from openpcn.data.registry.models import Organisation
from openpcn.data.registry.queries import membership_at
from openpcn.population.generator import generate_dataset
from openpcn.population.sources import calibration_date, select_practices

log = logging.getLogger(__name__)


def register(pcn_code: str, path: Path) -> PopulationDataset:
    """Record that the dataset at ``path`` (metadata.json + Parquet) belongs to a PCN. Every
    import, attach, upload and demo dataset comes here; once the change is committed, the
    aggregates its population pages read are worked out (:func:`warm`), so that the first
    visit reads them; a change that is rolled back works nothing out."""
    meta = json.loads((Path(path) / "metadata.json").read_text())
    pcn = Organisation.objects.filter(code=pcn_code, kind="pcn").first()
    if pcn is None:
        raise ValueError(f"there is no PCN with the code {pcn_code!r} in the registry")
    with transaction.atomic():
        PopulationDataset.objects.filter(pcn=pcn).delete()
        ds = PopulationDataset.objects.create(
            pcn=pcn,
            path=str(Path(path).resolve()),
            synthetic=bool(meta.get("synthetic")),
            label=meta.get("label", "")
            or ("" if meta.get("synthetic") else meta.get("source", "")),
            patients=int(meta.get("patients", 0)),
            index_date=date.fromisoformat(meta["index_date"]),
        )
        transaction.on_commit(lambda: warm(ds))
    return ds


def warm(ds: PopulationDataset) -> None:
    """The dataset's aggregates worked out now (decision 0025). The dataset is already the
    PCN's: a failure here leaves it so, is logged without any patient detail (the kind of
    error only), and the first visit works them out (and shows any error) instead."""
    from openpcn.data.population import cohorts

    try:
        cohorts.warm(ds)
    except Exception as exc:  # noqa: BLE001 - the import has succeeded; the visit retries
        log.warning(
            "population aggregates of dataset %s not worked out at import (%s); the first"
            " visit works them out",
            ds.pk,
            type(exc).__name__,
        )


class AttachError(ValueError):
    """A dataset that cannot be a PCN's: the message says why and what to do."""


def attach(pcn_code: str, path: Path, on: date | None = None) -> tuple[PopulationDataset, str]:
    """Make an imported extract the PCN's dataset: (dataset, note). Refused, with nothing
    changed, when the folder is not a dataset or none of its patients is registered at one of
    the PCN's member practices; patients at other practices are counted in the note."""
    import pyarrow.parquet as pq

    path = Path(path)
    if not (path / "metadata.json").exists() or not (path / "patients.parquet").exists():
        raise AttachError(
            f"{path} is not a population dataset (no metadata.json and patients.parquet):"
            " import the extract first"
        )
    meta = json.loads((path / "metadata.json").read_text())
    if "index_date" not in meta:
        raise AttachError(f"{path}/metadata.json has no index_date: import the extract again")
    members = set(membership_at(on or date.today()).members_of(pcn_code))
    if not members:
        raise AttachError(f"{pcn_code} has no member practices on record")
    codes = pq.read_table(path / "patients.parquet", columns=["practice_code"])["practice_code"]
    at = [c for c in codes.to_pylist() if c in members]
    if not at:
        raise AttachError(
            f"none of the {len(codes)} patients in the extract is registered at a member practice"
            f" of {pcn_code} ({', '.join(sorted(members))}); nothing was attached"
        )
    others = len(codes) - len(at)
    note = (
        f"{others} patients are registered at practices outside {pcn_code} and are not shown"
        if others
        else ""
    )
    return register(pcn_code, path), note


def generate_for_pcn(pcn_code: str, seed: int = 1, scale: float = 1.0) -> PopulationDataset:
    """A synthetic population matching the PCN's real practices (July 2026 lists): its
    members by the registry as at the extract the generator is calibrated on."""
    members = membership_at(calibration_date()).members_of(pcn_code)
    practices = select_practices(pcn=pcn_code, seed=seed, members=members)
    out = Path(settings.POPULATION_DIR) / pcn_code
    meta = generate_dataset(out, practices, seed, scale=scale, label=f"for {pcn_code}")
    if "patients" not in meta:
        import pyarrow.parquet as pq

        meta["patients"] = pq.read_metadata(out / "patients.parquet").num_rows
        (out / "metadata.json").write_text(json.dumps(meta, default=str, indent=2))
    return register(pcn_code, out)
