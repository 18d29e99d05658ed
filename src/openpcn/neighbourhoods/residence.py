"""Where people live against where they are registered (issue 18): pure, on plain data.

From one extract of NHS England Digital's patients per practice per LSOA, PCN membership as
at the extract date and the neighbourhoods' footprints (2021 LSOAs):

- for a PCN (its member practices as at the extract date): its patients living in each
  neighbourhood and each local authority, with "no LSOA recorded" and "outside any
  neighbourhood"; the misfit: the share of its patients (with an LSOA recorded) living
  outside every neighbourhood it serves;
- for a neighbourhood: its residents (patients of any practice living in its LSOAs) by
  registered practice and by PCN; the misfit: the share registered outside its PCNs;
- the overlap: PCNs x neighbourhoods, patients of the PCN living in the neighbourhood.

Neighbourhoods of different owners may overlap, so one patient can count in two of them;
"outside any neighbourhood" counts each patient once. A file in 2011 LSOAs cannot be matched
to neighbourhoods or local authorities (no 2011-to-2021 lookup is used): only totals and "no
LSOA recorded" are given, and the reason is stated.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from openpcn.core.figures import DataRef, Figure

NO_LSOA = "no LSOA recorded"
OUTSIDE = "outside any neighbourhood"
ELSEWHERE = "in no neighbourhood shown"
OTHER_AREA = "an LSOA outside England's 2021 LSOAs (e.g. Wales)"
NO_PCN = "no PCN"
VINTAGE = 2021
_LSOA = re.compile(r"^[EWSN]\d{8}$")  # else the file's placeholder (NO2011, NO2021, CLOSED)
UNMATCHED = (
    "the file's LSOAs are 2011 codes and neighbourhoods are 2021 LSOAs: they cannot be "
    "matched (no 2011-to-2021 LSOA lookup is loaded)"
)


@dataclass(frozen=True)
class Extract:
    """(practice, LSOA) -> persons on ``extract_date``; ``files`` the file(s) it came from."""

    extract_date: date
    vintage: int
    files: tuple[str, ...]
    counts: Mapping[tuple[str, str], int]

    def data_ref(self) -> DataRef:
        return DataRef(
            ", ".join(self.files) or "no file",
            self.extract_date,
            f"patients per practice per LSOA of residence ({self.vintage} LSOAs)",
        )


@dataclass(frozen=True)
class Geography:
    """Neighbourhood label -> its 2021 LSOAs and the PCNs serving it, as at ``as_at``;
    2021 LSOA -> (local authority code, name)."""

    as_at: date
    footprints: Mapping[str, frozenset[str]]
    serves: Mapping[str, frozenset[str]]
    lad_of: Mapping[str, tuple[str, str]]
    source: str = "neighbourhood footprints"

    def data_ref(self) -> DataRef:
        return DataRef(self.source, self.as_at, "neighbourhoods' 2021 LSOAs and PCNs as at")


@dataclass(frozen=True)
class Share:
    key: str
    name: str
    count: int
    of: int  # the whole it is a share of

    @property
    def pct(self) -> float | None:
        return round(self.count / self.of * 100, 1) if self.of else None


@dataclass(frozen=True)
class PcnResidence:
    pcn: str
    practices: tuple[str, ...]
    total: Figure
    no_lsoa: Figure
    by_neighbourhood: tuple[Share, ...]
    by_local_authority: tuple[Share, ...]
    misfit: Figure
    matched: bool


@dataclass(frozen=True)
class NeighbourhoodResidence:
    label: str
    residents: Figure
    by_practice: tuple[Share, ...]
    by_pcn: tuple[Share, ...]
    misfit: Figure


@dataclass(frozen=True)
class Overlap:
    rows: tuple[str, ...]  # PCN codes (and NO_PCN)
    columns: tuple[str, ...]  # neighbourhood labels, then ELSEWHERE and NO_LSOA
    cells: Mapping[tuple[str, str], int] = field(default_factory=dict)

    def cell(self, row: str, column: str) -> int:
        return self.cells.get((row, column), 0)


def is_lsoa(code: str) -> bool:
    return bool(_LSOA.match(code))


class Residence:
    """The figures of one extract against one membership and one geography."""

    def __init__(self, extract: Extract, membership: Mapping[str, str], geo: Geography, names=None):
        self.extract, self.membership, self.geo = extract, membership, geo
        self.names: Mapping[str, str] = names or {}
        self.matched = extract.vintage == VINTAGE
        self.in_nb: dict[str, set[str]] = defaultdict(set)  # LSOA -> neighbourhood labels
        for label, codes in geo.footprints.items():
            for code in codes:
                self.in_nb[code].add(label)
        self.by_practice: dict[str, dict[str, int]] = defaultdict(dict)
        for (practice, lsoa), n in extract.counts.items():
            if n:  # a published row of 0 patients says nothing about where anyone lives
                self.by_practice[practice][lsoa] = n

    def _data(self) -> tuple[DataRef, ...]:
        refs = [self.extract.data_ref()]
        ref = getattr(self.membership, "data_ref", None)
        refs.append(
            ref()
            if ref
            else DataRef("PCN membership", self.extract.extract_date, "as at the extract date")
        )
        if self.matched:
            refs.append(self.geo.data_ref())
        return tuple(refs)

    def pcn_of(self, practice: str) -> str:
        pcn = self.membership.get(practice)
        return NO_PCN if pcn in (None, "U") else pcn

    def members(self, pcn: str) -> tuple[str, ...]:
        """Its practices as at the extract date (those in the file, or in the membership)."""
        known = set(self.by_practice) | set(self.membership)
        return tuple(sorted(p for p in known if self.pcn_of(p) == pcn))

    def serving(self, pcn: str) -> list[str]:
        return sorted(label for label, pcns in self.geo.serves.items() if pcn in pcns)

    def pcn(self, pcn: str) -> PcnResidence:
        practices = self.members(pcn)
        total = no_lsoa = 0
        nbs: dict[str, int] = defaultdict(int)
        las: dict[tuple[str, str], int] = defaultdict(int)
        own = set(self.serving(pcn))
        outside_own = with_lsoa = 0
        for practice in practices:
            for lsoa, n in self.by_practice.get(practice, {}).items():
                total += n
                if not is_lsoa(lsoa):
                    no_lsoa += n
                    continue
                with_lsoa += n
                labels = self.in_nb.get(lsoa, set()) if self.matched else set()
                for label in labels:
                    nbs[label] += n
                if not labels:
                    nbs[OUTSIDE] += n
                if not labels & own:
                    outside_own += n
                las[self.geo.lad_of.get(lsoa, ("", OTHER_AREA))] += n
        data, at = self._data(), self.extract.extract_date
        method = (
            f"The patients of {pcn}'s member practices as at {at} ({', '.join(practices) or 'none'}"
            "), added up over every LSOA the file gives for each practice (the ALL rows: men and "
            "women are not added again)."
        )
        by_nb = self._shares(nbs, total) if self.matched else ()
        by_la = (
            tuple(Share(c, n, k, total) for (c, n), k in sorted(las.items(), key=_biggest))
            if self.matched
            else ()
        )
        extra = (Share(NO_LSOA, NO_LSOA, no_lsoa, total),) if no_lsoa else ()
        return PcnResidence(
            pcn,
            practices,
            Figure(
                f"Patients registered with {pcn}'s practices", total, "patients", method, (), data
            ),
            Figure(
                "Patients with no LSOA recorded",
                no_lsoa,
                "patients",
                "Rows whose LSOA code is the file's placeholder (NO2011, NO2021, CLOSED): an "
                "address with no LSOA, or an invalid postcode.",
                (),
                data,
            ),
            by_nb + extra if self.matched else (),
            by_la + extra if self.matched else (),
            self._pcn_misfit(pcn, own, outside_own, with_lsoa, data),
            self.matched,
        )

    def _pcn_misfit(self, pcn, own, outside, whole, data) -> Figure:
        label = f"Share of {pcn}'s patients living outside the neighbourhoods it serves"
        if not self.matched:
            return Figure(label, None, "%", f"Not worked out: {UNMATCHED}.", (), data)
        if not own:
            return Figure(label, None, "%", "Not worked out: it serves no neighbourhood.", (), data)
        value = round(outside / whole * 100, 1) if whole else None
        method = (
            f"{outside:,} of the {whole:,} patients with an LSOA recorded live in an LSOA of none"
            f" of {', '.join(sorted(own))} (patients with no LSOA recorded are left out)."
        )
        return Figure(label, value, "%", method, (), data)

    def neighbourhood(self, label: str) -> NeighbourhoodResidence:
        codes = self.geo.footprints.get(label, frozenset()) if self.matched else frozenset()
        practices: dict[str, int] = defaultdict(int)
        for practice, lsoas in self.by_practice.items():
            for lsoa, n in lsoas.items():
                if lsoa in codes:
                    practices[practice] += n
        residents = sum(practices.values())
        pcns: dict[str, int] = defaultdict(int)
        for practice, n in practices.items():
            pcns[self.pcn_of(practice)] += n
        own = self.geo.serves.get(label, frozenset())
        outside = sum(n for pcn, n in pcns.items() if pcn not in own)
        data = self._data()
        if not self.matched:
            method, share = f"Not worked out: {UNMATCHED}.", None
        else:
            method = (
                f"Patients of every practice in the file living in the {len(codes)} LSOAs of "
                f"{label} as at {self.geo.as_at}."
            )
            share = round(outside / residents * 100, 1) if residents and own else None
        misfit_method = (
            f"{outside:,} of its {residents:,} residents are registered with practices outside "
            f"its PCNs ({', '.join(sorted(own)) or 'none recorded'}), by PCN membership as at "
            f"{self.extract.extract_date}."
            if self.matched and own
            else method
            if not self.matched
            else "Not worked out: no PCN is recorded as serving it."
        )
        return NeighbourhoodResidence(
            label,
            Figure(
                f"Residents of {label} registered with a GP",
                residents,
                "patients",
                method,
                (),
                data,
            ),
            tuple(
                Share(p, self.names.get(p, p), n, residents)
                for p, n in sorted(practices.items(), key=_biggest)
            ),
            self._shares(pcns, residents),
            Figure(
                f"Share of {label}'s residents registered outside its PCNs",
                share,
                "%",
                misfit_method,
                (),
                data,
            ),
        )

    def overlap(self, labels: list[str], pcns: list[str] | None = None) -> Overlap:
        """Patients of each PCN (rows) living in each neighbourhood (columns), then those
        living in none of them and those with no LSOA. Rows default to every PCN with
        patients living in one of ``labels``."""
        wanted = set(labels)
        cells: dict[tuple[str, str], int] = defaultdict(int)
        for practice, lsoas in self.by_practice.items():
            pcn = self.pcn_of(practice)
            for lsoa, n in lsoas.items():
                if not is_lsoa(lsoa):
                    cells[(pcn, NO_LSOA)] += n
                    continue
                hit = self.in_nb.get(lsoa, set()) & wanted if self.matched else set()
                for label in hit:
                    cells[(pcn, label)] += n
                if not hit:
                    cells[(pcn, ELSEWHERE)] += n
        if pcns is None:
            pcns = sorted({p for (p, c), n in cells.items() if c in wanted and n})
        columns = (*labels, ELSEWHERE, NO_LSOA)
        kept = {(p, c): n for (p, c), n in cells.items() if p in pcns}
        return Overlap(tuple(pcns), columns, kept)

    def _shares(self, counts: Mapping[str, int], whole: int) -> tuple[Share, ...]:
        return tuple(
            Share(k, self.names.get(k, k), n, whole)
            for k, n in sorted(counts.items(), key=_biggest)
        )


def _biggest(item) -> tuple:
    key, n = item
    return (-n, key)
