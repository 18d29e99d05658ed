"""The benchmark sits beside the rota engine: it imports the engine's search and no Django;
the engine never imports it (only the ``openpcn rota`` command does, to solve benchmark files)."""

from __future__ import annotations

import ast
from pathlib import Path

import openpcn

SRC = Path(openpcn.__file__).parent


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _modules(package: str) -> dict[str, set[str]]:
    return {
        str(p.relative_to(SRC)): _imports(p)
        for p in sorted((SRC / package).rglob("*.py"))
        if "migrations" not in p.parts
    }


def test_the_engine_never_imports_the_benchmark():
    found = {
        path: sorted(n for n in names if n.startswith("openpcn.rota_benchmark"))
        for path, names in _modules("rota").items()
        if path != "rota/cli.py"  # the command line solves benchmark files too
    }
    assert {p: n for p, n in found.items() if n} == {}


def test_the_benchmark_imports_only_itself_and_the_engines_search():
    allowed = (
        "openpcn.rota_benchmark",
        "openpcn.rota.lns",
        "openpcn.rota.neighbourhoods",
        "openpcn.rota.errors",
    )
    modules = _modules("rota_benchmark")
    assert "rota_benchmark/roster_lns.py" in modules
    bad = {
        path: sorted(
            n
            for n in names
            if (n.startswith("openpcn") and not n.startswith(allowed))
            or n.split(".")[0] == "django"
        )
        for path, names in modules.items()
    }
    assert {p: n for p, n in bad.items() if n} == {}
