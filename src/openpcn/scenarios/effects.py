"""A scenario's effects: each domain's own engine run on the baseline and on the changed inputs.

No rule is implemented twice: the ARRS sum and every stream come from
:func:`openpcn.finance.entitlements.entitlements`, the forecast from
:func:`openpcn.finance.forecast.forecast`, the income split from
:func:`openpcn.finance.split.by_list`, the size band from
:func:`openpcn.registry.sizes.pcn_sizes`, the care home bed-years from
:func:`openpcn.services.carehome_money.aligned_bed_years` and the Enhanced Access minutes from
:func:`openpcn.services.enhanced_access.weekly_requirement`. :func:`differences` lays the
two side by side.

::

    result = run(inputs, [Recruit("clinical_pharmacist", Decimal(1), date(2026, 7, 1))])
    for row in result.rows: row.effect, row.item, row.baseline, row.scenario, row.difference
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from openpcn.finance.claims import ClaimError
from openpcn.finance.entitlements import StreamFigure, entitlements
from openpcn.finance.errors import FinanceError
from openpcn.finance.forecast import Forecast, forecast, with_sums_from
from openpcn.finance.split import Share, by_list, practice_lists
from openpcn.registry.sizes import DEFAULT_BAND, pcn_sizes
from openpcn.rules import RuleNotFound
from openpcn.scenarios.changes import Change
from openpcn.scenarios.inputs import Inputs, apply
from openpcn.scenarios.rota import Progress, RotaWeek, rota_week
from openpcn.scenarios.rota import values as rota_values
from openpcn.services.enhanced_access import weekly_requirement
from openpcn.workforce.coverage import CoverageError, CoverageReport, coverage, staff_at_practices

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Effects:
    """Every effect on one set of inputs; a figure that cannot be made says why."""

    inputs: Inputs
    streams: tuple[StreamFigure, ...]
    forecast: Forecast | None
    shares: tuple[Share, ...]
    split_total: Decimal | None
    size: int | None  # registered patients of the member practices
    band: str  # "below", "within" or "above" the 30,000-50,000 band; "" when unknown
    messages: tuple[str, ...] = ()
    ea_minutes: Decimal | None = None  # Enhanced Access minutes required a week
    coverage: CoverageReport | None = None  # member practices' sessions by role
    rota: RotaWeek | None = None  # the sample week's rota, when asked for

    def values(self) -> dict[tuple[str, str], Any]:
        """(effect, item) -> value: the figures a differences table compares."""
        out: dict[tuple[str, str], Any] = {}
        fc = self.forecast
        if fc is not None:
            for pot, f in fc.pots.items():
                name = "ARRS" if pot == "arrs" else "ARRS (GP)"
                out[(name, "sum")] = f.sum
                out[(name, "claimed")] = f.actual
                out[(name, "committed")] = f.committed
                out[(name, "year-end forecast")] = f.projected
                out[(name, "underspend")] = f.underspend
                out[(name, "overspend")] = f.overspend
            for role, wte in sorted(fc.wte_by_role.items()):
                out[("ARRS WTE by role", role)] = wte
        for s in self.streams:
            out[("Entitlements", s.label)] = s.annual_amount if s.available else None
        for sh in self.shares:
            out[(f"Income split ({self.inputs.split_basis} list)", sh.practice_code)] = sh.amount
        if self.coverage is not None:
            for role, rc in self.coverage.roles.items():
                out[("Coverage: practices reached", role)] = rc.reached
                out[("Coverage: sessions a week", role)] = rc.total_sessions
        out[("Enhanced Access", "minutes required a week")] = self.ea_minutes
        beds = self.inputs.bed_years()
        out[("Care homes", "aligned bed-years")] = None if beds is None else Decimal(beds)
        out[("Size", "registered patients")] = self.size
        out[("Size", f"{DEFAULT_BAND[0]:,}-{DEFAULT_BAND[1]:,} band")] = self.band or None
        if self.rota is not None:
            out |= rota_values(self.rota)
        return out


def effects(
    inputs: Inputs, rota_time_limit: float | None = None, progress: Progress | None = None
) -> Effects:
    """Run the engines on ``inputs`` (never raises for a figure that cannot be made); with a
    ``rota_time_limit`` and rota facts, the sample week's rota too (``progress`` as the rota
    solver's)."""
    messages: list[str] = []
    pops = inputs.populations()
    pcn = inputs.pcn_code
    if pcn not in pops.pcns:
        messages.append(f"{pcn} has no member practices in {pops.source}: no entitlements")
        return Effects(inputs, (), None, (), None, None, "", tuple(messages))
    erules = inputs.entitlement_rules or inputs.rules
    streams = tuple(entitlements(pcn, erules, pops, inputs.bed_years(),
                                 allow_other_year=inputs.other_year))  # fmt: skip
    fc = None
    try:
        sums = with_sums_from(streams, inputs.rules)
        fc = forecast(
            inputs.rules,
            sums,
            inputs.posts,
            inputs.vacancies,
            claimed=inputs.claimed,
            claimed_gp=inputs.claimed_gp if "arrs_gp" in sums else None,
            as_of=inputs.as_at,
            list_size=pops.pcns[pcn].registered,
            pay_table=inputs.pay_table,
        )
    except (FinanceError, ClaimError) as exc:
        messages.append(f"The forecast cannot be made: {exc}")
    total = split_total(streams)
    shares: tuple[Share, ...] = ()
    try:
        shares = tuple(by_list(total, practice_lists(pops, pcn, inputs.split_basis)))
    except FinanceError as exc:
        messages.append(f"The income split cannot be made: {exc}")
    counts = {r.practice_code: r.raw_list_size for r in inputs.practices}
    members = {p: pcn for p in pops.pcns[pcn].practices}
    report = pcn_sizes(members, counts)
    size = report.sizes.get(pcn)
    band = ""
    if size is not None:
        band = "within" if report.in_band else "below" if report.below else "above"
    ea = None
    try:
        on = min(erules.year.end, erules.year.start + (inputs.as_at - inputs.rules.year.start))
        rate = erules.value("enhanced_access_minutes_per_1000_per_week", on)  # the same day
        ea = weekly_requirement(pops.pcns[pcn].adjusted, rate.as_rule_ref()).value
    except RuleNotFound as exc:
        messages.append(f"The Enhanced Access requirement cannot be worked out: {exc}")
    report = None
    if inputs.register:
        members = sorted(pops.pcns[pcn].practices)
        sizes = {p: inputs.practice_counts.get(p, 0) for p in members}
        try:
            staff = staff_at_practices(inputs.register, sizes)
            report = coverage(staff, sizes, on=inputs.as_at)
        except (CoverageError, ValueError) as exc:  # a register row the engine refuses
            messages.append(f"Coverage cannot be worked out: {exc}")
    week = None
    if rota_time_limit and inputs.rota is not None:
        week = rota_week(sample_facts(inputs), rota_time_limit, progress)
    return Effects(inputs, streams, fc, shares, total, size, band, tuple(messages), ea, report,
                   week)  # fmt: skip


