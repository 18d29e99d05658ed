"""The house's shape (decision 0010): floors that only point down, no circles, no Django in
an engine, and web pages of one domain never reaching into another's."""

from __future__ import annotations

import pytest

from tests.architecture import import_graph as g

KNOWN = g.modules()
ARROWS = g.arrows(KNOWN)
INSIDE = [a for a in ARROWS if a.target in KNOWN]


def _where(a: g.Arrow) -> str:
    return f"{a.source} (line {a.line}) imports {a.target}"


def test_every_module_stands_on_a_floor():
    assert {g.floor(m) for m in KNOWN} <= set(g.FLOORS)


def test_no_arrow_runs_back_up():
    up = [
        _where(a)
        for a in INSIDE
        if g.FLOORS.index(g.floor(a.target)) > g.FLOORS.index(g.floor(a.source))
    ]
    assert up == []


def test_no_circles_between_modules():
    assert g.cycles(set(KNOWN), INSIDE) == []


@pytest.mark.parametrize("floor", ["core", "engine"])
def test_engines_import_no_framework(floor):
    framework = [
        _where(a)
        for a in ARROWS
        if g.floor(a.source) == floor and a.target.split(".")[0] in g.FRAMEWORKS
    ]
    assert framework == []


def test_web_domains_never_import_each_other():
    def domain(m: str) -> str | None:
        parts = m.split(".")
        return parts[2] if len(parts) > 2 and parts[1] == "web" else None

    across = [
        _where(a)
        for a in INSIDE
        if g.floor(a.source) == "web.domain"
        and g.floor(a.target) == "web.domain"
        and domain(a.source) != domain(a.target)
    ]
    assert across == []


def test_the_checks_can_fail():
    """The graph reader sees a real arrow, so an empty list above means something."""
    assert any(
        a.source == "openpcn.web.site.urls" and a.target == "openpcn.web.site.api" for a in INSIDE
    )
    fake = [g.Arrow("openpcn.rules.loader", "openpcn.web.site.urls", 1)]
    assert g.FLOORS.index(g.floor(fake[0].target)) > g.FLOORS.index(g.floor(fake[0].source))
    assert g.cycles({"a", "b"}, [g.Arrow("a", "b", 1), g.Arrow("b", "a", 1)]) == [["a", "b"]]
