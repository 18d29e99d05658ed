"""The engine inputs a scenario changes, and applying a list of changes to them (pure).

:class:`Inputs` is exactly what the domain engines are given for one PCN as at one date: the
finance forecast's posts and vacancies (:mod:`openpcn.finance.forecast`), the year's population
file rows and the practice -> PCN membership that groups them
(:mod:`openpcn.finance.populations`), the claims so far, the care home beds and the pay file.
The Django side builds it from the database the way ``data/finance/forecast.py`` does; a
scenario never touches the database: :func:`apply` returns new inputs.

Checks against the baseline (a :class:`ChangeError` names the change by its number and what it
does): a start or last day before the scenario's date; a member of staff, vacancy or practice
that is not there; a practice joining that is already a member or is not in the population
file; a role the year's rules do not fund.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from openpcn.finance.claims import ClaimError, MonthlyPay, StaffContract
from openpcn.finance.forecast import AT_ROLE_MAXIMUM, Post, Vacancy
from openpcn.finance.money import pennies
from openpcn.finance.populations import Populations, from_records
from openpcn.registry.membership import UNALIGNED
from openpcn.registry.records import DesPopulation
from openpcn.rota.pcn.register import RotaFacts
from openpcn.rules import RuleNotFound, RuleSet
from openpcn.rules.pay import PayTable
from openpcn.scenarios import changes as ch
from openpcn.scenarios.changes import Change, ChangeError
from openpcn.scenarios.rota import change_facts
from openpcn.services.carehome_money import aligned_bed_years
from openpcn.services.cqc import CareHome
from openpcn.workforce.coverage import RegisterRow


@dataclass(frozen=True)
class Inputs:
    """One PCN's engine inputs as at ``as_at`` (a day in ``rules.year``)."""

    pcn_code: str
    as_at: date
    rules: RuleSet  # the forecast's rules (national + the PCN's ICB overlay)
    posts: tuple[Post, ...]
    vacancies: tuple[Vacancy, ...]
    practices: tuple[DesPopulation, ...]  # the year's population file, every practice
    membership: Mapping[str, str]  # practice -> PCN ("U" = in no PCN) as at ``as_at``
    population_source: str
    population_as_of: date
    membership_source: str = ""
    carried_note: str = ""
    entitlement_rules: RuleSet | None = None  # default ``rules``
    claimed: Mapping[date, Decimal] = field(default_factory=dict)
    claimed_gp: Mapping[date, Decimal] = field(default_factory=dict)
    beds: int | Decimal | None = None  # care home bed-years for the premium (None = unknown)
    #: the homes aligned to the PCN in the year (and any a change names), with their alignment
    #: periods; None when no care home file is loaded: ``beds`` is then used as given
    care_homes: Mapping[str, CareHome] | None = None
    care_home_periods: Mapping[str, tuple[date, date | None]] = field(default_factory=dict)
    pay_table: PayTable | None = None
    split_basis: str = "registered"
    notes: tuple[str, ...] = ()
    #: rule sets a ``rules_variant`` change may choose, by ICB code ("" = national), loaded
    #: by the data side for the ICBs a scenario names
    rule_variants: Mapping[str, RuleSet] = field(default_factory=dict)
    #: the staff register as recorded (sessions by practice) and every practice's registered
    #: count as at ``as_at``: the coverage engine's inputs (empty register: no coverage)
    register: tuple[RegisterRow, ...] = ()
    practice_counts: Mapping[str, int] = field(default_factory=dict)
    #: another year's rules a ``rules_year`` change may choose, by year (loaded by the data side)
    year_rules: Mapping[str, RuleSet] = field(default_factory=dict)
    other_year: bool = False  # the entitlement rules are another year's (set by ``apply``)
    #: the rota facts of the sample week (``openpcn.scenarios.rota``); None: no rota effect
    rota: RotaFacts | None = None

    @property
    def year(self) -> str:
        return str(self.rules.year)

    def populations(self) -> Populations:
        """The year's populations grouped by this membership (the entitlements engine's input)."""
        pops = from_records(
            self.practices,
            self.population_source,
            self.population_as_of,
            self.year,
            membership=dict(self.membership),
            membership_source=self.membership_source,
        )
        return replace(pops, carried_note=self.carried_note) if self.carried_note else pops

    def bed_years(self) -> int | Decimal | None:
        """Beds in the aligned homes, pro rata by days aligned in the year (the services
        engine's rule); ``beds`` as given when no care home file is loaded."""
        if self.care_homes is None:
            return self.beds
        periods = self.care_home_periods
        homes = [self.care_homes[i] for i in periods]
        return aligned_bed_years(homes, periods, self.rules.year.start, self.rules.year.end)

    def members(self) -> list[str]:
        return sorted(p for p, pcn in self.membership.items() if pcn == self.pcn_code)


