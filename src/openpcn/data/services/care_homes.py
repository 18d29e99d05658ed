"""Care homes for a PCN (Django side): aligned homes, the premium, and suggested homes."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from openpcn.core.figures import DataRef
from openpcn.core.fyear import FinancialYear
from openpcn.data.registry.models import Organisation
from openpcn.data.registry.national import data_version, national_view
from openpcn.data.services.models import CareHome, CareHomeAlignment
from openpcn.services.alignment import Practice, PracticeIndex, suggest
from openpcn.services.carehome_money import aligned_bed_years, care_home_premium
from openpcn.services.cqc import CareHome as HomeRecord
from openpcn.services.errors import AlignmentConflict, ServicesError

_SUGGESTIONS: dict[tuple, dict[str, list]] = {}


def _record(h: CareHome) -> HomeRecord:
    return HomeRecord(
        h.location_id,
        h.name,
        h.beds,
        h.postcode,
        h.region,
        h.local_authority,
        h.latitude,
        h.longitude,
        h.with_nursing,
        not h.with_nursing,
        ("Older People",) if h.older_people else (),
    )


def aligned(pcn_code: str) -> list[CareHomeAlignment]:
    return list(
        CareHomeAlignment.objects.filter(pcn__code=pcn_code, end__isnull=True)
        .select_related("home", "lead_practice")
        .order_by("home__name")
    )


def _aligned_in(pcn_code: str, start: date, end: date) -> tuple[list[CareHome], dict]:
    """Homes aligned to the PCN on any day of ``start``..``end``, and their alignment periods
    (clipped to the year by the engine; a home aligned twice counts from its first start)."""
    rows = CareHomeAlignment.objects.filter(pcn__code=pcn_code, start__lte=end).exclude(
        end__lt=start
    )
    homes, periods = {}, {}
    for a in rows.select_related("home", "home__source").order_by("start"):
        homes.setdefault(a.home.location_id, a.home)
        first, last = periods.get(a.home.location_id, (a.start, a.end))
        periods[a.home.location_id] = (first, None if a.end is None or last is None else a.end)
    return list(homes.values()), periods


def alignment_inputs(pcn_code: str, year: str, also: tuple[str, ...] = ()):
    """(homes by location id, alignment periods) of the PCN in ``year``, as
    :func:`aligned_beds` hands them to the engine, plus the homes ``also`` names (for a what-if
    alignment); None when no care home file is loaded."""
    if not CareHome.objects.exists():
        return None
    fy = FinancialYear.parse(year)
    homes, periods = _aligned_in(pcn_code, fy.start, fy.end)
    extra = CareHome.objects.filter(location_id__in=list(also)).exclude(
        location_id__in=list(periods)
    )
    return {h.location_id: _record(h) for h in (*homes, *extra)}, periods


def aligned_beds(pcn_code: str, year: str | None = None):
    """Beds in the PCN's aligned homes (in ``year``, pro rata by days aligned: never before a
    home's alignment), or None when no care home file is loaded."""
    if not CareHome.objects.exists():
        return None
    if year is None:
        return sum(a.home.beds for a in aligned(pcn_code))
    fy = FinancialYear.parse(year)
    homes, periods = _aligned_in(pcn_code, fy.start, fy.end)
    return aligned_bed_years([_record(h) for h in homes], periods, fy.start, fy.end)


def premium(pcn_code: str, on: date):
    """The care home premium for the financial year containing ``on``, as an explained
    figure: each home's beds count from its alignment's start (pro rata by days)."""
    from openpcn.rules import RuleNotFound
    from openpcn.rules.current import rules_for

    try:
        rules, rule_on, _note = rules_for(on)
        rule = rules.value("care_home_premium_per_bed", rule_on)
    except RuleNotFound:
        return None
    fy = FinancialYear.containing(on)
    homes, periods = _aligned_in(pcn_code, fy.start, fy.end)
    data = DataRef(
        source=homes[0].source.name if homes else "CQC care homes",
        as_of=homes[0].source.as_of if homes else None,
        description="CQC care home beds of the aligned homes, from each alignment's start",
    )
    return care_home_premium(
        [_record(h) for h in homes],
        rule.as_rule_ref(),
        data,
        pcn_code,
        periods=periods,
        year=(fy.start, fy.end),
    )


def suggestions(pcn_code: str, limit: int = 30) -> list[tuple[CareHome, object]]:
    """Unaligned homes whose best-matching member practice (by postcode) is in this PCN."""
    table = suggestion_table()
    taken = set(
        CareHomeAlignment.objects.filter(end__isnull=True).values_list("home_id", flat=True)
    )
    pairs = [(pk, s) for pk, s in table.get(pcn_code, []) if pk not in taken]
    homes = CareHome.objects.in_bulk([pk for pk, _ in pairs])
    level = {"unit": 0, "sector": 1, "district": 2, "area": 3}
    pairs.sort(key=lambda p: (level.get(p[1].level, 9), homes[p[0]].name))
    return [(homes[pk], s) for pk, s in pairs[:limit]]


