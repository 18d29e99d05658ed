"""Year-end ARRS forecast: what the PCN will spend and lose (headroom: :mod:`.headroom`).

::

    fc = forecast(rules, {"arrs": Decimal("1001131.73")}, posts, vacancies,
                  claimed={date(2024, 4, 1): Decimal("61000.00"), ...}, as_of=date(2024, 9, 15))
    fc.pots["arrs"].underspend, fc.pots["arrs"].alert, fc.headroom(date(2024, 11, 1))

- Months before the month of ``as_of`` count what was actually claimed (``claimed``).
- From that month to 31 March each post is projected with the claims engine
  (:func:`openpcn.finance.claims.claims_for_month`: pro-rated for starters and leavers,
  capped at the role maximum, role caps enforced); a post's pay is the usual full-month pay
  at its WTE (or full-time pay-scale amounts with ``basis="full_time"``).
- Vacancies are projected from their planned start: at the pay given; else, when their AfC band
  and pay point are known and a pay file is given (``pay_table``), at that point's pay plus
  employer NI and pension (:mod:`openpcn.finance.role_cost`, rates on the planned start or
  1 April); else at the role maximum.  ``Forecast.costing`` says which, vacancy by vacancy.
- GPs in 2024/25 are claimed from the separate GP sum (``arrs_gp``) when it is given.
- Underspend = sum - committed when positive: it is **lost** at 31 March (no carry-forward);
  overspend = committed - sum when positive: not reimbursed. ``alert`` when the projected
  underspend exceeds 5% of the sum.
- A post or vacancy that cannot be costed (e.g. the rules lack its role maximum) is listed in
  ``issues`` and left out: the forecast says it is incomplete rather than guessing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openpcn.finance.claims import (
    ClaimError,
    MonthlyPay,
    StaffContract,
    cap_rule,
    claim_month,
    claims_for_month,
    month_end,
    month_start,
    months_of_year,
)
from openpcn.finance.errors import FinanceError
from openpcn.finance.headroom import GP_POT, HeadroomRow, headroom, pot_for
from openpcn.finance.money import ZERO
from openpcn.finance.role_cost import RoleCostError, monthly_full_time_cost, role_cost
from openpcn.rules import RuleNotFound, RuleSet
from openpcn.rules.loader import RuleValue
from openpcn.rules.pay import PayTable

ALERT_PCT = Decimal(5)


@dataclass(frozen=True)
class Post:
    """A filled ARRS post: its contract and its usual monthly pay."""

    contract: StaffContract
    pay: MonthlyPay


@dataclass(frozen=True)
class Vacancy:
    vacancy_id: str
    role: str
    wte: Decimal
    planned_start: date
    end: date | None = None
    region: str = "national"
    pay: MonthlyPay | None = None  # None: costed from band and point, else the role maximum
    band: str | None = None  # AfC band, e.g. "5" or "8a"
    point: int | None = None  # pay point in the band (1 = entry)


@dataclass(frozen=True)
class PotForecast:
    pot: str  # "arrs" or "arrs_gp"
    sum: Decimal
    actual: Decimal  # claimed before the as-of month
    projected: Decimal  # from the as-of month to 31 March
    by_month: tuple[tuple[date, Decimal, str], ...]  # (month, amount, "actual"|"projected")

    @property
    def committed(self) -> Decimal:
        return self.actual + self.projected

    @property
    def underspend(self) -> Decimal:
        return max(self.sum - self.committed, ZERO)

    @property
    def overspend(self) -> Decimal:
        return max(self.committed - self.sum, ZERO)

    @property
    def underspend_pct(self) -> Decimal:
        if self.sum == 0:
            return Decimal(0)
        return (self.underspend * 100 / self.sum).quantize(Decimal("0.01"))

    @property
    def alert(self) -> bool:
        """Projected underspend above 5% of the sum: money that will be lost on 31 March."""
        return self.sum > 0 and self.underspend * 100 > self.sum * ALERT_PCT

    @property
    def remaining(self) -> Decimal:
        return self.sum - self.committed


@dataclass(frozen=True)
class Forecast:
    rules: RuleSet
    as_of: date
    pots: dict[str, PotForecast]
    wte_by_role: dict[str, Decimal]
    region: str
    list_size: int | None
    issues: tuple[str, ...] = field(default_factory=tuple)
    costing: tuple[str, ...] = field(default_factory=tuple)  # how each vacancy was costed
    #: the rule rows the projected claims applied (maxima, reimbursement %), first use first
    rules_used: tuple[RuleValue, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.issues

    @property
    def headroom_from(self) -> date:
        """The month the headroom starts: the as-of month, never before the year's first."""
        return month_start(max(self.as_of, self.rules.year.start))

    def headroom(self, from_month: date | None = None) -> list[HeadroomRow]:
        """What each role can still afford from ``from_month`` (default :attr:`headroom_from`)."""
        return headroom(
            self.rules,
            {p: f.remaining for p, f in self.pots.items()},
            from_month or self.headroom_from,
            region=self.region,
            wte_by_role=self.wte_by_role,
            list_size=self.list_size,
        )