def _label(index: int, change: Change) -> str:
    return f"change {index} ({change.describe()})"


def _not_before(day: date, inputs: Inputs, label: str, what: str) -> None:
    if day < inputs.as_at:
        raise ChangeError(f"{label}: {what} {day} is before the scenario's date {inputs.as_at}")
    if day > inputs.rules.year.end:
        raise ChangeError(
            f"{label}: {what} {day} is after the end of {inputs.rules.year}"
            f" ({inputs.rules.year.end}); a scenario is about one financial year"
        )


def _funded(role: str, day: date, rules: RuleSet, label: str) -> None:
    try:
        row = rules.role(role)
    except RuleNotFound:
        funded = ", ".join(r.id for r in rules.roles)
        raise ChangeError(
            f"{label}: the {rules.year} rules do not fund the role {role!r} (they fund {funded})"
        ) from None
    if row.available_from > rules.year.end:
        raise ChangeError(f"{label}: the {rules.year} rules do not fund {role} in the year")


def _post(posts: list[Post], staff_id: str, label: str) -> int:
    for i, p in enumerate(posts):
        if p.contract.staff_id == staff_id:
            return i
    known = ", ".join(p.contract.staff_id for p in posts) or "none"
    raise ChangeError(f"{label}: {staff_id} is not on the PCN's staff register (staff: {known})")


