"""The maturity self-assessment: on a date, the PCN scores itself 1 to 4 on each domain of
``maturity.yaml`` with a note; saved per date, and shown as change over time.

:func:`framework` reads the domains (with the file's source and whether it is verified);
:func:`assessment_problems` checks one assessment; :func:`over_time` lines assessments up by
domain with the change from the one before and from the first."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

FILE = Path(__file__).with_name("maturity.yaml")
SCORES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Domain:
    key: str
    label: str
    description: str


@dataclass(frozen=True)
class Framework:
    source: str
    verified: bool
    levels: dict[int, str]
    domains: tuple[Domain, ...]

    def domain(self, key: str) -> Domain | None:
        return next((d for d in self.domains if d.key == key), None)


@cache
def framework(path: Path = FILE) -> Framework:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Framework(
        source=raw["source"],
        verified=bool(raw["verified"]),
        levels={int(k): str(v) for k, v in raw["levels"].items()},
        domains=tuple(Domain(d["key"], d["label"], d["description"]) for d in raw["domains"]),
    )


def score_value(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and int(text) in SCORES else None


def assessment_problems(
    day: date | None, scores: Mapping[str, str], taken: Collection[date], fw: Framework
) -> list[str]:
    """``scores``: domain key -> the score as typed. Every domain needs a score 1 to 4; one
    assessment per date (``taken``: the dates already assessed)."""
    problems = []
    if day is None:
        problems.append("enter the date of the self-assessment, like 2026-04-01")
    elif day in taken:
        problems.append(
            f"there is already a self-assessment on {day}: choose another date (each is kept)"
        )
    unknown = sorted(set(scores) - {d.key for d in fw.domains})
    if unknown:
        problems.append(f"{', '.join(unknown)}: not a domain of the self-assessment")
    for d in fw.domains:
        if score_value(scores.get(d.key, "")) is None:
            problems.append(f"{d.label}: choose a score from 1 to 4")
    return problems


@dataclass(frozen=True)
class DomainRow:
    domain: Domain
    scores: tuple[int | None, ...]  # one per assessment date, oldest first
    since_previous: int | None  # the last score minus the one before it
    since_first: int | None  # the last score minus the first


def over_time(assessments: Mapping[date, Mapping[str, int]], fw: Framework) -> list[DomainRow]:
    """Each domain's scores across the assessment dates (oldest first) and its change."""
    dates = sorted(assessments)
    rows = []
    for d in fw.domains:
        scores = tuple(assessments[day].get(d.key) for day in dates)
        have = [s for s in scores if s is not None]
        rows.append(
            DomainRow(
                d,
                scores,
                have[-1] - have[-2] if len(have) >= 2 else None,
                have[-1] - have[0] if len(have) >= 2 else None,
            )
        )
    return rows
