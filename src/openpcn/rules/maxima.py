"""ARRS role maxima: the figure in force, or the sourced statement that none is published.

Every ARRS role in every rule year has, on each day from its ``available_from``, either an
``arrs_max_reimbursement.<role>`` row (a maximum £ per WTE per year) or an
``arrs_max_none_published.<role>`` row (no figure was published or found: a claim is then capped
by the actual salary plus employer on-costs, within the PCN's ARRS sum)::

    from openpcn.rules.maxima import maximum, gaps

    found = maximum(rules, "care_coordinator", date(2024, 10, 1))   # NonePublished
    found = maximum(rules, "clinical_pharmacist", date(2024, 10, 1), "london_inner")  # RuleValue
    gaps(rules)                      # [Gap(role, name, applies_from, applies_to, why, kind), ...]
    gaps(rules, on=date(2024, 10, 1), unverified=True)   # also maxima that are not verified

``maximum`` raises :class:`openpcn.rules.RuleNotFound` when the role is not reimbursable that day
or the rule files hold neither row (a file outside the shipped set).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openpcn.rules.keys import REGIONS
from openpcn.rules.loader import RuleNotFound, RuleSet, RuleValue

MAX = "arrs_max_reimbursement"
NONE = "arrs_max_none_published"


@dataclass(frozen=True)
class NonePublished:
    """No maximum for ``role`` on the row's dates: the claim is capped by the actual cost."""

    role: str
    row: RuleValue

    @property
    def why(self) -> str:
        return self.row.note

    @property
    def period(self) -> str:
        return f"{self.row.applies_from:%-d %b %Y} to {self.row.applies_to:%-d %b %Y}"

    def explanation(self) -> str:
        """The sentence a claim's working carries."""
        return (
            f"no maximum published for {self.role} from {self.row.applies_from} to"
            f" {self.row.applies_to} ({self.row.year}; source {', '.join(self.row.source_tags)}):"
            " the claim is capped by actual salary plus employer on-costs, within the PCN's"
            " ARRS sum"
        )


@dataclass(frozen=True)
class Gap:
    """A role and period whose maximum is not published (or, kind 'unverified', not verified)."""

    role: str
    name: str
    applies_from: date
    applies_to: date
    why: str
    kind: str  # "unpublished" or "unverified"
    row: RuleValue

    @property
    def period(self) -> str:
        return f"{self.applies_from:%-d %b %Y} to {self.applies_to:%-d %b %Y}"


def maximum(
    rules: RuleSet, role: str, on: date, region: str = "national"
) -> RuleValue | NonePublished:
    """The maximum in force for ``role`` on ``on``: the region's row when held, else the
    national row, else the none-published row; RuleNotFound when there is none of these."""
    if region not in REGIONS:
        raise ValueError(f"region must be one of {REGIONS}, not '{region}'")
    if on not in rules.year:
        raise RuleNotFound(f"maximum '{role}': {on} is outside financial year {rules.year}")
    held = rules.role(role)
    if on < held.available_from:
        raise RuleNotFound(
            f"role '{role}' is reimbursable in {rules.year} only from {held.available_from},"
            f" not on {on}"
        )
    if region != "national":
        row = rules.get(f"{MAX}.{role}.{region}", on)
        if row is not None:
            return row
    row = rules.get(f"{MAX}.{role}", on)
    if row is not None:
        return row
    none = rules.get(f"{NONE}.{role}", on)
    if none is not None:
        return NonePublished(role, none)
    raise RuleNotFound(
        f"no maximum reimbursement for role '{role}' on {on} in {rules.year}, and no"
        f" '{NONE}.{role}' row saying none is published"
    )


def gaps(rules: RuleSet, on: date | None = None, *, unverified: bool = False) -> list[Gap]:
    """Roles and periods with no published maximum (and, if ``unverified``, national maxima
    that are not verified: secondary, derived or carried from an earlier year), in role order.
    ``on`` keeps only the rows in force that day."""
    names = {r.id: r.name for r in rules.roles}
    order = {r.id: i for i, r in enumerate(rules.roles)}
    out = []
    for row in rules.rules:
        family, _, rest = row.key.partition(".")
        if family == NONE:
            kind, why = "unpublished", row.note
        elif family == MAX and "." not in rest and unverified and not row.verified:
            kind = "unverified"
            why = row.caveat or row.derivation or row.note or "not verified"
            if row.confidence:
                why = f"confidence {row.confidence}: {why}"
        else:
            continue
        if on is not None and not row.applies_from <= on <= row.applies_to:
            continue
        out.append(
            Gap(rest, names.get(rest, rest), row.applies_from, row.applies_to, why, kind, row)
        )
    out.sort(key=lambda g: (order.get(g.role, 999), g.applies_from, g.kind))
    return out


__all__ = ["Gap", "NonePublished", "gaps", "maximum"]
