"""The national workforce benchmark: FTE per 10,000 registered patients by ARRS role.

Inputs: FTE by PCN x role (:class:`WorkforceTable`, built from a parsed NWRS file and the role
map) and each PCN's registered population ({pcn code: patients}). Rules:

- A PCN is compared if it is in the workforce file and has a population > 0. PCNs in the file
  without a population are left out (``Benchmark.excluded``); PCNs with a population but no
  workforce rows are not in the file's universe and are not compared.
- A compared PCN with no FTE in a role counts as 0 for that role.
- rate = FTE x 10,000 / registered patients.
- Roles: every role id of the role map met in the file, plus ``all_arrs_roles`` (every role
  but non_arrs) and ``all_staff``.
- A PCN's ICB is the most common ICB code on its rows (ties: lowest code).
- Distributions (median, p25, p75) use linear interpolation between closest ranks and the PCN's
  place is a mid-rank percentile rank (see :mod:`openpcn.workforce.stats`). A PCN with no staff
  in a role has no percentile there (value None, "no staff in this role"): among PCNs that
  also have none, a mid-rank would say 50.

Every number comes back as an explained :class:`~openpcn.core.figures.Figure` naming the NWRS
file and its census date and the population file and its extract date.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpcn.core.figures import DataRef, Figure
from openpcn.workforce.nwrs import NwrsRecord, ParsedWorkforce
from openpcn.workforce.role_map import NON_ARRS, RoleMap, load_role_map
from openpcn.workforce.stats import percentile_rank, quantile

ALL_ARRS = "all_arrs_roles"
ALL_STAFF = "all_staff"
PER = 10_000
TOTAL_NAMES = {ALL_ARRS: "All ARRS roles", ALL_STAFF: "All PCN staff"}
ENGLAND = "England"

RATE_METHOD = "FTE x 10,000 / registered patients"
QUANTILE_METHOD = (
    "linear interpolation between closest ranks (type 7) over the rates of every compared PCN"
)
RANK_METHOD = (
    "mid-rank percentile rank: 100 x (PCNs with a lower rate + half the PCNs with the same "
    "rate, itself included) / PCNs compared"
)

NOT_RANKED = (
    "no staff in this role in the workforce census, so no percentile is given (a rank among"
    " PCNs that also have none would read as 'average')"
)


class BenchmarkError(KeyError):
    """A PCN that cannot be benchmarked (not in the file, or no population)."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class PcnInfo:
    code: str
    name: str
    icb_code: str
    icb_name: str


@dataclass(frozen=True)
class Source:
    """A file a benchmark used and its as-of date (census or extract date)."""

    path: str
    as_of: date
    description: str

    def ref(self) -> DataRef:
        return DataRef(source=Path(self.path).name, as_of=self.as_of, description=self.description)


def registered_population(view, census: date) -> tuple[dict[str, int], Source]:
    """PCN registered lists and their source from a registry national view (membership and
    practice counts as at one date, which the source names with the membership file)."""
    population = {r.code: r.population for r in view.rows}
    source = Source(
        ", ".join(view.sources) or "no population file",
        view.population_as_of or census,
        f"registered patients as at {view.on}, sum of member practices; members: "
        f"{view.membership.describe()}",
    )
    return population, source


