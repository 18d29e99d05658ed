"""Views thinner than their presenters (issue 14): in every web/<domain>/, the view modules
(views.py, views_*.py) hold fewer lines than the modules that build its pages (presenters.py,
*_page.py, *_pages.py and the other helpers), so page logic lives where a test can call it
without a request. urls.py, api.py (the JSON API), forms.py and __init__.py count for neither."""

from __future__ import annotations

from pathlib import Path

import pytest

import openpcn.web

WEB = Path(openpcn.web.__file__).parent
NEITHER = {"__init__.py", "urls.py", "api.py", "forms.py"}
#: the top (settings, URLconf, home pages) and the platform every domain uses are not domains
NOT_DOMAINS = {"site", "platform", "jinja2", "static", "__pycache__"}


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def weights(folder: Path) -> tuple[int, int]:
    """(lines of its views, lines of its presenters)."""
    views = presenters = 0
    for f in folder.glob("*.py"):
        if f.name in NEITHER:
            continue
        if f.name == "views.py" or f.name.startswith("views_"):
            views += _lines(f)
        else:
            presenters += _lines(f)
    return views, presenters


DOMAINS = sorted(d.name for d in WEB.iterdir() if d.is_dir() and d.name not in NOT_DOMAINS)


def test_there_are_domains_to_weigh():
    assert {"finance", "scenarios", "workforce"} <= set(DOMAINS)


@pytest.mark.parametrize("domain", DOMAINS)
def test_views_are_thinner_than_presenters(domain):
    views, presenters = weights(WEB / domain)
    assert views < presenters, (
        f"web/{domain}: its views hold {views} lines and its presenters {presenters}; "
        "move page logic into a presenter (one per page, like web/finance/*_page.py)"
    )


def test_the_check_can_fail(tmp_path):
    (tmp_path / "views.py").write_text("a = 1\nb = 2\nc = 3\n")
    (tmp_path / "presenters.py").write_text("d = 4\n")
    (tmp_path / "urls.py").write_text("\n" * 50)
    assert weights(tmp_path) == (3, 1)
