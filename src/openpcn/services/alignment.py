"""Care home alignment: each home to exactly one PCN and a lead practice.

Suggestions. There is no postcode geocoding file in the data directory, so a practice's
location is usually unknown; only its postcode (from ``gp-reg-pat-prac-map.csv``) is. A
suggestion therefore ranks member practices by how much of the postcode they share with the
home: same unit, then sector ("LS6 2"), district ("LS6"), area ("LS"). When the caller knows a
practice's latitude/longitude (e.g. from a geocoded address book) and the home has one (the
CQC file gives it), the great-circle distance breaks ties within a level and is shown.
Practices sharing not even the postcode area are not suggested. A suggestion is a hint for a
person to confirm, not an alignment: postcode districts do not follow PCN boundaries.

Conflicts. ``align`` refuses a second PCN for a home (AlignmentConflict naming both PCNs),
and ``check_alignments`` reports every home claimed by more than one PCN in a batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openpcn.services.cqc import CareHome
from openpcn.services.errors import AlignmentConflict, ServicesError
from openpcn.services.postcodes import LEVELS, Postcode, haversine_km, similarity


@dataclass(frozen=True)
class Practice:
    """A member practice as the alignment engine needs it."""

    code: str
    pcn_code: str
    postcode: str
    name: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Suggestion:
    pcn_code: str
    practice_code: str
    level: str  # unit / sector / district / area
    distance_km: float | None
    reason: str


@dataclass(frozen=True)
class Alignment:
    location_id: str
    pcn_code: str
    lead_practice: str


class PracticeIndex:
    """Member practices bucketed by each level of their postcode (unit, sector, district,
    area), so a suggestion looks at the practices sharing the most of the home's postcode
    first and at the whole area only when those are too few."""

    def __init__(self, practices: Iterable[Practice]):
        self.by_level: dict[str, dict[str, list[tuple[Practice, Postcode]]]] = {
            level: {} for level in LEVELS[:-1]
        }
        for p in practices:
            if p.pcn_code in ("", "U"):
                continue  # not in a PCN: cannot lead an alignment
            pc = Postcode.parse(p.postcode)
            if pc is not None:
                for level, bucket in self.by_level.items():
                    bucket.setdefault(getattr(pc, level), []).append((p, pc))

    @property
    def by_area(self) -> dict[str, list[tuple[Practice, Postcode]]]:
        return self.by_level["area"]


def suggest(
    home: CareHome, practices: Iterable[Practice] | PracticeIndex, limit: int = 5
) -> list[Suggestion]:
    """Member practices ranked by postcode similarity to the home, then distance, then code.

    Pass a :class:`PracticeIndex` when suggesting for many homes (one scan of an area instead
    of every practice in England).
    """
    index = practices if isinstance(practices, PracticeIndex) else PracticeIndex(practices)
    home_pc = Postcode.parse(home.postcode)
    if home_pc is None:
        return []
    located = None not in (home.latitude, home.longitude)
    out: list[Suggestion] = []
    for level, buckets in index.by_level.items():  # best level first
        ranked = []
        for p, pc in buckets.get(getattr(home_pc, level), ()):
            if similarity(home_pc, pc) != level:
                continue  # shares more: ranked at a better level already
            dist = None
            if located and None not in (p.latitude, p.longitude):
                dist = haversine_km(home.latitude, home.longitude, p.latitude, p.longitude)
            ranked.append((dist if dist is not None else float("inf"), p.code, dist, p))
        ranked.sort(key=lambda t: t[:2])
        out += [_suggestion(home, level, t) for t in ranked[: limit - len(out)]]
        if len(out) >= limit:
            break
    return out


def _suggestion(home: CareHome, level: str, ranked: tuple) -> Suggestion:
    _, _, dist, p = ranked
    reason = f"shares postcode {level} ({p.postcode} vs {home.postcode})"
    if dist is not None:
        reason += f", {dist:.1f} km away"
    return Suggestion(p.pcn_code, p.code, level, dist, reason)


class AlignmentBook:
    """The current alignments: at most one PCN per home, the lead practice in that PCN."""

    def __init__(self, members: dict[str, str] | None = None):
        #: practice code -> PCN code (membership as at the alignment date); optional check
        self.members = members
        self._by_home: dict[str, Alignment] = {}

    def align(self, location_id: str, pcn_code: str, lead_practice: str) -> Alignment:
        current = self._by_home.get(location_id)
        if current is not None and current.pcn_code != pcn_code:
            raise AlignmentConflict(location_id, (current.pcn_code, pcn_code))
        if self.members is not None:
            member_of = self.members.get(lead_practice)
            if member_of != pcn_code:
                raise ServicesError(
                    f"lead practice {lead_practice} is not a member of {pcn_code}"
                    + (f" (it is in {member_of})" if member_of else "")
                )
        alignment = Alignment(location_id, pcn_code, lead_practice)
        self._by_home[location_id] = alignment
        return alignment

    def get(self, location_id: str) -> Alignment | None:
        return self._by_home.get(location_id)

    def for_pcn(self, pcn_code: str) -> list[Alignment]:
        return sorted(
            (a for a in self._by_home.values() if a.pcn_code == pcn_code),
            key=lambda a: a.location_id,
        )


def check_alignments(claims: Iterable[Alignment]) -> list[AlignmentConflict]:
    """Every home claimed by two or more PCNs (one conflict per extra PCN), in input order."""
    first: dict[str, str] = {}
    conflicts = []
    reported: set[tuple[str, str]] = set()
    for claim in claims:
        pcn = first.setdefault(claim.location_id, claim.pcn_code)
        if pcn != claim.pcn_code and (claim.location_id, claim.pcn_code) not in reported:
            reported.add((claim.location_id, claim.pcn_code))
            conflicts.append(AlignmentConflict(claim.location_id, (pcn, claim.pcn_code)))
    return conflicts
