"""PCN membership as at a date, as plain data (pure: no Django).

Every domain asks the registry for "members of PCN P as at date D" through one function
(:func:`openpcn.data.registry.queries.membership_at`) and receives a :class:`Membership`: a
read-only mapping practice -> PCN ("U" = in no PCN) that also carries the date it answers for
and the file(s) it was taken from, so every figure built on it can name them. Engines take it
as a plain mapping and never import Django.

Which file answers for D (decision 0011, superseding 0004's rule for membership only):

1. a membership file observed on D itself (the NHS England Digital map of that extract);
2. else the earliest *dated* file (ODS ePCN: dated relationships, ended ones kept) observed
   after D: it records in hindsight what was true on D;
3. else the newest file observed before D (a snapshot is believed until a newer file says
   otherwise).

Of the chosen file's relations, those active on D (start <= D <= end, open ends allowed) are
the answer. Files observed on one date are read together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from openpcn.core.figures import DataRef

UNALIGNED = "U"


@dataclass(frozen=True, order=True)
class MembershipFile:
    """A file that reported practice-to-PCN relations, observed on ``observed``.

    ``dated``: its relations carry start and end dates (ODS ePCN), so it can answer for dates
    before it was published; a snapshot (the NHS England Digital map) cannot."""

    observed: date
    name: str  # e.g. "ods_epcn_2025-01/ePCN.xlsx"
    dated: bool = False


def choose_files(on: date, files: Iterable[MembershipFile]) -> tuple[MembershipFile, ...]:
    """The file(s) whose relations answer "membership as at ``on``" (see the module doc)."""
    files = sorted(set(files))
    same_day = tuple(f for f in files if f.observed == on)
    if same_day:
        return same_day
    later = [f for f in files if f.dated and f.observed > on]
    if later:
        first = later[0].observed
        return tuple(f for f in later if f.observed == first)
    earlier = [f for f in files if f.observed < on]
    if earlier:
        last = earlier[-1].observed
        return tuple(f for f in earlier if f.observed == last)
    return ()


def active(start: date | None, end: date | None, on: date) -> bool:
    return (start is None or start <= on) and (end is None or end >= on)


def resolve(rows: Iterable[tuple], on: date) -> dict[str, set[str]]:
    """rows: (child, parent, kind, start, end, observed) -> {child: parents} as at ``on``.

    Only rows observed at or before ``on`` count; per child and kind the newest observation
    wins; of its rows, those active on ``on`` are kept. (For organisations' other parents:
    sub-ICB, ICB, region.)
    """
    newest: dict[tuple[str, str], date] = {}
    kept: list[tuple] = []
    for row in rows:
        child, _parent, kind, _start, _end, observed = row
        if observed > on:
            continue
        kept.append(row)
        key = (child, kind)
        if key not in newest or observed > newest[key]:
            newest[key] = observed
    result: dict[str, set[str]] = defaultdict(set)
    for child, parent, kind, start, end, observed in kept:
        if observed == newest[(child, kind)] and active(start, end, on):
            result[child].add(parent)
    return result


@dataclass(frozen=True)
class Membership(Mapping):
    """practice -> PCN as at ``on``, from ``files`` (empty when no membership is loaded)."""

    on: date
    members: Mapping[str, str] = field(default_factory=dict)
    files: tuple[MembershipFile, ...] = ()

    def __getitem__(self, practice: str) -> str:
        return self.members[practice]

    def __iter__(self) -> Iterator[str]:
        return iter(self.members)

    def __len__(self) -> int:
        return len(self.members)

    def __hash__(self) -> int:
        return hash((self.on, self.files, len(self.members)))

    @property
    def observed(self) -> date | None:
        """The as-of date of the file the answer came from (None when nothing is loaded)."""
        return self.files[0].observed if self.files else None

    @property
    def source(self) -> str:
        return ", ".join(f.name for f in self.files) or "no membership file"

    def pcn_of(self, practice: str) -> str | None:
        return self.members.get(practice)

    def members_of(self, pcn_code: str) -> list[str]:
        """The PCN's member practices as at ``on``, in code order."""
        return sorted(p for p, c in self.members.items() if c == pcn_code)

    def by_pcn(self) -> dict[str, list[str]]:
        """PCN -> its practices (code order); practices in no PCN are left out."""
        out: dict[str, list[str]] = defaultdict(list)
        for practice, pcn in sorted(self.members.items()):
            if pcn != UNALIGNED:
                out[pcn].append(practice)
        return dict(out)

    def describe(self) -> str:
        """E.g. "ods_epcn_2025-01/ePCN.xlsx (observed 2025-01-20) as at 2024-03-31"."""
        if not self.files:
            return f"no PCN membership loaded for {self.on}"
        return f"{self.source} (observed {self.observed}) as at {self.on}"

    def data_ref(self) -> DataRef:
        how = (
            "its dated relationships active on that date"
            if any(f.dated for f in self.files)
            else "the practice-to-PCN snapshot of that date"
            if self.observed == self.on
            else "the newest snapshot before that date"
        )
        return DataRef(
            source=self.source,
            as_of=self.observed,
            description=f"PCN membership as at {self.on}: {how}",
        )


def from_rows(on: date, files: Iterable[MembershipFile], rows: Iterable[tuple]) -> Membership:
    """A :class:`Membership` from the chosen files' relation rows (child, parent, start, end);
    a practice under two PCNs on ``on`` (a move on a month end) counts in the first by code."""
    parents: dict[str, set[str]] = defaultdict(set)
    for child, parent, start, end in rows:
        if active(start, end, on):
            parents[child].add(parent)
    members = {child: sorted(ps)[0] for child, ps in sorted(parents.items())}
    return Membership(on, members, tuple(files))