#: a full-time monthly "pay" far above any role maximum: a vacancy without pay claims its cap
AT_ROLE_MAXIMUM = MonthlyPay(Decimal("1000000"), basis="full_time")


def _vacancy_post(v: Vacancy, rules: RuleSet, pay_table: PayTable | None) -> tuple[Post, str]:
    """The vacancy as a post, and a sentence saying how its pay was costed."""
    contract = StaffContract(v.vacancy_id, v.role, v.wte, v.planned_start, v.end, v.region)
    who = f"{v.vacancy_id} ({v.role})"
    if v.pay is not None:
        return Post(contract, v.pay), f"{who}: costed at the pay given"
    if v.point is None and v.band is None:
        return Post(
            contract, AT_ROLE_MAXIMUM
        ), f"{who}: costed at the role maximum (no band or pay point given)"
    if pay_table is None:
        return Post(contract, AT_ROLE_MAXIMUM), (
            f"{who}: costed at the role maximum (band {v.band} point {v.point} given, but there"
            f" is no pay file for {rules.year})"
        )
    start = min(max(v.planned_start, rules.year.start), rules.year.end)
    try:
        c = role_cost(
            rules,
            pay_table,
            v.role,
            band=v.band,
            point=v.point,
            region=v.region,
            start=start,
            months=1,
        )
    except (RoleCostError, RuleNotFound) as exc:
        return Post(contract, AT_ROLE_MAXIMUM), f"{who}: costed at the role maximum ({exc})"
    gross, ni, pension = monthly_full_time_cost(c)
    pay = MonthlyPay(gross, ni, pension, basis="full_time")
    return Post(contract, pay), (
        f"{who}: costed from {c.pay_description} ({pay_table.file}): £{pay.total:,} a month full"
        f" time with employer NI and pension, capped at the role maximum"
    )


def _check_claimed(claimed: Mapping[date, Decimal], rules: RuleSet, name: str) -> None:
    for month, amount in claimed.items():
        if not isinstance(month, date) or month.day != 1 or month not in rules.year:
            raise FinanceError(f"{name}: {month!r} is not the first day of a month in {rules.year}")
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
            raise FinanceError(f"{name} for {month:%b %Y} must be a Decimal of 0 or more")


