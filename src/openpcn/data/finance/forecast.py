"""Forecast, headroom and the ICB overview from the register and ledger (Django side)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openpcn.core.fyear import FinancialYear
from openpcn.data.finance import claimed as ledger_claimed
from openpcn.data.finance import entitlements as entitlements_db
from openpcn.data.finance.ledger import contract, list_size, usual_pay
from openpcn.data.finance.models import StaffMember, Vacancy
from openpcn.finance.claim_status import Status
from openpcn.finance.claims import ClaimError
from openpcn.finance.errors import FinanceError
from openpcn.finance.forecast import AT_ROLE_MAXIMUM, Forecast, Post, with_sums_from
from openpcn.finance.forecast import Vacancy as PlannedPost
from openpcn.finance.forecast import forecast as make_forecast
from openpcn.rules import RuleNotFound, RuleSet, load_all, load_year
from openpcn.rules.loader import RuleFileError
from openpcn.rules.pay import PayNotFound, PayTable, load_pay


@dataclass
class Result:
    forecast: Forecast | None
    message: str = ""
    notes: tuple[str, ...] = ()
    #: the explained entitlement figure behind each pot's sum ("arrs", "arrs_gp")
    sum_figures: dict = field(default_factory=dict)


def years() -> list[str]:
    return list(load_all())


def default_year(today: date | None = None) -> str:
    """The financial year today's date falls in (pages without a year show it); never a
    constant. A year OpenPCN has no rules for is still the default: the page then says which
    rule file is missing."""
    return str(FinancialYear.current(today))


def clamp(day: date, rules: RuleSet) -> date:
    return min(max(day, rules.year.start), rules.year.end)


def claimed(pcn_code: str, rules: RuleSet) -> tuple[dict, dict]:
    """(ARRS claimed by month, GP claimed by month) in the year (:func:`claimed.claimed`)."""
    return ledger_claimed.claimed(pcn_code, rules.year.start, rules.year.end)


def register_inputs(
    pcn_code: str, rules: RuleSet
) -> tuple[list[Post], list[PlannedPost], PayTable | None, list[str]]:
    """(posts, vacancies, pay file or None, notes): the forecast engine's inputs from the PCN's
    staff register and vacancies in the year (what :func:`pcn_forecast` and a what-if scenario
    both hand the engine)."""
    notes: list[str] = []
    posts = []
    staff = StaffMember.objects.filter(pcn__code=pcn_code, start_date__lte=rules.year.end).exclude(
        end_date__lt=rules.year.start
    )
    for s in staff:
        pay = usual_pay(s)
        if pay is None:
            notes.append(f"{s.staff_id} has no usual monthly pay: costed at the role maximum")
            pay = AT_ROLE_MAXIMUM
        try:
            posts.append(Post(contract(s), pay))
        except ClaimError as exc:
            notes.append(f"{s.staff_id} left out: {exc}")
    vacancies = [
        PlannedPost(
            v.vacancy_id,
            v.role,
            v.wte,
            v.planned_start,
            band=v.afc_band or None,
            point=v.pay_point,
        )
        for v in Vacancy.objects.filter(pcn__code=pcn_code, planned_start__lte=rules.year.end)
    ]
    try:
        pay_table = load_pay(rules.year)
    except (PayNotFound, RuleFileError) as exc:
        pay_table = None
        if any(v.band or v.point for v in vacancies):
            notes.append(f"vacancies costed at the role maximum: {exc}")
    return posts, vacancies, pay_table, notes


def _sums(pcn_code: str, year: str, as_of: date | None):
    """(rules, month, streams, sums) of the PCN's year as at ``as_of``, or a Result saying
    why its ARRS sum is not known."""
    from openpcn.data.rules.overlays import rules_for_pcn

    try:
        rules = rules_for_pcn(pcn_code, year)  # national + the overlay of the PCN's ICB
    except (RuleNotFound, ValueError) as exc:  # an OverlayError is a ValueError
        return Result(None, f"No ARRS rules for {year}: {exc}")
    month = clamp(as_of or date.today(), rules)
    streams, pops = entitlements_db.pcn_entitlements(pcn_code, year, on=month)
    if streams is None:
        return Result(None, f"The ARRS sum is not known: {pops}")
    try:
        sums = with_sums_from(streams, rules)
    except FinanceError as exc:
        return Result(None, f"The ARRS sum is not known: {exc}")
    return rules, month, streams, sums


def forecastable(pcn_code: str, as_of: date | None = None) -> dict[str, str]:
    """Every year OpenPCN has rules for -> "" when the PCN's ARRS sum for it is known (its
    forecast can be made), else why not (no population file, no weighted population...)."""
    out = {}
    for year in years():
        found = _sums(pcn_code, year, as_of)
        out[year] = found.message if isinstance(found, Result) else ""
    return out


def pcn_forecast(pcn_code: str, year: str, as_of: date | None = None) -> Result:
    found = _sums(pcn_code, year, as_of)
    if isinstance(found, Result):
        return found
    rules, month, streams, sums = found
    posts, vacancies, pay_table, notes = register_inputs(pcn_code, rules)
    arrs, gp = claimed(pcn_code, rules)
    try:
        result = make_forecast(
            rules,
            sums,
            posts,
            vacancies,
            claimed=arrs,
            claimed_gp=gp if "arrs_gp" in sums else None,
            as_of=month,
            list_size=list_size(pcn_code, rules, month),
            pay_table=pay_table,
        )
    except (FinanceError, ClaimError) as exc:
        return Result(None, f"The forecast cannot be made: {exc}")
    figures = {s.stream: s.figure for s in streams if s.stream in sums}
    return Result(result, "", tuple(notes) + result.costing, figures)


def chart(result: Forecast, claimed_arrs: dict) -> tuple[dict, list[list[str]]]:
    """Vega-Lite spec and table: ARRS sum vs committed (cumulative) vs claimed by month."""
    pot = result.pots["arrs"]
    values, rows = [], []
    committed = claimed_total = Decimal(0)
    for month, amount, kind in pot.by_month:
        committed += amount
        claimed_total += claimed_arrs.get(month, Decimal(0))
        m = f"{month:%Y-%m}"
        values += [
            {"month": m, "series": "ARRS sum", "amount": float(pot.sum)},
            {"month": m, "series": "Committed (cumulative)", "amount": float(committed)},
            {"month": m, "series": "Claimed (cumulative)", "amount": float(claimed_total)},
        ]
        rows.append(
            [m, kind, f"£{amount:,.2f}", f"£{committed:,.2f}", f"£{claimed_total:,.2f}",
             f"£{pot.sum:,.2f}"]
        )  # fmt: skip
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 260,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": "Month"},
            "y": {"field": "amount", "type": "quantitative", "title": "£"},
            "color": {
                "field": "series",
                "type": "nominal",
                "scale": {
                    "domain": ["ARRS sum", "Committed (cumulative)", "Claimed (cumulative)"],
                    "range": ["#d5281b", "#005eb8", "#007f3b"],
                },
            },
            "strokeDash": {"field": "series", "type": "nominal", "legend": None},
            "tooltip": [{"field": "month"}, {"field": "series"}, {"field": "amount"}],
        },
    }
    return spec, rows


CHART_COLUMNS = [
    "Month", "Actual or projected", "ARRS spend this month", "Committed (cumulative)",
    "Claimed (cumulative)", "ARRS sum",
]  # fmt: skip


@dataclass
class IcbRow:
    code: str
    name: str
    arrs_sum: Decimal | None
    claimed: Decimal
    underspend: Decimal | None
    underspend_pct: Decimal | None
    alert: bool
    note: str
    sum_figure: object = None  # the ARRS sum's explained entitlement figure


def icb_rows(icb_code: str, year: str, on: date | None = None) -> list[IcbRow]:
    from openpcn.data.registry.models import Organisation
    from openpcn.data.registry.national import national_view
    from openpcn.data.rules.overlays import rules_for_icb

    on = on or date.today()
    codes = sorted(r.code for r in national_view(on).rows if r.icb_code == icb_code)
    pcns = Organisation.objects.filter(code__in=codes, kind="pcn").order_by("name")
    rules = load_year(year)
    try:  # the ICB's own rules (national + its overlay), once for all of its PCNs
        icb_rules = rules_for_icb(icb_code, year)
    except ValueError:  # an overlay that does not validate: each row says so, as before
        icb_rules = None
    out = []
    with_register = set(
        StaffMember.objects.filter(pcn__code__in=codes).values_list("pcn__code", flat=True)
    )
    totals = ledger_claimed.claimed_totals(codes, rules.year.start, rules.year.end)
    for org in pcns:
        total = totals[org.code]
        streams, why = entitlements_db.pcn_entitlements(
            org.code, year, beds=0, on=clamp(on, rules), rules=icb_rules
        )
        arrs_sum, note, figure = None, "", None
        if streams is None:
            note = why
        else:
            s = next((s for s in streams if s.stream == "arrs"), None)
            if s is not None and s.available:
                arrs_sum, figure = s.annual_amount, s.figure
            else:
                note = s.reason if s is not None else "no ARRS stream"
        under = pct = None
        alert = False
        if org.code in with_register and arrs_sum is not None:
            res = pcn_forecast(org.code, year, on)
            if res.forecast is not None:
                pot = res.forecast.pots["arrs"]
                under, pct, alert = pot.underspend, pot.underspend_pct, pot.alert
            else:
                note = res.message
        elif org.code not in with_register:
            note = note or "no staff register in OpenPCN"
        out.append(IcbRow(org.code, org.name, arrs_sum, total, under, pct, alert, note, figure))
    return out


__all__ = [
    "Result",
    "Status",
    "chart",
    "forecastable",
    "icb_rows",
    "pcn_forecast",
    "register_inputs",
]