def sample_facts(inputs: Inputs):
    """The sample week's rota facts, Enhanced Access worked on the inputs' membership."""
    pops = inputs.populations()
    if inputs.rota is None or inputs.pcn_code not in pops.pcns:
        return inputs.rota
    return replace(inputs.rota, adjusted_population=pops.pcns[inputs.pcn_code].adjusted)


#: effects whose rows are counts: absent on one side means none
COUNTED = frozenset(
    {"ARRS WTE by role", "Coverage: practices reached", "Coverage: sessions a week",
     "Rota: sessions a week", "Size bands"}
)  # fmt: skip
#: effects whose rows are not money (the page shows them without a pound sign)
NOT_MONEY = ("Size", "ARRS WTE", "Care homes", "Enhanced Access", "Coverage", "Rota")

#: reimbursement ceilings, not income: never shared out between practices
NOT_SPLIT = frozenset({"arrs", "arrs_gp"})


def split_total(streams: Iterable[StreamFigure]) -> Decimal:
    """The PCN's income to share between its practices: every available stream paid to the
    PCN except the ARRS sums (ceilings on claims, not income); streams paid to each member
    practice directly (the Network Participation Payment) are not the PCN's to share."""
    return sum(
        (s.annual_amount for s in streams
         if s.available and s.paid_to == "PCN" and s.stream not in NOT_SPLIT),
        ZERO,
    )  # fmt: skip