def suggestion_table() -> dict[str, list]:
    """PCN -> [(home pk, its best suggestion)] for every home in England, kept per data
    version (computed at server start-up, see openpcn.web.site.start_up)."""
    key = data_version()
    if key not in _SUGGESTIONS:
        view = national_view(date.today())
        postcodes = dict(
            Organisation.objects.filter(kind="practice").values_list("code", "postcode")
        )
        index = PracticeIndex(
            Practice(code, pcn, postcodes.get(code, "")) for code, pcn in view.membership.items()
        )
        by_pcn: dict[str, list] = {}
        for home in CareHome.objects.all():
            best = suggest(_record(home), index, limit=1)
            if best:
                by_pcn.setdefault(best[0].pcn_code, []).append((home.pk, best[0]))
        _SUGGESTIONS.clear()
        _SUGGESTIONS[key] = by_pcn
    return _SUGGESTIONS[key]


def align(home: CareHome, pcn: Organisation, lead: Organisation, start: date, by: str):
    """Align a home; refuses (AlignmentConflict) when another PCN holds it, and a lead
    practice outside the PCN (ServicesError)."""
    current = CareHomeAlignment.objects.filter(home=home, end__isnull=True).first()
    if current is not None and current.pcn_id != pcn.pk:
        raise AlignmentConflict(home.location_id, (current.pcn.code, pcn.code))
    from openpcn.data.registry.queries import membership_at

    members = membership_at(start)  # the alignment's own date
    if members.get(lead.code) != pcn.code:
        raise ServicesError(
            f"{lead.name} ({lead.code}) is not a member practice of {pcn.code} on {start}"
        )
    if current is not None:
        current.lead_practice = lead
        current.save(update_fields=["lead_practice"])
        return current
    try:
        with transaction.atomic():
            return CareHomeAlignment.objects.create(
                home=home, pcn=pcn, lead_practice=lead, start=start, aligned_by=by
            )
    except IntegrityError:  # another request aligned it in between
        other = CareHomeAlignment.objects.get(home=home, end__isnull=True)
        raise AlignmentConflict(home.location_id, (other.pcn.code, pcn.code)) from None


def clear() -> None:
    _SUGGESTIONS.clear()


def rounds_status(pcn_code: str, today: date) -> dict[str, dict]:
    """Per aligned home: rounds planned in the newest rota, done, and overdue ISO weeks since
    alignment (the current week is never overdue)."""
    from openpcn.data.rota.models import RotaPlan
    from openpcn.data.services.models import CareHomeRound
    from openpcn.services.carehome_money import iso_week, overdue_rounds

    homes = aligned(pcn_code)
    if not homes:
        return {}
    planned: dict[tuple, int] = {}
    plan = RotaPlan.objects.filter(pcn__code=pcn_code, status__in=("solved", "published")).first()
    if plan is not None:
        for a in plan.solution.get("assignments", []):
            if a.get("care_home"):
                key = (a["care_home"], iso_week(date.fromisoformat(a["date"])))
                planned[key] = planned.get(key, 0) + 1
    done: dict[tuple, int] = {}
    last: dict[str, date] = {}
    for r in CareHomeRound.objects.filter(home__in=[a.home for a in homes]):
        key = (r.home.location_id, iso_week(r.day))
        done[key] = done.get(key, 0) + 1
        last[r.home.location_id] = max(last.get(r.home.location_id, r.day), r.day)
    out = {}
    for a in homes:
        lid = a.home.location_id
        overdue = overdue_rounds([lid], planned, done, iso_week(a.start), iso_week(today))
        out[lid] = {
            "last": last.get(lid),
            "overdue": [o.iso_week for o in overdue],
            "planned_this_week": planned.get((lid, iso_week(today)), 0),
            "done_this_week": done.get((lid, iso_week(today)), 0),
            "aligned_from": a.start,
        }
    return out


def record_round(pcn_code: str, location_id: str, day_text: str, by: str):
    """Record a weekly round at one of the PCN's aligned homes; (home, day). The day defaults
    to today and cannot be in the future."""
    from openpcn.data.services.models import CareHomeRound

    home = next((a.home for a in aligned(pcn_code) if a.home.location_id == location_id), None)
    if home is None:
        raise ServicesError("Choose one of the PCN's aligned care homes.")
    try:
        day = date.fromisoformat(day_text) if day_text else date.today()
    except ValueError:
        raise ServicesError("Enter the round date as YYYY-MM-DD.") from None
    if day > date.today():
        raise ServicesError(f"A round cannot be recorded in the future ({day}).")
    CareHomeRound.objects.create(home=home, day=day, recorded_by=by)
    return home, day
