"""Download registry files from their publishers, idempotently.

``download(sources, into_dir)`` fetches each :class:`~openpcn.registry.sources.Source`:

- conditional requests (ETag / Last-Modified remembered in ``.openpcn-downloads.json`` in the
  target folder): a 304 means "unchanged" with no body transferred;
- otherwise the body streams to a temporary file in the target folder and is hashed; a file
  whose content equals the file already there is not rewritten ("unchanged");
- new content replaces the old file with ``os.replace`` (atomic on one filesystem), so a
  failed or truncated download leaves the old file exactly as it was;
- zip payloads are unzipped (member base names only; xlsx workbooks are kept as they are).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import http.client
import json
import os
import re
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

from openpcn.registry.sources import Source

MANIFEST = ".openpcn-downloads.json"
CHUNK = 1 << 16
USER_AGENT = "openpcn-registry-fetch/1 (+https://github.com/openpcn)"
Progress = Callable[[str, int, int | None], None]


@dataclass
class DownloadResult:
    """status: "written" (new or changed), "unchanged" or "failed" (error says why)."""

    source: str
    url: str
    status: str
    files: list[Path] = field(default_factory=list)
    sha256: str = ""
    bytes: int = 0
    error: str = ""


class FetchError(Exception):
    pass


def _open(url: str, headers: dict[str, str], timeout: float):
    if urlparse(url).scheme not in ("http", "https"):
        raise FetchError(f"refusing non-http URL {url}")
    headers = {"User-Agent": USER_AGENT, **headers}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310


_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def find_link(page_html: str, pattern: str, base: str) -> str | None:
    """The first href in a page matching ``pattern`` (regex), made absolute."""
    regex = re.compile(pattern)
    for href in _HREF.findall(page_html):
        href = html.unescape(href).split("#")[0]
        if regex.search(href):
            return urljoin(base, href)
    return None


def resolve(source: Source, timeout: float = 60) -> str:
    url = source.url
    for hop in source.hops:
        with _open(url, {}, timeout) as resp:
            page = resp.read().decode("utf-8", "replace")
        found = find_link(page, hop, url)
        if found is None:
            raise FetchError(f"no link matching {hop!r} on {url} (check {source.page or url})")
        url = found
    return url


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _load_manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def _save_manifest(folder: Path, manifest: dict) -> None:
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(tmp, folder / MANIFEST)


def _install(tmp: Path, target: Path) -> bool:
    """Move tmp over target unless target already has the same bytes. True if written."""
    same_size = target.exists() and target.stat().st_size == tmp.stat().st_size
    if same_size and _sha256(target) == _sha256(tmp):
        tmp.unlink()
        return False
    os.replace(tmp, target)
    return True


def _is_plain_zip(path: Path) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        return "xl/workbook.xml" not in zf.namelist()


def _unzip(archive: Path, folder: Path) -> tuple[list[Path], bool]:
    files, changed = [], False
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            name = Path(info.filename).name
            if info.is_dir() or not name or name.startswith("."):
                continue
            fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".part-")
            with os.fdopen(fd, "wb") as out, zf.open(info) as member:
                for chunk in iter(lambda m=member: m.read(CHUNK), b""):
                    out.write(chunk)
            target = folder / name
            changed |= _install(Path(tmp_name), target)
            files.append(target)
    return files, changed


def fetch_one(
    source: Source, into_dir: Path, manifest: dict, progress: Progress | None, timeout: float
) -> DownloadResult:
    folder = into_dir / source.subdir if source.subdir else into_dir
    folder.mkdir(parents=True, exist_ok=True)
    tmp: Path | None = None
    url = source.url
    try:
        url = resolve(source, timeout)
        entry = manifest.get(source.name, {})
        previous = [folder / f for f in entry.get("files", [])]
        headers = {}
        if entry.get("url") == url and previous and all(p.exists() for p in previous):
            if entry.get("etag"):
                headers["If-None-Match"] = entry["etag"]
            if entry.get("last_modified"):
                headers["If-Modified-Since"] = entry["last_modified"]
        try:
            resp = _open(url, headers, timeout)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return DownloadResult(
                    source.name, url, "unchanged", previous, entry.get("sha256", "")
                )
            raise FetchError(f"HTTP {exc.code} from {url}") from None
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".part-")
        tmp = Path(tmp_name)
        size = 0
        with resp, os.fdopen(fd, "wb") as out:
            length = resp.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            for chunk in iter(lambda: resp.read(CHUNK), b""):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                if progress:
                    progress(source.name, size, total)
            if total is not None and size != total:
                raise FetchError(f"download truncated: {size} of {total} bytes from {url}")
            etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        if size == 0:
            raise FetchError(f"empty response from {url}")
        if source.unzip and _is_plain_zip(tmp):
            files, changed = _unzip(tmp, folder)
            tmp.unlink()
            tmp = None
        else:
            target = folder / source.filename
            changed = _install(tmp, target)
            tmp = None
            files = [target]
        manifest[source.name] = {
            "url": url,
            "etag": etag or "",
            "last_modified": modified or "",
            "sha256": digest.hexdigest(),
            "files": [str(f.relative_to(folder)) for f in files],
        }
        status = "written" if changed else "unchanged"
        return DownloadResult(source.name, url, status, files, digest.hexdigest(), size)
    except urllib.error.HTTPError as exc:  # a page on the way answered with an error status
        return DownloadResult(source.name, url, "failed", error=str(exc))
    except urllib.error.URLError as exc:  # not an HTTP status: the host was not reached
        host = urlparse(url).netloc or url
        why = f"could not reach {host} ({exc.reason}): is the network available? "
        return DownloadResult(source.name, url, "failed", error=why + f"Check {source.page or url}")
    except (OSError, http.client.HTTPException, FetchError, zipfile.BadZipFile, ValueError) as exc:
        return DownloadResult(source.name, url, "failed", error=str(exc) or type(exc).__name__)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def download(
    sources: Iterable[Source],
    into_dir: str | Path,
    progress: Progress | None = None,
    timeout: float = 60,
) -> list[DownloadResult]:
    """Download every source into ``into_dir`` (created if needed); one result per source."""
    into_dir = Path(into_dir)
    into_dir.mkdir(parents=True, exist_ok=True)
    manifest = _load_manifest(into_dir)
    results = []
    for source in sources:
        results.append(fetch_one(source, into_dir, manifest, progress, timeout))
        _save_manifest(into_dir, manifest)
    return results