@dataclass
class WorkforceTable:
    """FTE by PCN and role id, with each PCN's name and ICB, and the file it came from."""

    fte: dict[str, dict[str, Decimal]]
    pcns: dict[str, PcnInfo]
    source: Source
    role_map: RoleMap

    @classmethod
    def from_records(
        cls, records: Iterable[NwrsRecord], source: Source, role_map: RoleMap | None = None
    ) -> WorkforceTable:
        role_map = role_map or load_role_map()
        fte: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        icbs: dict[str, Counter] = defaultdict(Counter)
        names: dict[str, tuple[str, dict[str, str]]] = {}
        cache: dict[tuple[str, str], str] = {}
        for r in records:
            key = (r.staff_role, r.detailed_staff_role)
            role = cache.get(key)
            if role is None:
                role = cache[key] = role_map.arrs_role(*key)
            fte[r.pcn_code][role] += r.fte
            icbs[r.pcn_code][r.icb_code] += 1
            if r.pcn_code not in names:
                names[r.pcn_code] = (r.pcn_name, {})
            names[r.pcn_code][1].setdefault(r.icb_code, r.icb_name)
        pcns = {}
        for code, counter in icbs.items():
            icb = min(counter, key=lambda k: (-counter[k], k))
            pcns[code] = PcnInfo(code, names[code][0], icb, names[code][1][icb])
        return cls(
            fte={p: dict(roles) for p, roles in fte.items()},
            pcns=pcns,
            source=source,
            role_map=role_map,
        )

    @classmethod
    def from_parsed(
        cls, parsed: ParsedWorkforce, role_map: RoleMap | None = None
    ) -> WorkforceTable:
        source = Source(
            str(parsed.path),
            parsed.as_of,
            f"NHS England Digital PCN Workforce (NWRS), census {parsed.as_of:%B %Y}",
        )
        return cls.from_records(parsed.records, source, role_map)

    def roles(self) -> list[str]:
        """Role ids met in the table (role-map order), then the two totals."""
        met = {role for roles in self.fte.values() for role in roles}
        return [r for r in self.role_map.roles if r in met] + [ALL_ARRS, ALL_STAFF]

    def pcn_fte(self, pcn: str, role: str) -> Decimal:
        roles = self.fte.get(pcn, {})
        if role == ALL_STAFF:
            return sum(roles.values(), Decimal(0))
        if role == ALL_ARRS:
            return sum((v for k, v in roles.items() if k != NON_ARRS), Decimal(0))
        return roles.get(role, Decimal(0))

    def role_name(self, role: str) -> str:
        return TOTAL_NAMES.get(role) or self.role_map.name(role)


@dataclass(frozen=True)
class ScopeBenchmark:
    """A PCN's rate against one comparison group (its ICB, or England)."""

    scope: str
    pcns: int
    median: Figure
    p25: Figure
    p75: Figure
    percentile_rank: Figure

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "pcns": self.pcns,
            "median": self.median.value,
            "p25": self.p25.value,
            "p75": self.p75.value,
            "percentile_rank": self.percentile_rank.value,
        }


@dataclass(frozen=True)
class RoleBenchmark:
    role: str
    role_name: str
    fte: Figure
    rate: Figure
    icb: ScopeBenchmark
    england: ScopeBenchmark

    @property
    def figures(self) -> tuple[Figure, ...]:
        out = [self.fte, self.rate]
        for s in (self.icb, self.england):
            out += [s.median, s.p25, s.p75, s.percentile_rank]
        return tuple(out)

    def as_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "role_name": self.role_name,
            "fte": str(self.fte.value),
            "fte_per_10k": self.rate.value,
            "icb": self.icb.as_dict(),
            "england": self.england.as_dict(),
        }


@dataclass(frozen=True)
class PcnBenchmark:
    pcn: PcnInfo
    population: Figure
    roles: dict[str, RoleBenchmark]
    sources: tuple[Source, ...]

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "pcn_code": self.pcn.code,
            "pcn_name": self.pcn.name,
            "icb_code": self.pcn.icb_code,
            "icb_name": self.pcn.icb_name,
            "population": self.population.value,
            "sources": [s.ref().as_dict() for s in self.sources],
            "rate_method": RATE_METHOD,
            "quantile_method": QUANTILE_METHOD,
            "rank_method": RANK_METHOD,
            "roles": [r.as_dict() for r in self.roles.values()],
        }
        if explain:
            out["figures"] = [f.as_dict() for r in self.roles.values() for f in r.figures]
        return out


