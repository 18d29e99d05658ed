"""The fetcher against a local HTTP server on 127.0.0.1 (no other network)."""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from openpcn.registry.fetch import download, find_link
from openpcn.registry.sources import SOURCES, Source, by_name


class Site:
    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.mode = "ok"  # ok | fail | truncate
        self.etags = True
        self.requests: list[tuple[str, str | None]] = []


@pytest.fixture
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):
            body = state.files.get(self.path)
            state.requests.append((self.path, self.headers.get("If-None-Match")))
            if state.mode == "fail" or body is None:
                self.send_response(500 if body is not None else 404)
                self.end_headers()
                return
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if state.etags and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header(
                "Content-Length", str(len(body) + (50 if state.mode == "truncate" else 0))
            )
            if state.etags:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)
            if state.mode == "truncate":
                self.close_connection = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def zipped(**members: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def src(site, path, filename="epraccur.csv", **kw):
    return Source(name=filename, url=site.base + path, filename=filename, description="t", **kw)


def test_first_download_writes_second_is_a_no_op(site, tmp_path):
    site.files["/epraccur.csv"] = b"a,b\n"
    (first,) = download([src(site, "/epraccur.csv")], tmp_path)
    assert (first.status, first.files, first.bytes) == ("written", [tmp_path / "epraccur.csv"], 4)
    mtime = (tmp_path / "epraccur.csv").stat().st_mtime_ns
    (second,) = download([src(site, "/epraccur.csv")], tmp_path)
    assert second.status == "unchanged"
    assert site.requests[-1][1] is not None  # a conditional request: 304, no body
    assert (tmp_path / "epraccur.csv").stat().st_mtime_ns == mtime
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".part-")]


def test_same_content_without_etag_is_not_rewritten(site, tmp_path):
    site.etags = False
    site.files["/f.csv"] = b"x\n"
    download([src(site, "/f.csv")], tmp_path)
    mtime = (tmp_path / "epraccur.csv").stat().st_mtime_ns
    (again,) = download([src(site, "/f.csv")], tmp_path)
    assert again.status == "unchanged"  # content hash matched
    assert (tmp_path / "epraccur.csv").stat().st_mtime_ns == mtime


def test_changed_file_is_replaced(site, tmp_path):
    site.files["/f.csv"] = b"old\n"
    download([src(site, "/f.csv")], tmp_path)
    site.files["/f.csv"] = b"new\n"
    (result,) = download([src(site, "/f.csv")], tmp_path)
    assert result.status == "written"
    assert (tmp_path / "epraccur.csv").read_bytes() == b"new\n"


@pytest.mark.parametrize("mode", ["fail", "truncate"])
def test_failed_download_leaves_old_file_intact(site, tmp_path, mode):
    site.files["/f.csv"] = b"old\n"
    download([src(site, "/f.csv")], tmp_path)
    site.files["/f.csv"] = b"new content\n"
    site.mode = mode
    (result,) = download([src(site, "/f.csv")], tmp_path)
    assert result.status == "failed" and result.error
    assert (tmp_path / "epraccur.csv").read_bytes() == b"old\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".part-")]


def test_zip_payload_is_unzipped_idempotently(site, tmp_path):
    site.files["/map.zip"] = zipped(**{"gp-reg-pat-prac-map.csv": b"m\n", "notes/readme.txt": b"r"})
    source = src(site, "/map.zip", filename="gp-reg-pat-prac-map.csv", subdir="nhsd")
    (result,) = download([source], tmp_path)
    assert result.status == "written"
    assert sorted(p.name for p in result.files) == ["gp-reg-pat-prac-map.csv", "readme.txt"]
    assert (tmp_path / "nhsd" / "gp-reg-pat-prac-map.csv").read_bytes() == b"m\n"
    site.etags = False  # force a full fetch: the unzipped members are compared by content
    (again,) = download([source], tmp_path)
    assert again.status == "unchanged"


def test_xlsx_is_not_unzipped(site, tmp_path):
    site.files["/epcn"] = zipped(**{"xl/workbook.xml": b"<x/>"})
    (result,) = download([src(site, "/epcn", filename="ePCN.xlsx")], tmp_path)
    assert result.files == [tmp_path / "ePCN.xlsx"]


def test_links_are_followed_to_the_current_release(site, tmp_path):
    site.files["/series"] = b'<a href="/series/july-2026">Latest</a><a href="/series/june-2026">'
    site.files["/series/july-2026"] = b'<a href="/files/abc/gp-reg-pat-prac-all.zip">zip</a>'
    site.files["/files/abc/gp-reg-pat-prac-all.zip"] = zipped(**{"gp-reg-pat-prac-all.csv": b"a\n"})
    source = Source(
        "all",
        site.base + "/series",
        "gp-reg-pat-prac-all.csv",
        "t",
        hops=(r"/series/[a-z]+-\d{4}$", r"/gp-reg-pat-prac-all\.(zip|csv)$"),
    )
    (result,) = download([source], tmp_path)
    assert result.status == "written" and result.url.endswith("/files/abc/gp-reg-pat-prac-all.zip")
    assert (tmp_path / "gp-reg-pat-prac-all.csv").read_bytes() == b"a\n"


def test_missing_link_fails_clearly(site, tmp_path):
    site.files["/series"] = b"<p>nothing here</p>"
    source = Source("all", site.base + "/series", "x.csv", "t", hops=(r"/x\.zip$",), page="P")
    (result,) = download([source], tmp_path)
    assert result.status == "failed" and "no link matching" in result.error and "P" in result.error


def test_progress_is_reported(site, tmp_path):
    site.files["/f.csv"] = b"x" * 200_000
    seen = []
    download(
        [src(site, "/f.csv")], tmp_path, progress=lambda n, done, total: seen.append((done, total))
    )
    assert seen[-1] == (200_000, 200_000)


def test_non_http_url_refused(tmp_path):
    (result,) = download([Source("x", "file:///etc/passwd", "x.csv", "t")], tmp_path)
    assert result.status == "failed" and "non-http" in result.error


def test_find_link_makes_relative_links_absolute():
    page = "<a href=\"b/c.zip\">x</a> <A HREF='/d.csv'>"
    assert find_link(page, r"\.zip$", "https://h/a/") == "https://h/a/b/c.zip"
    assert find_link(page, r"d\.csv$", "https://h/a/") == "https://h/d.csv"


def test_real_sources_are_listed_once():
    names = [s.name for s in SOURCES]
    assert len(names) == len(set(names)) and by_name(["epraccur"])[0].filename == "epraccur.csv"
    assert all(s.url.startswith("https://") for s in SOURCES)
    with pytest.raises(KeyError):
        by_name(["nope"])
