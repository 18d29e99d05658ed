"""What-if scenarios of an ICB (issue 16): changes against every PCN of one ICB as at a date,
each PCN's effects from the PCN engine (:func:`openpcn.scenarios.effects.run`) and the ICB's
totals beside its baseline. Pure Python; no rule is worked out here.

An ICB change is turned into the PCN changes it means for each PCN it touches (:func:`plan`):

- ``practice_moves`` (practice, to_pcn, start): ``practice_leaves`` in the practice's PCN and
  ``practice_joins`` in ``to_pcn``, both from ``start``;
- ``care_home_realigned`` (location_id, to_pcn, start, lead_practice): ``care_home_unaligned``
  in the PCN it is aligned to (its last day the day before ``start``) and ``care_home_aligned``
  in ``to_pcn`` from ``start``;
- ``rules_year`` and ``rules_variant``: the same change in every PCN of the ICB.

Checks (a :class:`ChangeError` naming the change by its number and what it does): every PCN and
practice a change names must be in the ICB as at the scenario's date; then each PCN's own checks
(:func:`openpcn.scenarios.inputs.apply`), reported against the ICB change that made them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from openpcn.scenarios.changes import (
    CareHomeAligned,
    CareHomeUnaligned,
    Change,
    PracticeJoins,
    PracticeLeaves,
    RulesVariant,
    RulesYear,
)
from openpcn.scenarios.effects import Effects, Result, Row, compare, effects, run
from openpcn.scenarios.fields import ChangeError, _code, _date
from openpcn.scenarios.inputs import Inputs


@dataclass(frozen=True)
class PracticeMoves(Change):
    """A practice leaves its PCN and joins ``to_pcn`` (in the same ICB) from ``start``."""

    kind: ClassVar[str] = "practice_moves"
    practice: str
    to_pcn: str
    start: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "practice", _code(self.practice, f"{self.kind}: the practice"))
        what = f"{self.kind} {self.practice}"
        object.__setattr__(self, "to_pcn", _code(self.to_pcn, f"{what}: the PCN it joins"))
        object.__setattr__(self, "start", _date(self.start, f"{what}: the start"))

    def describe(self) -> str:
        return f"practice {self.practice} moves to {self.to_pcn} from {self.start}"


@dataclass(frozen=True)
class CareHomeRealigned(Change):
    """A care home aligned to one PCN of the ICB is aligned to ``to_pcn`` from ``start``."""

    kind: ClassVar[str] = "care_home_realigned"
    location_id: str
    to_pcn: str
    start: date
    lead_practice: str = ""  # ODS code of a practice of ``to_pcn``; needed to adopt

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "location_id", _code(self.location_id, f"{self.kind}: the location id")
        )
        what = f"{self.kind} {self.location_id}"
        object.__setattr__(self, "to_pcn", _code(self.to_pcn, f"{what}: the PCN it moves to"))
        object.__setattr__(self, "start", _date(self.start, f"{what}: the start"))
        object.__setattr__(self, "lead_practice", str(self.lead_practice or "").strip().upper())

    def describe(self) -> str:
        return f"care home {self.location_id} realigned to {self.to_pcn} from {self.start}"


#: the kinds an ICB scenario may hold
ICB_KINDS: dict[str, type[Change]] = {
    c.kind: c for c in (PracticeMoves, CareHomeRealigned, RulesYear, RulesVariant)
}


@dataclass(frozen=True)
class IcbInputs:
    """Every PCN of the ICB as at ``as_at`` (the registry's in-ICB relations), each with the
    inputs the PCN engine is given; ``names``: PCN and practice names for the page."""

    icb_code: str
    as_at: date
    pcns: Mapping[str, Inputs]
    names: Mapping[str, str] = field(default_factory=dict)

    def membership(self) -> dict[str, str]:
        first = next(iter(self.pcns.values()), None)
        return dict(first.membership) if first else {}


def _label(index: int, change: Change) -> str:
    return f"change {index} ({change.describe()})"


def _in_icb(code: str, inputs: IcbInputs, label: str, what: str) -> None:
    if code not in inputs.pcns:
        listed = ", ".join(sorted(inputs.pcns)) or "none"
        raise ChangeError(
            f"{label}: {what} {code} is not a PCN of ICB {inputs.icb_code} as at"
            f" {inputs.as_at} (its PCNs: {listed})"
        )


def _aligned_to(inputs: IcbInputs, location_id: str, day: date) -> str | None:
    for code, pcn in inputs.pcns.items():
        period = pcn.care_home_periods.get(location_id)
        if period is not None and period[0] <= day and (period[1] is None or period[1] >= day):
            return code
    return None


def plan(inputs: IcbInputs, changes: Iterable[Change]) -> dict[str, list[tuple[int, Change]]]:
    """PCN -> its PCN changes, each with the number of the ICB change it comes from."""
    out: dict[str, list[tuple[int, Change]]] = {}
    where = inputs.membership()
    homes: dict[str, str] = {}  # location id -> PCN, as the changes so far leave it
    for i, change in enumerate(changes, 1):
        label = _label(i, change)
        if isinstance(change, PracticeMoves):
            now = where.get(change.practice)
            if now not in inputs.pcns:
                raise ChangeError(
                    f"{label}: {change.practice} is not a member practice of any PCN of ICB"
                    f" {inputs.icb_code} as at {inputs.as_at}"
                    + (f" (it is in {now})" if now and now != "U" else "")
                )
            _in_icb(change.to_pcn, inputs, label, "the PCN it joins,")
            if now == change.to_pcn:
                raise ChangeError(f"{label}: {change.practice} is already in {now}")
            out.setdefault(now, []).append((i, PracticeLeaves(change.practice, change.start)))
            out.setdefault(change.to_pcn, []).append(
                (i, PracticeJoins(change.practice, change.start))
            )
            where[change.practice] = change.to_pcn
        elif isinstance(change, CareHomeRealigned):
            _in_icb(change.to_pcn, inputs, label, "the PCN it moves to,")
            if change.start <= inputs.as_at:
                raise ChangeError(
                    f"{label}: the start {change.start} must be after the scenario's date"
                    f" {inputs.as_at} (the old alignment's last day is the day before)"
                )
            now = homes.get(change.location_id) or _aligned_to(
                inputs, change.location_id, change.start - timedelta(1)
            )
            if now is None:
                raise ChangeError(
                    f"{label}: {change.location_id} is not aligned to any PCN of ICB"
                    f" {inputs.icb_code} on {change.start - timedelta(1)}"
                )
            if now == change.to_pcn:
                raise ChangeError(f"{label}: {change.location_id} is already aligned to {now}")
            if change.lead_practice and where.get(change.lead_practice) != change.to_pcn:
                raise ChangeError(
                    f"{label}: the lead practice {change.lead_practice} is not a member of"
                    f" {change.to_pcn}"
                )
            last = change.start - timedelta(1)
            out.setdefault(now, []).append((i, CareHomeUnaligned(change.location_id, last)))
            out.setdefault(change.to_pcn, []).append(
                (i, CareHomeAligned(change.location_id, change.start, change.lead_practice))
            )
            homes[change.location_id] = change.to_pcn
        elif isinstance(change, RulesYear | RulesVariant):
            for code in inputs.pcns:
                out.setdefault(code, []).append((i, change))
        else:
            raise ChangeError(
                f"{label}: an ICB scenario cannot hold a {change.kind} change (its kinds:"
                f" {', '.join(ICB_KINDS)}); make it in the PCN's own scenario"
            )
    return out


def _run_pcn(pcn: Inputs, steps: list[tuple[int, Change]], icb_changes: tuple[Change, ...]):
    try:
        return run(pcn, [c for _, c in steps])
    except ChangeError as exc:  # said against the ICB change that made the PCN's change
        text = str(exc)
        for k, (i, c) in enumerate(steps, 1):
            head = f"change {k} ({c.describe()}): "
            if text.startswith(head):
                raise ChangeError(
                    f"{_label(i, icb_changes[i - 1])}, for {pcn.pcn_code}: {text[len(head) :]}"
                ) from None
        raise


#: the effects the ICB totals add up across its PCNs (the size band is counted instead)
TOTALLED = ("ARRS", "ARRS (GP)", "Entitlements", "Care homes", "Enhanced Access")


def totals(side: Iterable[Effects]) -> dict[tuple[str, str], Any]:
    """(effect, item) -> the ICB's total of every PCN's figure; size bands as counts of PCNs."""
    out: dict[tuple[str, str], Any] = {}
    for e in side:
        for (effect, item), value in e.values().items():
            if effect == "Size" and item != "registered patients":
                band = f"PCNs {value} the band" if value else "PCNs of unknown size"
                out[("Size bands", band)] = out.get(("Size bands", band), 0) + 1
                continue
            if effect not in TOTALLED and effect != "Size":
                continue
            if isinstance(value, Decimal | int):
                key = ("Size", "registered patients") if effect == "Size" else (effect, item)
                out[key] = out.get(key, 0) + value
            else:
                out.setdefault((effect, item), None)
    return out


def explain(inputs: IcbInputs) -> dict[str, str]:
    """Effect -> how its ICB total is made (the page, the API and the workbook show it)."""
    pcn = next(iter(inputs.pcns.values()), None)
    n = len(inputs.pcns)
    if pcn is None:
        return {}
    pops = f"{pcn.population_source} (as of {pcn.population_as_of})"
    each = f"the sum over the ICB's {n} PCN{'s' if n != 1 else ''} of each PCN's"
    return {
        "ARRS": f"{each} ARRS forecast (finance engine, {pcn.year} rules with each PCN's ICB"
        f" overlay; claims recorded to {inputs.as_at}; posts from each PCN's register)",
        "ARRS (GP)": f"{each} ARRS GP forecast, worked as the ARRS one",
        "Entitlements": f"{each} entitlement by stream ({pcn.year} rules) on {pops}",
        "Care homes": f"{each} aligned care home beds, pro rata by days aligned in {pcn.year}"
        " (CQC care home file)",
        "Enhanced Access": f"{each} Enhanced Access minutes a week ({pcn.year} rate) on {pops}",
        "Size": f"{each} registered patients in {pops}",
        "Size bands": "how many of the ICB's PCNs are below, within or above the 30,000-50,000"
        f" registered patients band, on {pops}",
    }


@dataclass(frozen=True)
class IcbResult:
    inputs: IcbInputs
    changes: tuple[Change, ...]
    pcns: Mapping[str, Result]  # the PCNs a change touches: their effects beside the baseline
    unaffected: tuple[str, ...]
    rows: tuple[Row, ...]  # the ICB's totals, baseline beside scenario
    explanations: Mapping[str, str]

    @property
    def changed_rows(self) -> list[Row]:
        return [r for r in self.rows if r.difference not in ("", 0)]

    def as_dict(self) -> dict[str, Any]:
        first = next(iter(self.inputs.pcns.values()), None)
        return {
            "icb_code": self.inputs.icb_code,
            "as_at": self.inputs.as_at.isoformat(),
            "year": first.year if first else "",
            "changes": [c.as_dict() | {"describe": c.describe()} for c in self.changes],
            "totals": [
                r.as_dict() | {"how": self.explanations.get(r.effect, "")} for r in self.rows
            ],  # fmt: skip
            "pcns": {code: r.as_dict() for code, r in self.pcns.items()},
            "unaffected": list(self.unaffected),
        }


def run_icb(inputs: IcbInputs, changes: Iterable[Change]) -> IcbResult:
    """Each touched PCN's effects (the PCN engine on its changes) and the ICB's totals; an
    untouched PCN's baseline counts on both sides (ChangeError naming a bad change)."""
    changes = tuple(changes)
    steps = plan(inputs, changes)
    results = {code: _run_pcn(inputs.pcns[code], steps[code], changes)
               for code in inputs.pcns if code in steps}  # fmt: skip
    same = {code: effects(pcn) for code, pcn in inputs.pcns.items() if code not in steps}
    base = [r.baseline for r in results.values()] + list(same.values())
    scen = [r.scenario for r in results.values()] + list(same.values())
    rows = tuple(compare(totals(base), totals(scen)))
    return IcbResult(inputs, changes, results, tuple(sorted(same)), rows, explain(inputs))


__all__ = [
    "ICB_KINDS",
    "CareHomeRealigned",
    "IcbInputs",
    "IcbResult",
    "PracticeMoves",
    "explain",
    "plan",
    "run_icb",
    "totals",
]
