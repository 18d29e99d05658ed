"""Finance API: a PCN's entitlements per stream with their explained figures (scoped)."""

from ninja import Router
from ninja.errors import HttpError

from openpcn.data.finance import entitlements as entitlements_db
from openpcn.rules.current import chosen_year
from openpcn.rules.loader import RuleNotFound
from openpcn.web.finance.roles import FINANCE_ROLES
from openpcn.web.platform.access import PUBLIC, in_scope
from openpcn.web.platform.api import api_access

router = Router(tags=["finance"])


def _year(text: str | None) -> str:
    """The year asked for, else the financial year today falls in; 404 naming the missing
    rule file, 422 for text that is not a year."""
    try:
        return chosen_year(text)
    except RuleNotFound as exc:
        raise HttpError(404, str(exc)) from None
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None


@router.get(
    "/entitlements/{code}",
    summary="Every payment stream for a PCN and year, with "
    "population, rate, source and verified flag",
)
@api_access(in_scope("code", "pcn", roles=FINANCE_ROLES))
def pcn_entitlements(request, code: str, year: str | None = None):
    year = _year(year)
    streams, pops = entitlements_db.pcn_entitlements(code.upper(), year)
    if streams is None:
        raise HttpError(404, pops)
    return [{**s.as_row(), "figure": s.figure.as_dict()} for s in streams]


@router.get(
    "/role-cost",
    summary="The cost of a post (salary, London supplement, employer NI and pension) against "
    "the role's ARRS maximum, each line with its pay-file row and source (public)",
)
@api_access(PUBLIC)
def role_cost(
    request,
    role: str,
    year: str = "",
    on: str = "",
    band: str = "",
    point: str = "",
    salary: str = "",
    wte: str = "",
    region: str = "national",
    months: str = "",
):
    from openpcn.web.finance.role_cost_page import calculate

    calc = calculate(
        {
            "role": role,
            "year": year,
            "on": on,
            "band": band,
            "point": point,
            "salary": salary,
            "wte": wte,
            "region": region,
            "months": months,
        }
    )
    if calc.result is None:
        raise HttpError(422, calc.problem or "choose a role")
    return calc.result.as_dict()


@router.get("/register/{code}", summary="A PCN's ARRS staff register and vacancies")
@api_access(in_scope("code", "pcn", roles=FINANCE_ROLES))
def pcn_register(request, code: str):
    from openpcn.data.finance.models import StaffMember, Vacancy
    from openpcn.data.finance.register import as_row

    code = code.upper()
    staff = StaffMember.objects.filter(pcn__code=code).prefetch_related("sessions")
    return {
        "pcn_code": code,
        "staff": [as_row(s) for s in staff],
        "vacancies": [
            {
                "vacancy_id": v.vacancy_id,
                "role": v.role,
                "wte": str(v.wte),
                "planned_start": v.planned_start.isoformat(),
            }
            for v in Vacancy.objects.filter(pcn__code=code)
        ],
    }


@router.get("/claims/{code}", summary="A PCN's ARRS claims for a month (YYYY-MM)")
@api_access(in_scope("code", "pcn", roles=FINANCE_ROLES))
def pcn_claims(request, code: str, month: str):
    from openpcn.data.finance import ledger as ledger

    first = ledger.parse_month(month)
    if first is None:
        raise HttpError(422, f"month {month[:20]!r} is not YYYY-MM")
    rows = ledger.month_rows(code.upper(), first)
    return [
        {
            "staff_id": r.staff.staff_id,
            "role": r.staff.role,
            "wte": str(r.staff.wte),
            "month": f"{first:%Y-%m}",
            "claim": None
            if r.claim is None
            else {
                "id": r.claim.pk,
                "gross_pay": str(r.claim.gross_pay),
                "employer_ni": str(r.claim.employer_ni),
                "employer_pension": str(r.claim.employer_pension),
                "claimed_amount": str(r.claim.claimed_amount),
                "cap": str(r.claim.cap),
                "capped": r.claim.capped,
                "status": r.claim.status,
                "version": r.claim.version,
                "reason": r.claim.reason,
                "working": r.claim.working,
            },
        }
        for r in rows
    ]


@router.get("/forecast/{code}", summary="A PCN's ARRS year-end forecast, alert and headroom")
@api_access(in_scope("code", "pcn", roles=FINANCE_ROLES))
def pcn_forecast(request, code: str, year: str | None = None, as_of: str | None = None):
    from datetime import date

    from openpcn.data.finance import forecast as pf

    when = None
    if as_of:
        try:
            when = date.fromisoformat(as_of)
        except ValueError:
            raise HttpError(422, f"as_of {as_of[:20]!r} is not a date (YYYY-MM-DD)") from None
    year = _year(year)
    result = pf.pcn_forecast(code.upper(), year, when)
    if result.forecast is None:
        can = [y for y, why in pf.forecastable(code.upper(), when).items() if not why]
        years = ", ".join(can) if can else "none (no year has both rules and an ARRS sum)"
        raise HttpError(422, f"{result.message} Years that can be forecast: {years}.")
    fc = result.forecast
    return {
        "pcn_code": code.upper(),
        "year": year,
        "as_of": fc.as_of.isoformat(),
        "complete": fc.complete,
        "issues": list(fc.issues) + list(result.notes),
        "pots": {
            name: {
                "sum": str(p.sum),
                "actual": str(p.actual),
                "projected": str(p.projected),
                "committed": str(p.committed),
                "underspend": str(p.underspend),
                "overspend": str(p.overspend),
                "underspend_pct": str(p.underspend_pct),
                "alert": p.alert,
                "by_month": [
                    {"month": f"{m:%Y-%m}", "amount": str(a), "kind": k} for m, a, k in p.by_month
                ],
            }
            for name, p in fc.pots.items()
        },
        "headroom": [
            {
                "role": h.role,
                "pot": h.pot,
                "from_month": h.from_month.isoformat(),
                "cost_per_wte": None if h.cost_per_wte is None else str(h.cost_per_wte),
                "affordable_wte": None if h.affordable_wte is None else str(h.affordable_wte),
                "cap_left": None if h.cap_left is None else str(h.cap_left),
                "reason": h.reason,
            }
            for h in fc.headroom()
        ],
    }
