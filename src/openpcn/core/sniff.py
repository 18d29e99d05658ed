"""Reading just enough of a file to tell what it is (content, never the name)."""

from __future__ import annotations

from pathlib import Path


def header_columns(path: str | Path, head_bytes: int = 8192) -> set[str] | None:
    """The first line's comma-separated cells, upper-cased and stripped of quotes; None for a
    file that cannot be text CSV (unreadable, empty, binary or a zip/xlsx)."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(head_bytes)
    except OSError:
        return None
    if not head.strip() or b"\x00" in head or head[:2] == b"PK":
        return None
    first = next(
        (ln for ln in head.decode("utf-8-sig", errors="replace").splitlines() if ln.strip()), ""
    )
    return {c.strip().strip('"').upper() for c in first.split(",")}
