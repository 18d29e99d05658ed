"""End to end: the path `make demo` takes (migrate, load data, demo users, gunicorn), on a
fresh SQLite database, then a real HTTP client signs in as a demo user."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "registry" / "fixtures"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def demo_env(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "map-2026-07.csv", data / "gp-reg-pat-prac-map.csv")
    shutil.copy(FIXTURES / "all-2026-07.csv", data / "gp-reg-pat-prac-all.csv")
    (data / "README.md").write_text("not a registry file\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        OPENPCN_ENV="production",
        OPENPCN_LOCAL_HTTP="1",
        OPENPCN_SECRET_KEY="demo-test-" + "x9Q-" * 12,
        OPENPCN_DATA=str(data),
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )
    return env


def openpcn(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "openpcn", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_demo_path(demo_env):
    assert "Database is up to date" in openpcn(demo_env, "db", "migrate")
    loaded = openpcn(demo_env, "data", "demo-load")
    assert "Imported 2 of 2 data files" in loaded
    users = openpcn(demo_env, "demo", "users")
    passwords = dict(
        re.findall(r"^\s+(demo-[\w-]+)\s+\S+\s+\S+(?: of England\))?\s+(\S+)$", users, re.M)
    )
    assert set(passwords) == {
        "demo-admin",
        "demo-commissioner",
        "demo-pcn-lead",
        "demo-practice-manager",
        "demo-clinician",
    }
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "openpcn", "serve", "--port", str(port), "--workers", "2"],
        env=demo_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # Wait for the server, however busy the machine: until it answers or its process ends
        # (the generous deadline is only there so that a hung start cannot hang the suite).
        deadline = time.monotonic() + 600
        while True:
            try:
                home = urllib.request.urlopen(base + "/", timeout=30).read().decode()
                break
            except urllib.error.HTTPError as e:
                pytest.fail(f"the home page answered {e.code}")
            except OSError:
                if server.poll() is not None:
                    pytest.fail("gunicorn exited: " + server.stdout.read().decode()[-2000:])
                if time.monotonic() > deadline:
                    pytest.fail("gunicorn did not answer in 10 minutes")
                time.sleep(0.5)
        assert "nhsuk-header" in home and "OpenPCN" in home
        css = urllib.request.urlopen(base + "/static/vendor/nhsuk/nhsuk-frontend.min.css")
        assert css.status == 200

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = opener.open(base + "/sign-in/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": "demo-pcn-lead",
                "password": passwords["demo-pcn-lead"],
            }
        ).encode()
        page = opener.open(
            urllib.request.Request(
                base + "/sign-in/", data=body, headers={"Referer": base + "/sign-in/"}
            )
        )
        html = page.read().decode()
        assert "/network/U0000" in page.url
        assert "My network" in html and "Sign out" in html
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