def forecast(
    rules: RuleSet,
    sums: Mapping[str, Decimal],
    posts: Iterable[Post] = (),
    vacancies: Iterable[Vacancy] = (),
    *,
    claimed: Mapping[date, Decimal] | None = None,
    claimed_gp: Mapping[date, Decimal] | None = None,
    as_of: date | None = None,
    list_size: int | None = None,
    region: str = "national",
    convention: str = "months",
    pay_table: PayTable | None = None,
) -> Forecast:
    """Committed spend to 31 March and underspend/overspend per pot (see module doc)."""
    if "arrs" not in sums:
        raise FinanceError("sums must hold the ARRS sum under 'arrs'")
    unknown = sorted(set(sums) - {"arrs", GP_POT})
    if unknown:
        raise FinanceError(f"unknown pot(s) {', '.join(unknown)}: expected 'arrs' and 'arrs_gp'")
    for pot, value in sums.items():
        if not isinstance(value, Decimal) or value < 0:
            raise FinanceError(f"the {pot} sum must be a Decimal of 0 or more, not {value!r}")
    as_of = as_of or rules.year.start
    if as_of not in rules.year:
        raise FinanceError(f"as_of {as_of} is outside financial year {rules.year}")
    cut = month_start(as_of)
    all_posts = list(posts)
    costing = []
    for v in vacancies:
        post, how = _vacancy_post(v, rules, pay_table)
        all_posts.append(post)
        costing.append(how)
    ids = [p.contract.staff_id for p in all_posts]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise FinanceError(f"staff or vacancy ids listed twice: {', '.join(dupes)}")
    # usual monthly pay at the post's WTE -> full-time amounts, so part months pro-rate by days
    posts_ft = []
    for p in all_posts:
        pay = p.pay.checked(f"staff {p.contract.staff_id}")
        if pay.basis == "actual":
            w = p.contract.wte
            pay = MonthlyPay(
                pay.gross / w, pay.employer_ni / w, pay.employer_pension / w, "full_time"
            )
        posts_ft.append(Post(p.contract, pay))
    issues: list[str] = []
    usable: list[Post] = []
    for p in posts_ft:  # drop (and report) posts the claims engine cannot cost at all
        c = p.contract
        try:
            rules.role(c.role)
            on = max(c.start, rules.year.start, rules.role(c.role).available_from)
            if c.end is None or on <= c.end:
                cap_rule(rules, c.role, on, c.region)  # none published: capped by actual cost
            usable.append(p)
        except (RuleNotFound, ClaimError) as exc:
            issues.append(f"{c.staff_id} ({c.role}) left out: {exc}")
    claimed = claimed or {}
    claimed_gp = claimed_gp or {}
    _check_claimed(claimed, rules, "claimed")
    _check_claimed(claimed_gp, rules, "claimed_gp")
    by_pot: dict[str, list[tuple[date, Decimal, str]]] = {pot: [] for pot in sums}
    failed: dict[tuple[str, str], tuple[str, list[date]]] = {}
    used: dict[tuple[str, date], RuleValue] = {}
    for month in months_of_year(rules):
        if month < cut:
            by_pot["arrs"].append((month, Decimal(claimed.get(month, ZERO)), "actual"))
            if GP_POT in by_pot:
                by_pot[GP_POT].append((month, Decimal(claimed_gp.get(month, ZERO)), "actual"))
            continue
        active = [
            p
            for p in usable
            if p.contract.start <= month_end(month)
            and (p.contract.end is None or p.contract.end >= month)
            and rules.role(p.contract.role).available_from <= month_end(month)
        ]
        totals = {pot: ZERO for pot in sums}
        good = []
        for p in active:  # a post that cannot be claimed this month is reported, not guessed
            try:
                claim_month(p.contract, month, p.pay, rules, convention=convention)
                good.append(p)
            except ClaimError as exc:
                key = (p.contract.staff_id, p.contract.role)
                failed.setdefault(key, (_reason(exc), []))[1].append(month)
        # together, so the PCN's role caps apply across posts (ClaimError if a cap needs
        # list_size and none was given)
        lines = claims_for_month(
            [p.contract for p in good],
            {p.contract.staff_id: p.pay for p in good},
            month,
            rules,
            list_size=list_size,
            convention=convention,
        )
        for ln in lines:
            totals[pot_for(ln.role, sums)] += ln.claim
            for r in ln.rules:
                used.setdefault((r.key, r.applies_from), r)
        for pot, amount in totals.items():
            by_pot[pot].append((month, amount, "projected"))
    for (staff, role), (why, months) in failed.items():
        span = f"{months[0]:%b %Y}" + (f" to {months[-1]:%b %Y}" if len(months) > 1 else "")
        issues.append(f"{staff} ({role}) not costed for {span}: {why}")
    pots = {
        pot: PotForecast(
            pot=pot,
            sum=sums[pot],
            actual=sum((a for _, a, k in rows if k == "actual"), ZERO),
            projected=sum((a for _, a, k in rows if k == "projected"), ZERO),
            by_month=tuple(rows),
        )
        for pot, rows in by_pot.items()
    }
    wte: dict[str, Decimal] = {}
    for p in usable:
        c = p.contract
        if c.end is None or c.end >= max(as_of, rules.year.start):
            wte[c.role] = wte.get(c.role, Decimal(0)) + c.wte
    return Forecast(
        rules,
        as_of,
        pots,
        wte,
        region,
        list_size,
        tuple(issues),
        tuple(costing),
        rules_used=tuple(used.values()),
    )


def _reason(exc: Exception) -> str:
    """The message without its 'staff X (role), Mon YYYY: ' prefix."""
    text = str(exc)
    return text.split(": ", 1)[1] if text.startswith("staff ") and ": " in text else text


def with_sums_from(streams: Iterable, rules: RuleSet) -> dict[str, Decimal]:
    """{'arrs': ..., 'arrs_gp': ...} from a PCN's entitlements (StreamFigures); FinanceError
    when the ARRS sum is unavailable (e.g. no weighted population for the year)."""
    sums = {}
    for s in streams:
        if s.stream in ("arrs", GP_POT):
            if not s.available:
                raise FinanceError(f"{s.label} unavailable: {s.reason}")
            sums[s.stream] = s.annual_amount
    if "arrs" not in sums:
        raise FinanceError(f"no ARRS sum for {rules.year}")
    return sums


__all__ = [
    "Forecast",
    "Post",
    "PotForecast",
    "Vacancy",
    "forecast",
    "with_sums_from",
]
