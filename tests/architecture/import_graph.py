"""The import graph of ``src/openpcn``, read with ``ast`` (nothing is imported or run).

Every ``import`` counts, at module level or inside a function: a lazy import is still an arrow.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "openpcn"
ENGINES = (
    "rules",
    "registry",
    "population",
    "finance",
    "workforce",
    "services",
    "rota",
    "rota_benchmark",
    "neighbourhoods",
    "scenarios",
    "governance",
)
WEB_DOMAINS = (
    "registry",
    "finance",
    "workforce",
    "services",
    "population",
    "rota",
    "rules",
    "neighbourhoods",
    "scenarios",
    "governance",
)
FRAMEWORKS = ("django", "ninja", "whitenoise", "axes", "gunicorn")

# Floors, from the bottom: a module may import its own floor or any floor below, never above.
FLOORS = ("core", "engine", "data", "cli", "web.platform", "web.domain", "web.site", "entry")


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in (SRC / PACKAGE).rglob("*.py")}
    return {name: p for name, p in found.items() if ".migrations." not in name}


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def arrows(known: dict[str, Path]) -> list[Arrow]:
    """Each import as an arrow to the deepest known module (or the outside package named)."""
    out = []
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(name, path, node)
                targets = [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            for target in targets:
                while target not in known and "." in target and target.startswith(PACKAGE + "."):
                    target = target.rsplit(".", 1)[0]
                if target != name:
                    out.append(Arrow(name, target, node.lineno))
    return out


def floor(module: str) -> str:
    """The floor a module of ``openpcn`` stands on."""
    parts = module.split(".")[1:]
    if not parts:
        return "core"
    top = parts[0]
    if top == "__main__":
        return "entry"
    if top == "core":
        return "core"
    if top in ENGINES:
        return "engine"
    if top in ("data", "cli"):
        return top
    if top == "web":
        second = parts[1] if len(parts) > 1 else "site"
        if second in WEB_DOMAINS:
            return "web.domain"
        return "web.platform" if second == "platform" else "web.site"
    raise ValueError(f"{module} stands on no floor: add its folder to tests/architecture")


def cycles(nodes: set[str], edges: list[Arrow]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {n: set() for n in nodes}
    for a in edges:
        if a.source in graph and a.target in graph:
            graph[a.source].add(a.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return groups
