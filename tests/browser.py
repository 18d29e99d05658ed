"""Playwright set-up shared by browser tests: Debian's Chromium, headless."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
expect.set_options(timeout=120_000)  # assertions wait for the page however busy the machine
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": ARGS}


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("[data-testid=sign-in]")


@pytest.fixture
def page(page):
    """Pages wait up to 2 minutes for navigation and elements: a busy machine is slow, and a
    test asserts what a page shows, never how fast it shows it."""
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(120_000)
    return page
