"""Definitions as data: one YAML file per definition under ``definitions/``.

A definition has ``name``, ``title``, ``codelists`` (see :mod:`codelists`), an optional
``population`` expression, optional ``cohorts`` (name -> expression, evaluated in order; a
later cohort may refer to an earlier one) and an optional ``score`` (components with weights
and ordered ``categories`` by minimum score).

Expression language (windows count days back from the index date, inclusive):

``has_event: {list: L, within: D}``            a clinical event with a code in L (``within``
                                               omitted = ever; ``between: [FROM, TO]`` = dated
                                               FROM..TO days before the index date)
``has_med: {list: L, within: D, min_issues: N}`` >= N issues (default 1) of a medicine in L
``count_distinct_meds: {within: D, min: N}``   >= N distinct dm+d codes issued (optional list)
``latest_value: {list: L, within: D, op: "<", value: X}``  latest valued event in L (ties on
                                               date: the highest value) compared with X
``latest_after: {list: A, other: B}``          latest A code is later than any B code (or no B)
``has_review: {within: D}``                    a medication review in the window
``age: {min: A, max: B}``                      age in whole years on the index date, inclusive
``cohort_of: {definition: D, cohort: C}``      cohort C of another definition D
``score_of: {definition: D, min: X}``          score of another definition D is >= X
``score_at_least: X``                          this definition's own score is >= X
``sex: F``  ``care_home: true``  ``cohort: NAME``  ``and: [...]``  ``or: [...]``  ``not: E``
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import codelists as cl

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
#: latest_value comparison operators, shared by every engine
COMPARE = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
OPS = set(COMPARE)
#: leaves that read the patient table only (age, sex, care home)
STATIC_LEAVES = {"age", "sex", "care_home"}
LEAVES = {
    "has_event",
    "has_med",
    "count_distinct_meds",
    "latest_value",
    "latest_after",
    "has_review",
    "age",
    "sex",
    "care_home",
    "cohort",
    "cohort_of",
    "score_of",
    "score_at_least",
}


class DefinitionError(ValueError):
    pass


@dataclass
class Category:
    name: str
    min: float


KINDS = ("cohort", "hazard", "denominator", "step")


@dataclass(frozen=True)
class CohortLabel:
    """How a cohort is shown: its clinical words, its kind and (for a hazard) the cohort it is
    counted out of."""

    label: str
    kind: str = "cohort"
    denominator: str | None = None


@dataclass
class Definition:
    name: str
    title: str
    path: Path
    population: Any
    cohorts: dict[str, Any]
    components: dict[str, tuple[Any, float]] = field(default_factory=dict)
    categories: list[Category] = field(default_factory=list)
    codes: dict[str, frozenset[str]] = field(default_factory=dict)
    labels: dict[str, CohortLabel] = field(default_factory=dict)
    lists: dict[str, dict] = field(default_factory=dict, repr=False)

    def reason_words(self, code: str) -> str:
        """A qualifying code as a clinician reads it: the publisher's term, else the name of
        the code list it is in."""
        terms = _terms(self)
        if code in terms:
            return terms[code]
        names = [n for n, codes in self.codes.items() if code in codes]
        return f"{names[0].replace('_', ' ')} code {code}" if names else f"code {code}"

    def label(self, cohort: str) -> str:
        found = self.labels.get(cohort)
        return found.label if found else cohort.replace("_", " ")

    @property
    def shown_cohorts(self) -> list[str]:
        """Cohorts a page lists (steps are building blocks of others, not shown alone)."""
        return [c for c in self.cohorts if self.labels.get(c, CohortLabel(c)).kind != "step"]

    @property
    def columns(self) -> list[str]:
        cols = ["in_population", *self.cohorts]
        if self.components:
            cols += [f"c_{c}" for c in self.components] + ["score"]
        if self.categories:
            cols.append("category")
        return cols

    def category_for(self, score: float) -> str:
        chosen = self.categories[0].name
        for cat in self.categories:
            if score >= cat.min - 1e-9:
                chosen = cat.name
        return chosen


def leaves(expr: Any) -> Iterator[tuple[str, Any]]:
    """Every leaf ``(op, arg)`` of an expression, depth first."""
    ((op, arg),) = expr.items()
    if op in ("and", "or"):
        for sub in arg:
            yield from leaves(sub)
    elif op == "not":
        yield from leaves(arg)
    else:
        yield op, arg


def window(node: dict) -> tuple[int | None, int]:
    """(from_days, to_days) back from the index date; from_days None means ever."""
    if "between" in node:
        lo, hi = node["between"]
        return int(lo), int(hi)
    if "within" in node:
        return int(node["within"]), 0
    return None, 0


def _check(expr: Any, where: str, lists: dict, names: set[str]) -> None:
    if not isinstance(expr, dict) or len(expr) != 1:
        raise DefinitionError(f"{where}: an expression is a mapping with exactly one key")
    ((op, arg),) = expr.items()
    if op in ("and", "or"):
        if not isinstance(arg, list) or not arg:
            raise DefinitionError(f"{where}: {op} needs a non-empty list")
        for i, sub in enumerate(arg):
            _check(sub, f"{where}.{op}[{i}]", lists, names)
        return
    if op == "not":
        _check(arg, f"{where}.not", lists, names)
        return
    if op not in LEAVES:
        raise DefinitionError(f"{where}: unknown operator {op!r}")
    if op == "cohort" and arg not in names:
        raise DefinitionError(f"{where}: cohort {arg!r} not defined earlier")
    if isinstance(arg, dict):
        for key in ("list", "other"):
            if key in arg and arg[key] not in lists:
                raise DefinitionError(f"{where}: unknown code list {arg[key]!r}")
        if op == "latest_value" and arg.get("op") not in OPS:
            raise DefinitionError(f"{where}: op must be one of {sorted(OPS)}")


_READ: dict[tuple[str, int, int], Definition] = {}


def load_definition(path: Path) -> Definition:
    """The definition in ``path``, parsed and checked once per file and modification time
    (its code lists are read once each, ``codelists.read_codelist``): a page that asks for
    every definition does not parse the YAML again."""
    path = Path(path)
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _READ:
        if len(_READ) >= 256:
            _READ.clear()
        _READ[key] = _parse(path)
    return _READ[key]


def _parse(path: Path) -> Definition:
    try:
        raw = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path}: invalid YAML: {exc}") from None
    lists = raw.get("codelists") or {}
    names: set[str] = set()
    components: dict[str, tuple[Any, float]] = {}
    score = raw.get("score") or {}
    for cname, comp in (score.get("components") or {}).items():
        _check(comp["when"], f"{path.name}: score.{cname}", lists, names)
        components[cname] = (comp["when"], float(comp.get("weight", 1)))
    names |= set(components)
    cohorts: dict[str, Any] = {}
    for cname, expr in (raw.get("cohorts") or {}).items():
        _check(expr, f"{path.name}: cohorts.{cname}", lists, names)
        cohorts[cname] = expr
        names.add(cname)
    population = raw.get("population") or {"age": {"min": 0}}
    _check(population, f"{path.name}: population", lists, set())
    cats = [Category(c["name"], float(c["min"])) for c in score.get("categories") or []]
    labels = _labels(path, raw.get("labels") or {}, cohorts)
    return Definition(
        name=raw["name"],
        title=raw.get("title", raw["name"]),
        path=path,
        population=population,
        cohorts=cohorts,
        components=components,
        categories=cats,
        codes={n: cl.resolve(spec, lists, n) for n, spec in lists.items()},
        labels=labels,
        lists=lists,
    )


_TERMS: dict[str, dict[str, str]] = {}


def _terms(d: Definition) -> dict[str, str]:
    key = str(d.path)
    if key not in _TERMS:
        _TERMS[key] = cl.terms_of(d.lists)
    return _TERMS[key]


def _labels(path: Path, raw: dict, cohorts: dict) -> dict[str, CohortLabel]:
    """Every cohort's label, checked: a page never shows a cohort by its internal name."""
    out = {}
    for name in cohorts:
        spec = raw.get(name)
        if not isinstance(spec, dict) or not str(spec.get("label", "")).strip():
            raise DefinitionError(f"{path.name}: labels.{name}: every cohort needs a label")
        kind = spec.get("kind", "cohort")
        if kind not in KINDS:
            raise DefinitionError(f"{path.name}: labels.{name}: kind must be one of {KINDS}")
        den = spec.get("denominator")
        if den is not None and den not in cohorts:
            raise DefinitionError(f"{path.name}: labels.{name}: unknown denominator {den!r}")
        out[name] = CohortLabel(str(spec["label"]), kind, den)
    unknown = set(raw) - set(cohorts)
    if unknown:
        raise DefinitionError(f"{path.name}: labels for unknown cohorts {sorted(unknown)}")
    return out


_CACHE: dict[str, Definition] = {}


def by_name(name: str) -> Definition:
    """A definition from ``definitions/NAME.yaml`` (cached; used by cross-definition refs)."""
    if name not in _CACHE:
        path = DEFINITIONS_DIR / f"{name}.yaml"
        if not path.exists():
            raise DefinitionError(f"{path}: no such definition")
        _CACHE[name] = load_definition(path)
    return _CACHE[name]


def load_all(names: list[str] | None = None) -> list[Definition]:
    files = sorted(DEFINITIONS_DIR.glob("*.yaml"))
    defs = [load_definition(f) for f in files]
    if names:
        unknown = set(names) - {d.name for d in defs}
        if unknown:
            raise DefinitionError(f"unknown definitions: {sorted(unknown)}")
        defs = [d for d in defs if d.name in names]
    return defs