@dataclass(frozen=True)
class Row:
    effect: str
    item: str
    baseline: Any
    scenario: Any
    difference: Any  # scenario - baseline for numbers; "changed" / "" otherwise

    def as_dict(self) -> dict[str, Any]:
        def text(v: Any) -> Any:
            return str(v) if isinstance(v, Decimal) else v

        return {
            "effect": self.effect,
            "item": self.item,
            "baseline": text(self.baseline),
            "scenario": text(self.scenario),
            "difference": text(self.difference),
        }


def differences(baseline: Effects, scenario: Effects) -> list[Row]:
    """Every figure of either side, baseline beside scenario, in a stable order."""
    return compare(baseline.values(), scenario.values())


def compare(a: dict[tuple[str, str], Any], b: dict[tuple[str, str], Any]) -> list[Row]:
    """Rows of two (effect, item) -> value maps, baseline ``a`` beside scenario ``b``."""
    keys = list(a) + [k for k in b if k not in a]
    rows = []
    for key in keys:
        x, y = a.get(key), b.get(key)
        if key[0] in COUNTED:  # a role no one holds on one side is 0 WTE there
            x, y = x if x is not None else Decimal(0), y if y is not None else Decimal(0)
        if isinstance(x, Decimal | int) and isinstance(y, Decimal | int):
            diff: Any = y - x
        elif x is None and y is None:
            diff = ""
        else:
            diff = "" if x == y else "changed"
        rows.append(Row(key[0], key[1], x, y, diff))
    return rows


@dataclass(frozen=True)
class Result:
    changes: tuple[Change, ...]
    baseline: Effects
    scenario: Effects
    rows: tuple[Row, ...]

    @property
    def changed_rows(self) -> list[Row]:
        return [r for r in self.rows if r.difference not in ("", 0)]

    def as_dict(self) -> dict[str, Any]:
        s = self.scenario
        return {
            "pcn_code": s.inputs.pcn_code,
            "as_at": s.inputs.as_at.isoformat(),
            "year": s.inputs.year,
            "changes": [c.as_dict() | {"describe": c.describe()} for c in self.changes],
            "rows": [r.as_dict() for r in self.rows],
            "notes": list(s.inputs.notes),
            "messages": {"baseline": list(self.baseline.messages), "scenario": list(s.messages)},
            "rota": None
            if s.rota is None or self.baseline.rota is None
            else {"baseline": self.baseline.rota.as_dict(), "scenario": s.rota.as_dict()},
            "issues": {
                "baseline": list(self.baseline.forecast.issues) if self.baseline.forecast else [],
                "scenario": list(s.forecast.issues) if s.forecast else [],
            },
        }


def run(
    inputs: Inputs,
    changes: Iterable[Change],
    rota_time_limit: float | None = None,
    progress: Callable[[str, float, int, float], None] | None = None,
) -> Result:
    """Baseline and scenario effects and their differences (ChangeError on a bad change);
    ``progress(side, seconds, objective, bound)`` while the two sample weeks solve."""
    changes = tuple(changes)
    changed = apply(inputs, changes)

    def side(name: str) -> Progress | None:
        return None if progress is None else lambda t, o, b: progress(name, t, o, b)

    base = effects(inputs, rota_time_limit, side("baseline"))
    scen = effects(changed, rota_time_limit, side("scenario"))
    return Result(changes, base, scen, tuple(differences(base, scen)))


__all__ = ["Effects", "Result", "Row", "differences", "effects", "run"]
