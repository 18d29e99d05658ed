"""PCN populations for entitlements, from NHS England's PCN DES population file for a year.

A PCN's figure on each basis is the sum of its member practices' figures in that file:
registered = raw list size, adjusted = adjusted population, weighted = weighted population
(None when the file has no weighted column, e.g. the 2025/26 file). Rows the parser flags as
implausible are kept (the file's figures are what NHS England pays on) and listed on the PCN
so every figure built on them says so.

Which practices are a PCN's members is the registry's answer as at the date the figure is
about (``membership``, from :func:`openpcn.data.registry.queries.membership_at`), passed in as
plain data; a file read on its own, with no registry, groups by the file's own PCN column
and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from openpcn.core.figures import DataRef
from openpcn.core.fyear import FinancialYear
from openpcn.registry.parsers import detect, parse
from openpcn.registry.records import DesPopulation

KIND = "nhse_des_population"
BASES = ("registered", "adjusted", "weighted")


@dataclass(frozen=True)
class PcnPopulation:
    """One PCN's populations on the DES reference date, summed over its member practices."""

    pcn_code: str
    pcn_name: str
    region_name: str
    practices: tuple[str, ...]
    registered: int
    adjusted: int
    weighted: int | None
    implausible: tuple[str, ...] = ()  # "F82621: weighted 4547 is 156.8 x raw list size 29"
    missing: tuple[str, ...] = ()  # members (by the membership used) absent from the file

    def on(self, basis: str) -> int | None:
        if basis not in BASES:
            raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
        return getattr(self, basis)


@dataclass(frozen=True)
class Populations:
    """Every PCN's populations from one NHS England DES population file."""

    financial_year: FinancialYear
    source: str  # file name (or dataset label)
    as_of: date
    pcns: dict[str, PcnPopulation]
    practices: tuple[DesPopulation, ...] = ()
    membership: str = ""  # which membership grouped the practices, and as at when
    #: Set when the year's own file is not imported and an earlier year's file stands in.
    carried_note: str = ""

    @property
    def membership_note(self) -> str:
        return self.membership or "members: the file's own PCN column"

    @property
    def has_weighted(self) -> bool:
        return any(p.weighted is not None for p in self.pcns.values())

    def data_ref(self, basis: str) -> DataRef:
        return DataRef(
            source=self.source,
            as_of=self.as_of,
            description=f"PCN {basis} population: sum of member practices in NHS England's"
            f" PCN DES population file for {self.financial_year}; {self.membership_note}"
            + (f"; {self.carried_note}" if self.carried_note else ""),
        )

    def __getitem__(self, pcn_code: str) -> PcnPopulation:
        try:
            return self.pcns[pcn_code.strip().upper()]
        except KeyError:
            raise KeyError(
                f"PCN {pcn_code} is not in {self.source} ({len(self.pcns)} PCNs)"
            ) from None


def from_records(
    records: Iterable[DesPopulation],
    source: str,
    as_of: date,
    financial_year: str | None = None,
    membership: Mapping[str, str] | None = None,
    membership_source: str = "",
) -> Populations:
    """Sum practice rows into PCNs. ``membership`` (practice -> PCN, 'U' = none) decides each
    practice's PCN when given (its members absent from the file are listed on the PCN);
    otherwise the file's own PCN column does. Rows in no PCN are kept as practices only."""
    rows = tuple(records)
    years = {r.financial_year for r in rows}
    if financial_year is None:
        if len(years) != 1:
            raise ValueError(f"{source}: expected one financial year, found {sorted(years)}")
        financial_year = years.pop()
    grouped: dict[str, list[DesPopulation]] = {}
    for r in rows:
        pcn = r.pcn_code if membership is None else membership.get(r.practice_code)
        if pcn and pcn != "U":
            grouped.setdefault(pcn, []).append(r)
    in_file = {r.practice_code for r in rows}
    absent: dict[str, list[str]] = {}
    for practice, pcn in sorted((membership or {}).items()):
        if practice not in in_file and pcn != "U":
            absent.setdefault(pcn, []).append(practice)
    pcns = {}
    for code, members in sorted(grouped.items()):
        weights = [m.weighted_population for m in members]
        named = next((m for m in members if m.pcn_code == code), members[0])
        pcns[code] = PcnPopulation(
            pcn_code=code,
            pcn_name=named.pcn_name or "",
            region_name=named.region_name,
            practices=tuple(sorted(m.practice_code for m in members)),
            registered=sum(m.raw_list_size for m in members),
            adjusted=sum(m.adjusted_population for m in members),
            weighted=None if any(w is None for w in weights) else sum(weights),
            implausible=tuple(
                f"{m.practice_code}: {m.implausible_reason}" for m in members if m.implausible
            ),
            missing=tuple(absent.get(code, ())),
        )
    return Populations(
        financial_year=FinancialYear.parse(financial_year),
        source=source,
        as_of=as_of,
        pcns=pcns,
        practices=rows,
        membership=membership_source,
    )


def read_population_file(path: str | Path) -> Populations:
    """Parse an NHS England DES population file (raises RegistryFileError on bad input).

    Cached per file and modification time: finding and then reading a file parses it once.
    """
    path = Path(path).resolve()
    return _read_cached(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _read_cached(path: Path, _mtime: int) -> Populations:
    parsed = parse(path, kind=KIND)
    return from_records(parsed.of(DesPopulation), path.name, parsed.as_of)


def find_population_files(root: str | Path) -> dict[str, Path]:
    """{'2024-25': path, ...}: the DES population files under ``root`` by their content's year.

    Files are found by content (``detect``), not by name; the year is the parser's. When two
    files hold one year, the one with weighted population wins, then the later name.
    """
    found: dict[str, tuple[bool, str, Path]] = {}
    for path in sorted(Path(root).glob("*/*.csv")):
        if detect(path) != KIND:
            continue
        pops = read_population_file(path)
        key = str(pops.financial_year)
        rank = (pops.has_weighted, path.name, path)
        if key not in found or rank[:2] > found[key][:2]:
            found[key] = rank
    return {year: rank[2] for year, rank in sorted(found.items())}
