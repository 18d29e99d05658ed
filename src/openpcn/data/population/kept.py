"""Aggregates of a PCN's cohort results, kept beside the dataset per version (decision 0025).

A version is the dataset's folder, the newest modification of its Parquet files (an import or
a recorded review changes it) and the index date its cohorts are worked out at (today). The
aggregates (counts per practice and cohort, rates per group, the eFI pyramid, SMR progress)
are written as JSON into the dataset's own ``results/`` folder, where the per-patient results
they come from are already kept: a worker's first visit reads a few kilobytes instead of every
definition's per-patient table. They hold no patient identifiers; small numbers are only
suppressed when shown, by the caller, for the role asking. Nothing here checks access or
writes the audit: the pages do both on every visit, whether the figures were kept or not.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

_KEPT: dict[tuple, dict[str, object]] = {}


def version(path: Path, index: date) -> tuple[str, int, date]:
    stamp = max(p.stat().st_mtime_ns for p in Path(path).glob("*.parquet"))
    return (str(path), stamp, index)


def _file(key: tuple) -> Path:
    return Path(key[0]) / "results" / f"aggregates-{key[2].isoformat()}.json"


def _load(key: tuple) -> dict[str, object]:
    """The aggregates kept on disk for this version ({} when none are, or an older one's)."""
    if key not in _KEPT:
        _KEPT.clear()  # one dataset version at a time per process, as the results
        try:
            stored = json.loads(_file(key).read_text())
        except (OSError, ValueError):
            stored = {}
        _KEPT[key] = stored.get("entries", {}) if stored.get("stamp") == key[1] else {}
    return _KEPT[key]


def kept(key: tuple, what: tuple, make):
    """``make()`` for this dataset version and ``what``, computed once and kept on disk (its
    value must be plain JSON: dicts, lists, numbers, strings)."""
    entries = _load(key)
    name = json.dumps(what, default=str)
    if name not in entries:
        entries[name] = json.loads(json.dumps(make()))  # the same value as when read back
        _save(key, entries)
    return entries[name]


def _save(key: tuple, entries: dict) -> None:
    """Written whole through a temporary file: a reader never sees half of it; two workers
    writing at once keep one's entries, and the other's are worked out again when asked."""
    path = _file(key)
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"stamp": key[1], "entries": entries}))
        tmp.replace(path)
    except OSError:  # a read-only dataset folder: the figures are still kept in this process
        pass


def clear() -> None:
    _KEPT.clear()