def apply(inputs: Inputs, changes: Iterable[Change]) -> Inputs:
    """New inputs with every change made, in order (ChangeError naming the first bad one)."""
    posts = list(inputs.posts)
    vacancies = list(inputs.vacancies)
    membership = dict(inputs.membership)
    in_file = {r.practice_code for r in inputs.practices}
    notes = list(inputs.notes)
    register = list(inputs.register)
    periods = dict(inputs.care_home_periods)
    rules, entitlement_rules = inputs.rules, inputs.entitlement_rules
    rota, other_year = inputs.rota, inputs.other_year
    recruits = 0
    pending_base: list[tuple[str, str]] = []
    for i, change in enumerate(changes, 1):
        label = _label(i, change)
        if isinstance(change, ch.Recruit):
            _not_before(change.start, inputs, label, "the start")
            _funded(change.role, change.start, rules, label)
            recruits += 1
            staff_id = f"R{recruits:03d}"
            try:
                contract = StaffContract(
                    staff_id, change.role, change.wte, change.start, change.end, change.region
                )
            except ClaimError as exc:
                raise ChangeError(f"{label}: {exc}") from None
            if change.monthly_gross is None:
                pay = AT_ROLE_MAXIMUM
                notes.append(f"{staff_id} ({change.describe()}): no pay given, costed at the"
                             " role maximum")  # fmt: skip
            else:
                pay = MonthlyPay(
                    change.monthly_gross,
                    change.monthly_employer_ni or Decimal(0),
                    change.monthly_employer_pension or Decimal(0),
                )
            posts.append(Post(contract, pay))
            if change.base_site or change.sessions:  # else nowhere to count it in coverage
                register.append(
                    RegisterRow(staff_id, change.role, change.wte, change.start, change.end,
                                change.employment_model, change.employer or change.base_site
                                or change.sessions[0][0], change.base_site
                                or change.sessions[0][0], dict(change.sessions))
                )  # fmt: skip
            else:
                notes.append(f"{staff_id} ({change.describe()}): no base site or sessions given,"
                             " so not counted in the coverage of practices")  # fmt: skip
            for site, _ in change.sessions:
                pending_base.append((site, label))
            if change.base_site:
                pending_base.append((change.base_site, label))
        elif isinstance(change, ch.Leave):
            at = _post(posts, change.staff_id, label)
            _not_before(change.on, inputs, label, "the last day")
            c = posts[at].contract
            if change.on < c.start:
                raise ChangeError(f"{label}: {c.staff_id} starts {c.start}, after {change.on}")
            if c.end is not None and c.end <= change.on:
                raise ChangeError(f"{label}: {c.staff_id} has already left ({c.end})")
            posts[at] = replace(posts[at], contract=replace(c, end=change.on))
            register = [replace(r, end_date=change.on) if r.staff_id == c.staff_id else r
                        for r in register]  # fmt: skip
        elif isinstance(change, ch.ChangeWte):
            at = _post(posts, change.staff_id, label)
            _not_before(change.start, inputs, label, "the start")
            old = posts[at]
            c = old.contract
            if c.end is not None and c.end < change.start:
                raise ChangeError(f"{label}: {c.staff_id} has left by then ({c.end})")
            if change.wte == c.wte:
                raise ChangeError(f"{label}: {c.staff_id} already works {c.wte} WTE")
            pay = old.pay
            if pay.basis == "actual":  # usual pay at the post's WTE scales with it
                k = change.wte / c.wte
                pay = replace(
                    pay,
                    gross=pennies(pay.gross * k),
                    employer_ni=pennies(pay.employer_ni * k),
                    employer_pension=pennies(pay.employer_pension * k),
                )
            rows = [r for r in register if r.staff_id == c.staff_id]
            register = [r for r in register if r.staff_id != c.staff_id]
            if change.start <= c.start:  # not started yet: the post is simply at the new WTE
                posts[at] = Post(replace(c, wte=change.wte), pay)
                register += [replace(r, wte=change.wte) for r in rows]
            else:  # the post to the day before, then the same person at the new WTE
                new_id = f"{c.staff_id}@{change.start:%Y%m%d}"
                posts[at] = replace(old, contract=replace(c, end=change.start - timedelta(1)))
                posts.append(
                    Post(replace(c, staff_id=new_id, wte=change.wte, start=change.start), pay)
                )
                for r in rows:  # the same sessions, as adopting copies the record
                    register.append(replace(r, end_date=change.start - timedelta(1)))
                    register.append(replace(r, staff_id=new_id, wte=change.wte,
                                            start_date=change.start, end_date=c.end))  # fmt: skip
        elif isinstance(change, ch.VacancyUnfilled):
            found = [v for v in vacancies if v.vacancy_id == change.vacancy_id]
            if not found:
                known = ", ".join(v.vacancy_id for v in vacancies) or "none"
                raise ChangeError(
                    f"{label}: {change.vacancy_id} is not one of the PCN's vacancies"
                    f" (vacancies: {known})"
                )
            vacancies = [v for v in vacancies if v.vacancy_id != change.vacancy_id]
        elif isinstance(change, ch.PracticeLeaves):
            _not_before(change.start, inputs, label, "the start")
            if membership.get(change.practice) != inputs.pcn_code:
                members = ", ".join(sorted(p for p, c in membership.items()
                                           if c == inputs.pcn_code)) or "none"  # fmt: skip
                raise ChangeError(
                    f"{label}: {change.practice} is not a member practice of"
                    f" {inputs.pcn_code} (members: {members})"
                )
            membership[change.practice] = UNALIGNED
            notes.append(_membership_note(change, label))
        elif isinstance(change, ch.PracticeJoins):
            _not_before(change.start, inputs, label, "the start")
            if membership.get(change.practice) == inputs.pcn_code:
                raise ChangeError(
                    f"{label}: {change.practice} is already a member of {inputs.pcn_code}"
                )
            if change.practice not in in_file:
                raise ChangeError(
                    f"{label}: {change.practice} is not in the {inputs.year} population file"
                    f" ({inputs.population_source}), so its patients cannot be counted"
                )
            was = membership.get(change.practice, UNALIGNED)
            membership[change.practice] = inputs.pcn_code
            notes.append(
                _membership_note(change, label) + (f"; it leaves {was}" if was != UNALIGNED else "")
            )
        elif isinstance(change, ch.CareHomeAligned | ch.CareHomeUnaligned):
            starts = isinstance(change, ch.CareHomeAligned)
            day = change.start if starts else change.end
            _not_before(day, inputs, label, "the start" if starts else "the last day")
            if inputs.care_homes is None:
                raise ChangeError(f"{label}: no CQC care home file is loaded")
            if change.location_id not in inputs.care_homes:
                raise ChangeError(
                    f"{label}: {change.location_id} is not a CQC care home OpenPCN knows"
                )
            period = periods.get(change.location_id)
            on = period is not None and (period[1] is None or period[1] >= day)
            if isinstance(change, ch.CareHomeAligned):
                if on:
                    raise ChangeError(
                        f"{label}: {change.location_id} is already aligned to {inputs.pcn_code}"
                    )
                # a home aligned twice in a year counts from its first start (as the register)
                periods[change.location_id] = (period[0] if period else change.start, None)
            else:
                if not on or period[0] > day:
                    raise ChangeError(
                        f"{label}: {change.location_id} is not aligned to {inputs.pcn_code}"
                        f" on {day}"
                    )
                periods[change.location_id] = (period[0], day)
        elif isinstance(change, ch.Rooms):
            _not_before(change.start, inputs, label, "the start")
            if membership.get(change.practice) != inputs.pcn_code:
                raise ChangeError(f"{label}: {change.practice} is not a member practice of"
                                  f" {inputs.pcn_code}: its rooms are not the PCN's")  # fmt: skip
        elif isinstance(change, ch.RulesYear):
            chosen = inputs.year_rules.get(change.year)
            if change.year == inputs.year:
                raise ChangeError(f"{label}: {change.year} is the scenario's own year")
            if chosen is None:
                raise ChangeError(f"{label}: OpenPCN has no rules for {change.year}")
            entitlement_rules, other_year = chosen, True
            notes.append(f"{label}: every stream and the ARRS sum use the {change.year} rules on"
                         f" the {inputs.year} population file; the forecast keeps {inputs.year}'s"
                         " months, role maxima and pay")  # fmt: skip
        elif isinstance(change, ch.RulesVariant):
            chosen = inputs.rule_variants.get(change.icb)
            if chosen is None:
                raise ChangeError(
                    f"{label}: no {inputs.year} rules are available for"
                    f" {'ICB ' + change.icb if change.icb else 'England'}"
                )
            if chosen.year != inputs.rules.year:
                raise ChangeError(f"{label}: those rules are for {chosen.year}, not {inputs.year}")
            rules = entitlement_rules = chosen
            other_year = False
            notes.append(f"{label}: every figure uses these rules")
        else:  # pragma: no cover - every kind is handled above
            raise ChangeError(f"{label}: unknown kind {change.kind}")
        if rota is not None:
            rota = _rota_after(rota, change, inputs, f"R{recruits:03d}")
    for site, label in pending_base:
        if membership.get(site) != inputs.pcn_code:
            raise ChangeError(
                f"{label}: {site} (its base site or a practice it has sessions at) is not a"
                f" member practice of {inputs.pcn_code}"
            )
    return replace(
        inputs,
        rules=rules,
        entitlement_rules=entitlement_rules,
        posts=tuple(posts),
        vacancies=tuple(vacancies),
        care_home_periods=periods,
        register=tuple(register),
        rota=rota,
        other_year=other_year,
        membership=membership,
        membership_source=(inputs.membership_source + "; " if inputs.membership_source else "")
        + "changed by the scenario"
        if membership != dict(inputs.membership)
        else inputs.membership_source,
        notes=tuple(notes),
    )


def _rota_after(rota: RotaFacts, change: Change, inputs: Inputs, recruit_id: str) -> RotaFacts:
    """The sample week's rota facts after the change, with the ids the posts are given."""
    if isinstance(change, ch.ChangeWte):
        new_id = f"{change.staff_id}@{change.start:%Y%m%d}"
    else:
        new_id = recruit_id
    home = (inputs.care_homes or {}).get(getattr(change, "location_id", ""))
    return change_facts(rota, change, new_id, home.name if home else "")


def _membership_note(change: ch.PracticeJoins, label: str) -> str:
    return (
        f"{label}: figures that depend on membership (entitlements, the split, the size band,"
        f" list-size caps) show the PCN as it will be from {change.start}"
    )


__all__ = ["Inputs", "apply"]
