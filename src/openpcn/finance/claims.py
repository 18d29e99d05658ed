"""Monthly ARRS claims per staff member: pay + on-costs, pro-rated, reimbursed, capped.

::

    from openpcn.finance.claims import StaffContract, MonthlyPay, claim_month

    line = claim_month(contract, date(2024, 10, 1), pay, rules)

For one staff member and one calendar month:

1. **Days**: the days of the month the contract covers (start/end dates, and the role's
   ``available_from`` that year); a whole month is 1, a starter on the 16th of a 30-day month
   15/30.
2. **Cost**: gross pay + employer National Insurance + employer pension. ``basis="actual"``
   (default): the amounts paid for this month, used as they are. ``basis="full_time"``: the
   full-time, full-month amounts from the pay scale, pro-rated by WTE and by days.
3. **Reimbursable**: cost x the year's reimbursement percentage (70% for 2019/20 clinical
   pharmacists, otherwise 100%) x, for mental health practitioners, the PCN's share of the
   funding split (``arrs_mhp_split.pcn_pct``).
4. **Cap**: role maximum per WTE per year x claimable WTE x month fraction, where the month
   fraction is (convention ``"months"``, the default) 1/12 x days covered / days in the month,
   or (``"days"``) days covered / days in the year (365 or 366). The maximum is the one in force
   on the first day claimed (AfC uplifts start on the 1st of a month). London rates are used
   when the rule files hold them, else the national rate with a note. For mental health
   practitioners the cap is also x the PCN's share (``claim = min(cost x share, max x share x
   WTE)``, update note section 1.8). Where the rule files say no maximum is published for the
   role and period (``arrs_max_none_published``, see :mod:`openpcn.rules.maxima`) the cap is
   the reimbursable amount itself: the claim is actual salary plus employer on-costs, within
   the PCN's ARRS sum, and its notes say why.
5. **Claim**: the cap is rounded to pennies half up (it is the sum shown: 2,030.005 ->
   2,030.01), the reimbursable amount likewise, and the claim is the smaller of the two, so a
   claim held at its cap equals the cap shown, to the penny, and never exceeds it.

Role caps (WTE per PCN) are enforced across a PCN's claims for a month by
:func:`claims_for_month`: staff are counted in order of start date (then staff id); the first
to exceed the cap is claimed for the WTE still under it, later ones for none, each with a note.
In 2023/24 advanced clinical practitioner nurses count within the advanced practitioner cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from openpcn.core.figures import Figure, RuleRef
from openpcn.core.months import days_in_year, month_end, month_start, months_of
from openpcn.finance.errors import FinanceError
from openpcn.finance.money import ZERO, pennies, to_money
from openpcn.rules import RuleNotFound, RuleSet, RuleValue
from openpcn.rules.keys import REGIONS
from openpcn.rules.maxima import NonePublished, maximum

CONVENTIONS = ("months", "days")
PAY_BASES = ("actual", "full_time")
#: roles that share another role's cap, by year: {year: {role: cap role}}
SHARED_CAPS = {"2023-24": {"advanced_clinical_practitioner_nurse": "advanced_practitioner"}}


class ClaimError(FinanceError):
    """A claim that cannot be made: the message names the staff member, field and value."""


class NoMaximumPublished(ClaimError):
    """The role has no published maximum on the day (claims are capped by the actual cost)."""

    def __init__(self, gap: NonePublished) -> None:
        super().__init__(gap.explanation())
        self.gap = gap


@dataclass(frozen=True)
class StaffContract:
    """An ARRS-funded post: who, which role, how much of a full-time post, from when to when."""

    staff_id: str
    role: str
    wte: Decimal
    start: date
    end: date | None = None
    region: str = "national"  # national, london_inner, london_outer

    def __post_init__(self) -> None:
        where = f"staff {self.staff_id}"
        if not str(self.staff_id).strip():
            raise ClaimError("staff_id is blank")
        if isinstance(self.wte, bool) or not isinstance(self.wte, Decimal | int | str):
            raise ClaimError(f"{where}: wte must be a decimal number, not {self.wte!r}")
        try:
            wte = Decimal(str(self.wte).strip())
        except Exception:
            raise ClaimError(f"{where}: wte is not a number: {self.wte!r}") from None
        if not wte.is_finite() or wte <= 0 or wte > 1:
            raise ClaimError(f"{where}: wte must be more than 0 and at most 1, not {self.wte}")
        object.__setattr__(self, "wte", wte)
        if not isinstance(self.start, date):
            raise ClaimError(f"{where}: start must be a date, not {self.start!r}")
        if self.end is not None:
            if not isinstance(self.end, date):
                raise ClaimError(f"{where}: end must be a date, not {self.end!r}")
            if self.end < self.start:
                raise ClaimError(f"{where}: end {self.end} is before start {self.start}")
        if self.region not in REGIONS:
            raise ClaimError(f"{where}: region must be one of {REGIONS}, not {self.region!r}")


@dataclass(frozen=True)
class MonthlyPay:
    """Pay for one month: gross, employer NI, employer pension (text like '2,345.67' accepted)."""

    gross: Decimal
    employer_ni: Decimal = ZERO
    employer_pension: Decimal = ZERO
    basis: str = "actual"  # or "full_time": full-time full-month amounts, pro-rated

    def checked(self, where: str) -> MonthlyPay:
        if self.basis not in PAY_BASES:
            raise ClaimError(f"{where}: pay basis must be one of {PAY_BASES}, not {self.basis!r}")
        values = {}
        for name in ("gross", "employer_ni", "employer_pension"):
            try:
                value = to_money(getattr(self, name), name, where)
            except ValueError as exc:
                raise ClaimError(str(exc)) from None
            if value < 0:
                raise ClaimError(f"{where}: {name} is negative ({value})")
            values[name] = value
        return replace(self, **values)

    @property
    def total(self) -> Decimal:
        return self.gross + self.employer_ni + self.employer_pension


@dataclass(frozen=True)
class ClaimLine:
    """One staff member's claim for one month, with every step of the working."""

    staff_id: str
    role: str
    month: date  # first day of the month
    wte: Decimal
    claimable_wte: Decimal
    days_claimed: int
    days_in_month: int
    cost: Decimal  # pay + on-costs for the days claimed, before reimbursement %
    reimbursement_pct: Decimal
    mhp_pcn_pct: Decimal | None
    reimbursable: Decimal  # exact
    annual_max_per_wte: Decimal | None  # None: no maximum published (cap = reimbursable)
    cap: Decimal  # pennies, half up
    claim: Decimal  # pennies
    capped: bool
    convention: str
    rules: tuple[RuleValue, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def figure(self) -> Figure:
        share = f" x MHP PCN share {self.mhp_pcn_pct}%" if self.mhp_pcn_pct is not None else ""
        if self.annual_max_per_wte is None:
            cap = (
                "no maximum published for the role and period, so the cap is the actual pay"
                f" + on-costs (within the ARRS sum) = £{self.cap:,.2f}"
            )
        else:
            cap = (
                f"cap £{self.annual_max_per_wte:,} per WTE per year"
                + (share if share else "")
                + f" x {self.claimable_wte} WTE x {self._fraction_text()} = £{self.cap:,.2f}"
            )
        method = (
            f"pay + on-costs £{self.cost:,.2f} x {self.reimbursement_pct}%"
            + share
            + f" = £{self.reimbursable:,.2f}; {cap};"
            f" claim the smaller, rounded to pennies = £{self.claim:,.2f}"
        )
        for r in self.rules:  # an S, D or carried maximum says so wherever it is used
            if r.key.startswith("arrs_max_reimbursement.") and not r.verified:
                why = r.caveat or (r.derivation and f"derived: {r.derivation}") or "not verified"
                code = f"confidence {r.confidence}; " if r.confidence else ""
                method += f"; the maximum £{r.value:,} is unverified ({code}{why})"
        refs: tuple[RuleRef, ...] = tuple(r.as_rule_ref() for r in self.rules)
        return Figure(
            label=f"ARRS claim {self.staff_id} {self.month:%b %Y}",
            value=self.claim,
            unit="GBP",
            method=method,
            rules=refs,
        )

    def _fraction_text(self) -> str:
        if self.convention == "months":
            return f"1/12 x {self.days_claimed}/{self.days_in_month} days"
        return f"{self.days_claimed}/{days_in_year(self.month)} days"


def _rule(rules: RuleSet, where: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except RuleNotFound as exc:
        raise ClaimError(f"{where}: {exc}") from None


def cap_rule(
    rules: RuleSet, role: str, on: date, region: str
) -> tuple[RuleValue | NonePublished, str]:
    """The role maximum on ``on`` (or the none-published row) and a note when a London claim
    falls back to the national figure; ClaimError when the rule files hold neither."""
    try:
        found = maximum(rules, role, on, region)
    except RuleNotFound as exc:
        raise ClaimError(f"{exc} (see docs/reference/rules.md, gaps)") from None
    note = ""
    if region != "national" and isinstance(found, RuleValue) and not found.key.endswith(region):
        note = f"no {region} maximum held for {role}; national maximum used"
    return found, note


def max_per_wte(rules: RuleSet, role: str, on: date, region: str) -> tuple[RuleValue, str]:
    """The role maximum (£ per WTE per year) on ``on``; NoMaximumPublished when the rules say
    none is published, ClaimError when they lack the row altogether."""
    found, note = cap_rule(rules, role, on, region)
    if isinstance(found, NonePublished):
        raise NoMaximumPublished(found)
    return found, note


def claim_month(
    contract: StaffContract,
    month: date,
    pay: MonthlyPay,
    rules: RuleSet,
    *,
    convention: str = "months",
    claimable_wte: Decimal | None = None,
) -> ClaimLine:
    """The claim for one staff member for the month containing ``month``."""
    where = f"staff {contract.staff_id} ({contract.role}), {month:%b %Y}"
    if convention not in CONVENTIONS:
        raise ClaimError(f"convention must be one of {CONVENTIONS}, not {convention!r}")
    first, last = month_start(month), month_end(month)
    if first not in rules.year:
        raise ClaimError(f"{where}: month is outside financial year {rules.year}")
    pay = pay.checked(where)
    role = _rule(rules, where, rules.role, contract.role)
    from_day = max(first, contract.start, role.available_from)
    to_day = min(last, contract.end or last)
    if role.available_from > last:
        raise ClaimError(
            f"{where}: role '{contract.role}' is reimbursable in {rules.year} only from"
            f" {role.available_from}"
        )
    if from_day > to_day:
        raise ClaimError(
            f"{where}: the contract ({contract.start} to {contract.end or 'open'}) does not"
            " cover any day of this month"
        )
    days = (to_day - from_day).days + 1
    dim = last.day
    wte = contract.wte
    cwte = wte if claimable_wte is None else min(wte, claimable_wte)
    pct_row = _rule(rules, where, rules.reimbursement_pct, contract.role, from_day)
    found, note = cap_rule(rules, contract.role, from_day, contract.region)
    none = found if isinstance(found, NonePublished) else None
    max_row = found.row if isinstance(found, NonePublished) else found
    used = [pct_row, max_row]
    notes = [note] if note else []
    if none is not None:
        notes.append(none.explanation())
    full_time = pay.basis == "full_time"
    cost = pay.total * wte * Decimal(days) / dim if full_time else pay.total
    share = cost * (cwte / wte)  # WTE held back by a role cap is not claimable
    if cwte < wte:
        notes.append(f"claimable WTE limited to {cwte} of {wte} by the PCN role cap")
    reimbursable = share * pct_row.value / 100
    mhp = None
    if contract.role == "mental_health_practitioner":
        mhp_row = _rule(rules, where, rules.value, "arrs_mhp_split.pcn_pct", from_day)
        used.append(mhp_row)
        mhp = mhp_row.value
        reimbursable = reimbursable * mhp / 100
    scale = Decimal(1) if mhp is None else mhp / 100  # the MHP cap is x the PCN share too
    if none is not None:
        cap = reimbursable  # no maximum published: capped by the actual cost
    elif convention == "months":
        cap = max_row.value * scale * cwte * Decimal(days) / (12 * dim)
    else:
        cap = max_row.value * scale * cwte * Decimal(days) / days_in_year(first)
    cap = pennies(cap)  # the cap is a sum of money: to the penny first, as shown
    claim = min(pennies(reimbursable), cap)
    return ClaimLine(
        staff_id=contract.staff_id,
        role=contract.role,
        month=first,
        wte=wte,
        claimable_wte=cwte,
        days_claimed=days,
        days_in_month=dim,
        cost=cost,
        reimbursement_pct=pct_row.value,
        mhp_pcn_pct=mhp,
        reimbursable=reimbursable,
        annual_max_per_wte=None if none is not None else max_row.value,
        cap=cap,
        claim=claim,
        capped=none is None and reimbursable > cap,
        convention=convention,
        rules=tuple(used),
        notes=tuple(notes),
    )


def cap_group(rules: RuleSet, role: str) -> str:
    """The role whose cap ``role`` counts against (itself unless shared that year)."""
    return SHARED_CAPS.get(str(rules.year), {}).get(role, role)


def claimable_wtes(
    contracts: Iterable[StaffContract],
    month: date,
    rules: RuleSet,
    list_size: int | None = None,
) -> dict[str, Decimal]:
    """Staff id -> WTE claimable this month after the PCN's role caps."""
    first, last = month_start(month), month_end(month)
    active = [c for c in contracts if c.start <= last and (c.end is None or c.end >= first)]
    active.sort(key=lambda c: (c.start, c.staff_id))
    used: dict[str, Decimal] = {}
    result: dict[str, Decimal] = {}
    for c in active:
        group = cap_group(rules, c.role)
        try:
            rules.role(c.role)
            on = max(first, rules.role(group).available_from)
            cap_row = rules.role_cap(group, on, list_size=list_size) if on <= last else None
        except RuleNotFound:
            cap_row = None  # the claim itself reports the role as not reimbursable
        except ValueError as exc:
            raise ClaimError(f"staff {c.staff_id} ({c.role}): {exc}; pass list_size") from None
        if cap_row is None:
            result[c.staff_id] = c.wte
            continue
        left = max(cap_row.value - used.get(group, Decimal(0)), Decimal(0))
        result[c.staff_id] = min(c.wte, left)
        used[group] = used.get(group, Decimal(0)) + result[c.staff_id]
    return result


def claims_for_month(
    contracts: Iterable[StaffContract],
    pays: Mapping[str, MonthlyPay],
    month: date,
    rules: RuleSet,
    *,
    list_size: int | None = None,
    convention: str = "months",
) -> list[ClaimLine]:
    """A PCN's claims for one month, role caps enforced across them (staff id order)."""
    contracts = list(contracts)
    ids = [c.staff_id for c in contracts]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ClaimError(f"staff listed twice: {', '.join(dupes)}")
    wtes = claimable_wtes(contracts, month, rules, list_size)
    lines = []
    for c in sorted(contracts, key=lambda c: c.staff_id):
        if c.staff_id not in wtes:
            continue  # not employed this month
        if c.staff_id not in pays:
            raise ClaimError(f"staff {c.staff_id}: no pay given for {month:%b %Y}")
        lines.append(
            claim_month(
                c,
                month,
                pays[c.staff_id],
                rules,
                convention=convention,
                claimable_wte=wtes[c.staff_id],
            )
        )
    return lines


def months_of_year(rules: RuleSet) -> list[date]:
    """The first days of the months of the rules' financial year."""
    return months_of(rules.year)