class Benchmark:
    """Rates of every compared PCN, sorted per (ICB or England, role), ready to rank."""

    def __init__(
        self,
        table: WorkforceTable,
        population: Mapping[str, int],
        population_source: Source,
    ) -> None:
        self.table = table
        self.population_source = population_source
        self.population = {p: population[p] for p in table.pcns if population.get(p, 0) > 0}
        self.excluded = sorted(p for p in table.pcns if p not in self.population)
        self.role_ids = table.roles()
        self.rates: dict[str, dict[str, float]] = {}
        groups: dict[str, list[str]] = defaultdict(list)
        for pcn in self.population:
            groups[ENGLAND].append(pcn)
            groups[table.pcns[pcn].icb_code].append(pcn)
        self.groups = dict(groups)
        self._sorted: dict[tuple[str, str], list[float]] = {}
        self._quartiles: dict[tuple[str, str], tuple[Figure, ...]] = {}
        for role in self.role_ids:
            rates = {p: self.rate(p, role) for p in self.population}
            self.rates[role] = rates
            for scope, members in groups.items():
                self._sorted[(scope, role)] = sorted(rates[p] for p in members)

    @property
    def sources(self) -> tuple[Source, Source]:
        return (self.table.source, self.population_source)

    def rate(self, pcn: str, role: str) -> float:
        return float(self.table.pcn_fte(pcn, role)) * PER / self.population[pcn]

    def values(self, role: str, scope: str = ENGLAND) -> list[float]:
        """Sorted rates of the PCNs in scope (an ICB code, or ENGLAND) for a role."""
        return self._sorted[(scope, role)]

    def _refs(self) -> tuple[DataRef, ...]:
        return tuple(s.ref() for s in self.sources)

    def _scope(self, pcn: str, role: str, scope: str, label: str) -> ScopeBenchmark:
        values = self.values(role, scope)
        name = self.table.role_name(role)
        refs = self._refs()
        where = f"{len(values)} PCNs in {label}"
        quartiles = self._quartiles.get((scope, role))
        if quartiles is None:
            quartiles = self._quartiles[(scope, role)] = tuple(
                Figure(
                    label=f"{title} {name} FTE per 10,000 patients, {label}",
                    value=quantile(values, p),
                    unit="FTE per 10,000 patients",
                    method=f"{QUANTILE_METHOD} ({where}); rate = {RATE_METHOD}",
                    data=refs,
                )
                for title, p in (
                    ("Median", 0.5),
                    ("25th percentile of", 0.25),
                    ("75th percentile of", 0.75),
                )
            )
        staffed = self.table.pcn_fte(pcn, role) > 0
        rank = Figure(
            label=f"{pcn} percentile rank for {name} FTE per 10,000 patients in {label}",
            value=percentile_rank(values, self.rates[role][pcn]) if staffed else None,
            unit="percentile",
            method=f"{RANK_METHOD} ({where})" if staffed else NOT_RANKED,
            data=refs,
        )
        return ScopeBenchmark(
            scope=label,
            pcns=len(values),
            median=quartiles[0],
            p25=quartiles[1],
            p75=quartiles[2],
            percentile_rank=rank,
        )

    def for_pcn(self, code: str, roles: Iterable[str] | None = None) -> PcnBenchmark:
        code = code.strip().upper()
        info = self.table.pcns.get(code)
        if info is None:
            raise BenchmarkError(
                f"PCN {code} is not in {Path(self.table.source.path).name} "
                f"(census {self.table.source.as_of:%B %Y})"
            )
        if code not in self.population:
            raise BenchmarkError(
                f"PCN {code} has no registered population in "
                f"{Path(self.population_source.path).name}"
            )
        nwrs_ref, pop_ref = self._refs()
        population = Figure(
            label=f"Registered patients, {code}",
            value=self.population[code],
            unit="patients",
            method="all ages, both sexes (ORG_TYPE PCN)",
            data=(pop_ref,),
        )
        out: dict[str, RoleBenchmark] = {}
        for role in roles or self.role_ids:
            if role not in self.rates:
                raise BenchmarkError(f"role {role!r} is not in this benchmark")
            name = self.table.role_name(role)
            fte = Figure(
                label=f"{name} FTE, {code}",
                value=self.table.pcn_fte(code, role),
                unit="FTE",
                method="sum of FTE on the PCN's NWRS rows mapped to this role "
                "(1.0 FTE = 37.5 hours a week)",
                data=(nwrs_ref,),
            )
            rate = Figure(
                label=f"{name} FTE per 10,000 patients, {code}",
                value=self.rates[role][code],
                unit="FTE per 10,000 patients",
                method=RATE_METHOD,
                data=(nwrs_ref, pop_ref),
                inputs=(fte, population),
            )
            out[role] = RoleBenchmark(
                role=role,
                role_name=name,
                fte=fte,
                rate=rate,
                icb=self._scope(code, role, info.icb_code, info.icb_name or info.icb_code),
                england=self._scope(code, role, ENGLAND, ENGLAND),
            )
        return PcnBenchmark(pcn=info, population=population, roles=out, sources=self.sources)
