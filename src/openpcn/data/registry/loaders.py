"""Loaders: write a parsed registry file into the database in one transaction, verify it,
and record what was ingested. Re-importing the same file (same SHA-256) changes nothing.

A file that fails to parse or verify leaves the database exactly as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import IntegrityError, transaction

from openpcn.data.registry import lsoa_registrations
from openpcn.data.registry.ingest_common import ImportFailed
from openpcn.data.registry.ingestors import LOADERS
from openpcn.data.registry.models import (
    IngestedFile,
)
from openpcn.registry.errors import RegistryFileError

# Patients per practice per LSOA: its loader lives beside its reads (ingestors.py is full).
LOADERS[lsoa_registrations.KIND] = lsoa_registrations.load


@dataclass
class ImportResult:
    name: str
    kind: str
    as_of: date | None
    status: str  # loaded | unchanged
    rows_read: int = 0
    rows_loaded: int = 0
    warnings: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Importer:
    """A file type another domain imports through the same pipeline (same record, same
    one-transaction rule). ``load(parsed, ingested) -> (rows_loaded, warnings)``."""

    kind: str
    detect: object  # path -> bool
    parse: object  # path -> parsed object with .as_of, .records, .warnings, .counts
    load: object
    after: str = "nhse_des_population"  # import after this registry kind


EXTRA_IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    """Called from a domain app's ready(): its file type joins import and import-all."""
    EXTRA_IMPORTERS[importer.kind] = importer


def detect_kind(path: Path) -> tuple[str | None, str]:
    """The file's kind (registry or another domain's) and the reason when unknown."""
    from openpcn.registry.parsers import detect_with_reason

    kind, reason = detect_with_reason(path)
    if kind in LOADERS:
        return kind, reason
    if kind:  # parsed (openpcn.registry.parsers) but not stored yet: skipped, not refused
        return None, f"{kind} file: the registry does not store it yet"
    for importer in EXTRA_IMPORTERS.values():
        try:
            if importer.detect(path):
                return importer.kind, ""
        except (OSError, ValueError):
            continue
    return None, reason


def import_file(path: Path, parsed=None) -> ImportResult:
    """Parse (unless given), load in one transaction, verify, record. Raises ImportFailed."""
    from openpcn.registry.parsers import parse

    path = Path(path)
    sha = sha256_of(path)
    done = IngestedFile.objects.filter(sha256=sha).first()
    if done is not None:
        return ImportResult(
            path.name, done.kind, done.as_of, "unchanged", done.rows_read, done.rows_loaded
        )
    kind, reason = detect_kind(path) if parsed is None else (parsed.kind, "")
    if kind is None:
        raise ImportFailed(f"{path.name}: not a file OpenPCN can import ({reason})")
    extra = EXTRA_IMPORTERS.get(kind)
    try:
        if parsed is None:
            parsed = extra.parse(path) if extra else parse(path)
    except RegistryFileError as e:
        raise ImportFailed(str(e)) from e
    except ValueError as e:  # other domains' parsers raise ValueError subclasses too
        raise ImportFailed(f"{path.name}: {e}") from e
    loader = extra.load if extra else LOADERS.get(parsed.kind)
    if loader is None:
        raise ImportFailed(f"{path.name}: files of type '{parsed.kind}' have no loader yet")
    rows_read = parsed.counts.get("rows_read", len(parsed.records))
    with transaction.atomic():
        ingested = IngestedFile.objects.create(
            name=path.name,
            path=str(path),
            sha256=sha,
            kind=kind,
            as_of=parsed.as_of,
            rows_read=rows_read,
            warnings=list(parsed.warnings),
        )
        try:
            loaded, warnings = loader(parsed, ingested)
        except IntegrityError as e:  # a safety net: the loaders check before they write
            raise ImportFailed(f"{path.name}: conflicts with data already loaded ({e})") from e
        ingested.rows_loaded = loaded
        ingested.warnings = list(parsed.warnings) + warnings
        ingested.save(update_fields=["rows_loaded", "warnings"])
    return ImportResult(
        path.name, kind, parsed.as_of, "loaded", rows_read, loaded, ingested.warnings
    )


# Dependency order for import-all: organisations and memberships before populations.
ORDER = [
    "ods_epraccur",
    "ods_epcn",
    "ods_epcn_csv",
    "gp_reg_map",
    "gp_reg_all",
    "gp_reg_quin_age",
    "gp_reg_sing_age",
    "gp_reg_lsoa",
    "nhse_des_population",
    "ods_etr",
    "mhclg_iod_file1",
    "ons_imd_lookup",
]


def import_order() -> list[str]:
    """Registry kinds, then other domains' kinds after the kind each names."""
    order = list(ORDER)
    for importer in EXTRA_IMPORTERS.values():
        at = order.index(importer.after) + 1 if importer.after in order else len(order)
        order.insert(at, importer.kind)
    return order
