"""Seed a demo staff register and a year of ARRS claims for one PCN from its real NWRS roles.

::

    from openpcn.data.finance.demo import seed_demo
    summary = seed_demo("U12345")            # the current financial year
    summary = seed_demo("U12345", "2024-25")

- **Staff**: the PCN's ARRS FTE by role at the latest NWRS census (``workforce.NationalFte``,
  staff roles mapped with the workforce role map): one member of staff per whole FTE of a role
  and one more for the part left (if 0.05 FTE or more), started a year before the financial
  year so they are in post all year. Names are invented ("Demo clinical pharmacist 1"). Based
  at the member practices in turn; sessions spread evenly over the member practices (9
  sessions a week per WTE).
- **Pay** (ASSUMPTION, not from the shared rule files): Agenda for Change 2024/25 pay scale
  band mid-points, (bottom + top of the band) / 2, from NHS Employers' 2024/25 pay scales as
  published (not verified in this repository); for a role banded "7-8a" the lower band; roles
  without an AfC band (e.g. GP) are paid 75% of the role maximum. Employer National Insurance
  at 13.8% above £9,100 a year (2024/25) and employer pension at 14.38% of gross (the NHS
  Pension Scheme employer rate paid by the employer; the 6.3% top-up is paid centrally).
- **Claims**: every month of the year that has begun (all twelve for a past year; in the
  current year, April to this month), computed by :func:`claims.claims_for_month` (role caps
  enforced) for every member of staff: approved up to two months before the last month seeded,
  the one before submitted, the last a draft. A role whose maximum is not published for a
  period (``arrs_max_none_published`` rows) is claimed at its actual pay + on-costs, the claim's
  working saying why; a member the rules still cannot cost (e.g. a role not reimbursable that
  year) stays on the register without claims and is listed in the summary.

Idempotent: staff are found by (PCN, demo flag, name) and claims by (staff, month); a second
run adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import Max

from openpcn.core.fyear import FinancialYear
from openpcn.data.finance.ledger import LedgerError, compute
from openpcn.data.finance.models import Claim, ClaimEvent, StaffMember, StaffSession
from openpcn.data.finance.register import member_practices
from openpcn.data.registry.models import Organisation
from openpcn.data.workforce.models import NationalFte
from openpcn.finance.claim_status import Status
from openpcn.finance.claims import ClaimError, MonthlyPay, months_of_year
from openpcn.finance.errors import FinanceError
from openpcn.rules import RuleNotFound, load_year
from openpcn.workforce.role_map import NON_ARRS, UnmappedRoleError, load_role_map

#: ASSUMPTION: AfC 2024/25 band mid-points (£ a year), (bottom + top) / 2 of NHS Employers' scale
AFC_MIDPOINT = {
    "3": Decimal("24872.50"),
    "4": Decimal("27822.00"),
    "5": Decimal("33226.50"),
    "6": Decimal("41150.00"),
    "7": Decimal("49478.50"),
    "8a": Decimal("57129.50"),
    "8b": Decimal("67254.00"),
}
NI_RATE, NI_THRESHOLD = Decimal("0.138"), Decimal("9100")  # ASSUMPTION: 2024/25 employer NI
PENSION_RATE = Decimal("0.1438")  # ASSUMPTION: NHS Pension Scheme employer rate
NO_BAND_SHARE = Decimal("0.75")  # ASSUMPTION: roles without an AfC band: 75% of the maximum
SESSIONS_PER_WTE = Decimal(9)
#: ASSUMPTION: NWRS general practice nurses (role map ``practice_nurse``) are claimed as
#: experienced GPNs (band 6) in the years whose rules list that role (2025/26 on)
RULE_ROLE = {"practice_nurse": "gpn_experienced"}
CENT = Decimal("0.01")


@dataclass
class Summary:
    pcn_code: str
    year: str
    census: date | None
    staff_created: int = 0
    claims_created: int = 0
    roles: dict[str, Decimal] = field(default_factory=dict)
    not_claimed: list[str] = field(default_factory=list)
    #: roles claimed at their actual pay + on-costs for a month with no published maximum
    no_maximum: list[str] = field(default_factory=list)


def nwrs_roles(pcn_code: str) -> tuple[date | None, dict[str, Decimal]]:
    """(census, ARRS role -> FTE) for the PCN at the latest NWRS census."""
    census = NationalFte.objects.aggregate(d=Max("census_date"))["d"]
    if census is None:
        return None, {}
    rm = load_role_map()
    out: dict[str, Decimal] = {}
    for r in NationalFte.objects.filter(census_date=census, pcn_code=pcn_code):
        try:
            role = rm.arrs_role(r.staff_role, r.detailed_staff_role)
        except UnmappedRoleError:
            continue
        if role != NON_ARRS:
            out[role] = out.get(role, Decimal(0)) + r.fte
    return census, out


def posts(fte: Decimal) -> list[Decimal]:
    """WTE of each post: one per whole FTE, one for the part left when 0.05 or more."""
    whole = int(fte)
    part = (fte - whole).quantize(CENT, rounding=ROUND_DOWN)
    return [Decimal(1)] * whole + ([part] if part >= Decimal("0.05") else [])


def annual_salary(rules, role: str) -> Decimal:
    held = {r.id: r for r in rules.roles}.get(role)
    band = held.afc_band.split("-")[0].strip().lower() if held else ""
    if band in AFC_MIDPOINT:
        return AFC_MIDPOINT[band]
    try:
        cap = rules.max_reimbursement(role, rules.role(role).available_from)
        return (cap.value * NO_BAND_SHARE).quantize(CENT)
    except (RuleNotFound, ValueError):
        return AFC_MIDPOINT["5"]


def monthly_pay(salary: Decimal, wte: Decimal) -> MonthlyPay:
    annual = salary * wte
    gross = (annual / 12).quantize(CENT)
    ni = (max(annual - NI_THRESHOLD, Decimal(0)) * NI_RATE / 12).quantize(CENT)
    pension = (gross * PENSION_RATE).quantize(CENT)
    return MonthlyPay(gross, ni, pension)


def _sessions(wte: Decimal, practices: list[str], offset: int) -> dict[str, Decimal]:
    halves = int(wte * SESSIONS_PER_WTE * 2)
    out: dict[str, Decimal] = {}
    for i in range(halves):
        code = practices[(offset + i) % len(practices)]
        out[code] = out.get(code, Decimal(0)) + Decimal("0.5")
    return out


@transaction.atomic
def seed_demo(pcn_code: str, year: str | None = None, today: date | None = None) -> Summary:
    """Build (or complete) the demo register and claims for ``year`` (default: the current
    financial year, claimed up to this month); returns what was done."""
    today = today or date.today()
    year = year or str(FinancialYear.current(today))
    pcn_code = pcn_code.strip().upper()
    pcn = Organisation.objects.filter(code=pcn_code, kind="pcn").first()
    if pcn is None:
        raise FinanceError(f"there is no PCN with the code {pcn_code!r}")
    rules = load_year(year)
    census, roles = nwrs_roles(pcn_code)
    if not roles:
        raise FinanceError(
            f"the NWRS workforce file holds no ARRS roles for {pcn_code}: import it first"
        )
    practices = [c for c, _ in member_practices(pcn_code)]
    if not practices:
        raise FinanceError(f"{pcn_code} has no member practices on record")
    summary = Summary(pcn_code, year, census, roles=roles)
    rm = load_role_map()
    start = date(rules.year.start.year - 1, 4, 1)
    staff: list[tuple[StaffMember, MonthlyPay]] = []
    n = 0
    listed = {r.id for r in rules.roles}
    for role in sorted(roles):
        rule_role = RULE_ROLE.get(role, role) if RULE_ROLE.get(role) in listed else role
        salary = annual_salary(rules, rule_role)
        for i, wte in enumerate(posts(roles[role]), 1):
            name = f"Demo {rm.name(role).lower()} {i}"
            pay = monthly_pay(salary, wte)
            member, created = StaffMember.objects.get_or_create(
                pcn=pcn,
                demo=True,
                name=name,
                defaults={
                    "role": rule_role,
                    "wte": wte,
                    "start_date": start,
                    "employment_model": "lead_practice",
                    "employer_ods": practices[0],
                    "base_practice": practices[n % len(practices)],
                    "training_status": "not_applicable",
                    "monthly_gross": pay.gross,
                    "monthly_employer_ni": pay.employer_ni,
                    "monthly_employer_pension": pay.employer_pension,
                },
            )
            if created:
                summary.staff_created += 1
                StaffSession.objects.bulk_create(
                    StaffSession(staff=member, practice_code=c, sessions=s)
                    for c, s in _sessions(wte, practices, n).items()
                )
            staff.append((member, usual(member) or pay))
            n += 1
    months = [m for m in months_of_year(rules) if m <= today]  # no claims for months to come
    failed: dict[str, tuple[str, list[date]]] = {}
    for k, month in enumerate(months):
        status = (
            Status.draft
            if k == len(months) - 1
            else Status.submitted
            if k == len(months) - 2
            else Status.approved
        )
        costable = []  # each member alone first: one that cannot be costed is reported
        for member, pay in staff:
            try:
                compute(pcn_code, month, {member.pk: pay}, rules)
                costable.append((member, pay))
            except LedgerError as exc:
                failed.setdefault(member.name, (str(exc), []))[1].append(month)
        if not costable:
            continue
        lines = compute(pcn_code, month, {m.pk: p for m, p in costable}, rules)
        for member, pay in costable:
            ln = lines.get(member.pk)
            if ln is None or Claim.objects.filter(staff=member, month=month).exists():
                continue
            claim = Claim.objects.create(
                staff=member,
                month=month,
                gross_pay=pay.gross,
                employer_ni=pay.employer_ni,
                employer_pension=pay.employer_pension,
                claimed_amount=ln.claim,
                cap=ln.cap.quantize(CENT),
                capped=ln.capped,
                working=ln.figure.method,
                status=status.value,
                version={"draft": 0, "submitted": 1, "approved": 2}[status.value],
            )
            ClaimEvent.objects.create(
                claim=claim,
                action="demo seeded",
                to_status=status.value,
                version=claim.version,
                username="openpcn demo",
            )
            summary.claims_created += 1
            if ln.annual_max_per_wte is None and member.role not in summary.no_maximum:
                summary.no_maximum.append(member.role)
    for name, (why, bad) in failed.items():
        span = f"{bad[0]:%b %Y}" + (f" to {bad[-1]:%b %Y}" if len(bad) > 1 else "")
        summary.not_claimed.append(f"{name} not claimed for {span}: {why}")
    return summary


def usual(member: StaffMember) -> MonthlyPay | None:
    if member.monthly_gross is None:
        return None
    return MonthlyPay(
        member.monthly_gross,
        member.monthly_employer_ni or Decimal(0),
        member.monthly_employer_pension or Decimal(0),
    )


__all__ = ["ClaimError", "Summary", "seed_demo"]
