"""Pure checks of parsed registry data. Each returns a list of discrepancies (empty = fine).

- :func:`check_sex_age_sums`: per organisation, the age bands of each sex sum to that sex's
  ALL row, and FEMALE + MALE = ALL.
- :func:`check_pcn_rows`: PCN rows of a population file equal the sums of their member
  practices' GP rows (membership from the map of the same month), for every sex x age.
- :func:`check_level_totals`: the ALL/ALL total is the same at every organisation level.
- :func:`check_membership_coverage`: practices in a map but not in a population file and back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from openpcn.registry.records import PracticePopulation

SEXES = ("FEMALE", "MALE")


@dataclass(frozen=True)
class Discrepancy:
    """check: which check; subject: e.g. "GP A81001 FEMALE"; expected vs found; note."""

    check: str
    subject: str
    expected: int | None
    found: int | None
    note: str = ""

    def __str__(self) -> str:
        text = f"{self.check}: {self.subject} expected {self.expected}, found {self.found}"
        return f"{text} ({self.note})" if self.note else text


def _by_org(records: Iterable[PracticePopulation]) -> dict[tuple[str, str], dict]:
    orgs: dict[tuple[str, str], dict] = defaultdict(dict)
    for r in records:
        orgs[(r.org_type, r.org_code)][(r.sex, r.age)] = r.count
    return orgs


def check_sex_age_sums(records: Iterable[PracticePopulation]) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    for (org_type, code), cells in _by_org(records).items():
        total = cells.get(("ALL", "ALL"))
        sex_totals = {}
        for sex in SEXES:
            bands = [n for (s, a), n in cells.items() if s == sex and a != "ALL"]
            stated = cells.get((sex, "ALL"))
            if bands and stated is not None and sum(bands) != stated:
                out.append(
                    Discrepancy("sex x age sum", f"{org_type} {code} {sex}", stated, sum(bands))
                )
            sex_totals[sex] = stated if stated is not None else (sum(bands) if bands else None)
        if total is not None and all(v is not None for v in sex_totals.values()):
            found = sum(sex_totals.values())
            if found != total:
                out.append(Discrepancy("female + male", f"{org_type} {code}", total, found))
    return out


def check_pcn_rows(
    records: Iterable[PracticePopulation], membership: Iterable
) -> list[Discrepancy]:
    """membership: rows with practice_code and pcn_code (e.g. map records of the same month)."""
    records = list(records)
    pcn_of = {m.practice_code: m.pcn_code for m in membership}
    summed: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    stated: dict[str, dict] = defaultdict(dict)
    for r in records:
        if r.org_type == "GP":
            pcn = pcn_of.get(r.org_code)
            if pcn:
                summed[pcn][(r.sex, r.age)] += r.count
        elif r.org_type == "PCN":
            stated[r.org_code][(r.sex, r.age)] = r.count
    out: list[Discrepancy] = []
    for pcn in sorted(set(stated) | set(summed)):
        if pcn not in stated:
            out.append(Discrepancy("PCN row", f"PCN {pcn}", None, None, "no PCN rows in file"))
            continue
        if pcn not in summed:
            out.append(Discrepancy("PCN row", f"PCN {pcn}", None, None, "no member practices"))
            continue
        for key in sorted(set(stated[pcn]) | set(summed[pcn])):
            expected, found = summed[pcn].get(key, 0), stated[pcn].get(key, 0)
            if expected != found:
                out.append(
                    Discrepancy(
                        "PCN row = sum of practices",
                        f"PCN {pcn} {key[0]} {key[1]}",
                        expected,
                        found,
                    )
                )
    return out


def check_level_totals(records: Iterable[PracticePopulation]) -> list[Discrepancy]:
    totals: dict[str, int] = defaultdict(int)
    for r in records:
        if r.sex == "ALL" and r.age == "ALL":
            totals[r.org_type] += r.count
    if not totals:
        return []
    reference_level = "GP" if "GP" in totals else "PCN" if "PCN" in totals else min(totals)
    reference = totals[reference_level]
    return [
        Discrepancy("level total", f"{level} rows vs {reference_level} rows", reference, value)
        for level, value in sorted(totals.items())
        if value != reference
    ]


def check_membership_coverage(
    membership: Iterable, records: Iterable[PracticePopulation]
) -> list[Discrepancy]:
    mapped = {m.practice_code for m in membership}
    counted = {r.org_code for r in records if r.org_type == "GP"}
    out = [
        Discrepancy("coverage", f"practice {c}", None, None, "in the map, no count")
        for c in sorted(mapped - counted)
    ]
    out += [
        Discrepancy("coverage", f"practice {c}", None, None, "counted, not in the map")
        for c in sorted(counted - mapped)
    ]
    return out
