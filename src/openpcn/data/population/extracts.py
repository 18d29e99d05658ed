"""A PCN's own extract uploaded through the web app: unpacked, imported and attached in one
step; on any problem nothing is attached and the files are removed. Patient details never
reach a log or an error message: reports count records by reason and position only."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime
from pathlib import Path

from django.conf import settings

from openpcn.data.population.datasets import AttachError, attach
from openpcn.population.importer import import_csv, import_fhir

MAX_BYTES = 200 * 1024 * 1024  # unpacked
FHIR_SUFFIXES = (".json", ".ndjson", ".xml")


class ExtractError(ValueError):
    """An upload that cannot become the PCN's dataset; the message says what to do."""


def _unpack(upload, folder: Path) -> Path:
    name = Path(getattr(upload, "name", "extract")).name
    if not name.lower().endswith(".zip"):
        raise ExtractError(
            "Upload a .zip file holding the CSV extract (patients.csv and the other tables)"
            " or FHIR R4 files (.json, .ndjson, .xml)."
        )
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise ExtractError(f"{name} is not a readable .zip file.") from None
    with archive:
        total = sum(i.file_size for i in archive.infolist())
        if total > MAX_BYTES:
            raise ExtractError(
                f"{name} unpacks to {total // 1_000_000} MB; the limit is"
                f" {MAX_BYTES // 1_000_000} MB: split the extract by practice."
            )
        files = folder / "files"
        for info in archive.infolist():
            if info.is_dir():
                continue
            target = (files / Path(info.filename).name).resolve()  # flatten, no ../ escapes
            if files.resolve() not in target.parents:
                raise ExtractError(f"{name}: {info.filename!r} is not a plain file name.")
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
    return files


def load_extract(pcn_code: str, upload) -> tuple[object, dict, str]:
    """(dataset, import report, note) for an uploaded .zip; ExtractError leaves nothing."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(settings.POPULATION_DIR) / pcn_code / f"extract-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    try:
        files = _unpack(upload, folder)
        out = folder / "dataset"
        if (files / "patients.csv").exists():
            _tables, report = import_csv(files, out)
        else:
            fhir = [p for p in files.iterdir() if p.suffix.lower() in FHIR_SUFFIXES]
            if not fhir:
                raise ExtractError(
                    "The .zip holds neither patients.csv (the CSV extract) nor FHIR files"
                    " (.json, .ndjson, .xml)."
                )
            _tables, report = import_fhir(fhir, out)
        if not report.accepted.get("patients"):
            reasons = ", ".join(f"{k}: {v}" for k, v in sorted(report.rejected.items())) or "none"
            raise ExtractError(f"No patient in the extract could be read (rejected: {reasons}).")
        try:
            ds, note = attach(pcn_code, out)
        except AttachError as exc:
            raise ExtractError(str(exc)[:1].upper() + str(exc)[1:] + ".") from None
        shutil.rmtree(files, ignore_errors=True)
        return ds, report.as_dict(), note
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
