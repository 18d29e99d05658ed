"""Which ICB varied a rule row, from when, and by which version of its overlay (pure data).

A :class:`Variation` travels on a :class:`openpcn.rules.loader.RuleValue` that an ICB overlay
(:mod:`openpcn.rules.overlays`) put in place of, or beside, the national rows; its
:meth:`Variation.words` is what every explanation says about the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


def long_date(day: date) -> str:
    """1 May 2026 (no leading zero)."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Variation:
    icb_code: str
    icb_name: str
    applies_from: date
    version: str  # "file QKS.yaml" or "version 3"
    source: str  # the overlay's own source (the agreement)
    title: str = ""
    national: bool = True  # False: the ICB added a key the national rules do not hold

    def words(self) -> str:
        """'national rule, varied by NHS Kent and Medway ICB (QKS) from 1 May 2026 (...)'."""
        who = f"{self.icb_name} ({self.icb_code})" if self.icb_name else self.icb_code
        what = "national rule, varied by" if self.national else "local rule of"
        detail = "; ".join(p for p in (self.title, self.version) if p)
        return f"{what} {who} from {long_date(self.applies_from)}" + (
            f" ({detail})" if detail else ""
        )
