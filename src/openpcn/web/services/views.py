"""Network services pages (scoped): the IIF for a PCN, against its ICB and England."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.registry.models import Organisation
from openpcn.data.services import iif as presenters
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import render_error

PCN_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD, Role.CLINICIAN}


def comparison_spec(year, indicator: str, pcn_code: str, icb_members: set[str]) -> dict:
    values = []
    for r in year.results:
        if r.indicator != indicator or r.achievement_pct is None:
            continue
        who = (
            "This PCN"
            if r.pcn_code == pcn_code
            else ("Same ICB" if r.pcn_code in icb_members else "Rest of England")
        )
        values.append({"pcn": r.pcn_code, "pct": float(r.achievement_pct), "who": who})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 120,
        "data": {"values": values},
        "mark": {"type": "tick", "thickness": 2},
        "encoding": {
            "x": {
                "field": "pct",
                "type": "quantitative",
                "title": f"{indicator} achievement %",
                "scale": {"zero": False},
            },
            "y": {
                "field": "who",
                "type": "nominal",
                "title": None,
                "sort": ["This PCN", "Same ICB", "Rest of England"],
            },
            "color": {
                "field": "who",
                "type": "nominal",
                "legend": None,
                "scale": {
                    "domain": ["This PCN", "Same ICB", "Rest of England"],
                    "range": ["#d5281b", "#005eb8", "#aeb7bd"],
                },
            },
            "tooltip": [{"field": "pcn"}, {"field": "pct", "type": "quantitative"}],
        },
    }


@access(in_scope("code", "pcn", roles=PCN_ROLES))
def iif(request, code):
    code = code.upper()
    year = presenters.iif_year(request.GET.get("year"))
    if year is None:
        return render_error(
            request,
            404,
            "No IIF achievement file has been imported yet; run `openpcn data import-all`.",
        )
    mine = [r for r in year.results if r.pcn_code == code]
    if not mine:
        return render_error(request, 404, f"The {year.year} IIF file has no measures for {code}.")
    org = Organisation.objects.get(code=code)
    icb = next(
        (
            r.icb_code
            for r in presenters.national_view(year.achievement_date).rows
            if r.code == code
        ),
        "",
    )
    icb_members = {
        r.code for r in presenters.national_view(year.achievement_date).rows if r.icb_code == icb
    }
    charts = [
        (
            r.indicator,
            comparison_spec(year, r.indicator, code, icb_members),
            sorted(
                (x.pcn_code, f"{x.achievement_pct:.2f}")
                for x in year.results
                if x.indicator == r.indicator
                and x.pcn_code in icb_members
                and x.achievement_pct is not None
            ),
        )
        for r in mine
        if r.achievement_pct is not None
    ]
    defs = {i.code: i for i in year.definitions.indicators}
    return render(
        request,
        "services/iif.jinja",
        {
            "page_title": f"IIF {year.year}: {org.name}",
            "org": org,
            "year": year,
            "rows": [(r, defs[r.indicator]) for r in mine],
            "charts": charts,
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {"text": org.name, "href": reverse("web:network", kwargs={"code": code})},
            ],
        },
    )


@access(in_scope("code", "pcn", roles=PCN_ROLES))
def care_homes(request, code):
    """Aligned care homes, the premium they bring, and homes suggested for alignment."""
    from datetime import date

    from django.contrib import messages
    from django.shortcuts import redirect

    from openpcn.data.accounts import audit
    from openpcn.data.services import care_homes as homes
    from openpcn.data.services.models import CareHome
    from openpcn.services.errors import ServicesError

    code = code.upper()
    org = Organisation.objects.get(code=code)
    can_edit = request.user.role in (Role.ADMIN, Role.PCN_LEAD)
    members = sorted(
        (p, n)
        for p, n in Organisation.objects.filter(
            code__in=presenters.national_view(date.today()).members(code)
        ).values_list("code", "name")
    )
    errors = []
    if request.method == "POST" and request.POST.get("round"):
        if request.user.role not in (Role.ADMIN, Role.PCN_LEAD, Role.CLINICIAN):
            return render_error(request, 403, "Only the PCN's staff can record a round.")
        try:
            home, day = homes.record_round(
                code,
                request.POST.get("round", ""),
                request.POST.get("day", ""),
                request.user.username,
            )
        except ServicesError as e:
            return render_error(request, 400, str(e))
        audit.record(
            request,
            "care home round recorded",
            object_type="care_home",
            object_id=home.location_id,
            day=day.isoformat(),
        )
        messages.success(request, f"Round at {home.name} on {day} recorded.")
        return redirect("services:care-homes", code=code)
    if request.method == "POST":
        if not can_edit:
            return render_error(request, 403, "Only the PCN's lead can align care homes.")
        home = CareHome.objects.filter(location_id=request.POST.get("home", "")).first()
        lead = Organisation.objects.filter(
            code=request.POST.get("lead", ""), kind="practice"
        ).first()
        if home is None:
            errors.append({"text": "Choose a care home from the list", "href": "#homes"})
        if lead is None:
            errors.append({"text": "Choose the lead practice", "href": "#homes"})
        if not errors:
            try:
                homes.align(home, org, lead, date.today(), request.user.username)
            except ServicesError as e:
                errors.append({"text": str(e), "href": "#homes"})
                audit.record(
                    request,
                    "care home alignment refused",
                    object_type="care_home",
                    object_id=home.location_id,
                    outcome="refused",
                    reason=str(e),
                )
            else:
                audit.record(
                    request,
                    "care home aligned",
                    object_type="care_home",
                    object_id=home.location_id,
                    pcn=code,
                    lead=lead.code,
                )
                messages.success(request, f"{home.name} is now aligned to {org.name}.")
                return redirect("services:care-homes", code=code)
    aligned = homes.aligned(code)
    return render(
        request,
        "services/care_homes.jinja",
        {
            "page_title": f"Care homes: {org.name}",
            "org": org,
            "aligned": aligned,
            "beds": sum(a.home.beds for a in aligned),
            "premium": homes.premium(code, date.today()),
            "suggested": homes.suggestions(code),
            "rounds": homes.rounds_status(code, date.today()),
            "members": members,
            "can_edit": can_edit,
            "errors": errors,
            "loaded": CareHome.objects.exists(),
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {"text": org.name, "href": reverse("web:network", kwargs={"code": code})},
            ],
        },
        status=400 if errors else 200,
    )


@access(in_scope("code", "pcn", roles=PCN_ROLES))
def enhanced_access(request, code):
    """The weekly Enhanced Access requirement against the newest rota and against the sessions
    recorded as delivered, week by week."""
    from datetime import date, timedelta

    from django.contrib import messages
    from django.shortcuts import redirect

    from openpcn.data.accounts import audit
    from openpcn.services.errors import ServicesError
    from openpcn.web.services import enhanced_access as ea_presenters

    code = code.upper()
    org = Organisation.objects.get(code=code)
    error = ""
    if request.method == "POST":
        if request.user.role not in (Role.ADMIN, Role.PCN_LEAD):
            return render_error(request, 403, "Only the PCN's lead can record delivered sessions.")
        try:
            day = ea_presenters.record_session(org, request.POST, request.user.username)
        except ServicesError as e:
            error = str(e)
        else:
            audit.record(
                request,
                "enhanced access session recorded",
                object_type="organisation",
                object_id=code,
                day=day.isoformat(),
            )
            messages.success(request, f"Session on {day} recorded.")
            return redirect("services:enhanced-access", code=code)
    figure, note = ea_presenters.requirement(code, date.today())
    plan, weeks = ea_presenters.planned(code, figure.value) if figure else (None, [])
    monday = date.today() - timedelta(days=date.today().weekday() + 28)
    delivered = ea_presenters.delivered(code, monday, 4, figure.value) if figure else []
    return render(
        request,
        "services/enhanced_access.jinja",
        {
            "page_title": f"Enhanced Access: {org.name}",
            "org": org,
            "figure": figure,
            "note": note,
            "plan": plan,
            "weeks": weeks,
            "delivered": delivered,
            "error": error,
            "can_edit": request.user.role in (Role.ADMIN, Role.PCN_LEAD),
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {"text": org.name, "href": reverse("web:network", kwargs={"code": code})},
            ],
        },
        status=400 if error else 200,
    )


@access(in_scope("code", "pcn", roles={Role.ADMIN, Role.PCN_LEAD, Role.CLINICIAN}))
def care_plans(request, code):
    """Admissions to the PCN's aligned homes and whether each has its personalised care plan
    within 7 working days (patient-level: audited with its purpose)."""
    from datetime import date

    from django.contrib import messages
    from django.shortcuts import redirect

    from openpcn.data.accounts import audit
    from openpcn.data.population import care_home_stays as stays
    from openpcn.data.population.cohorts import dataset_for
    from openpcn.data.services import care_homes as homes

    code = code.upper()
    org = Organisation.objects.get(code=code)
    ds = dataset_for(code)
    if ds is None:
        return render_error(request, 404, "No population dataset is loaded for this PCN.")
    aligned = {a.home.location_id: a.home for a in homes.aligned(code)}
    error = ""
    if request.method == "POST":
        today = date.today()
        try:
            patient = stays.find_patient(ds, request.POST.get("nhs_number", ""))
            day = date.fromisoformat(request.POST.get("day", ""))
            if request.POST.get("kind") == "plan":
                stays.record_plan(ds, patient, day, today)
                action = "care plan recorded"
            else:
                home = request.POST.get("home", "")
                if home not in aligned:
                    raise stays.StayError("Choose one of the PCN's aligned care homes.")
                again = stays.record_admission(ds, patient, home, day, today)
                action = (
                    "care home readmission recorded" if again else "care home admission recorded"
                )
        except ValueError as e:
            error = str(e) if isinstance(e, stays.StayError) else "Enter the date as YYYY-MM-DD."
        else:
            audit.record(
                request,
                action,
                object_type="patient",
                object_id=f"dataset {ds.pk} row {patient}",
                purpose="Direct care: Enhanced Health in Care Homes",
                day=day.isoformat(),
            )
            messages.success(request, action.capitalize() + ".")
            return redirect("services:care-plans", code=code)
    rows = stays.checks(ds, set(aligned), date.today())
    audit.record(
        request,
        "care plans viewed",
        object_type="care_homes",
        object_id=code,
        purpose="Direct care: Enhanced Health in Care Homes",
        admissions=len(rows),
    )
    return render(
        request,
        "services/care_plans.jinja",
        {
            "page_title": f"Care plans: {org.name}",
            "org": org,
            "rows": rows,
            "homes": aligned,
            "error": error,
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {
                    "text": "Care homes",
                    "href": reverse("services:care-homes", kwargs={"code": code}),
                },
            ],
        },
        status=400 if error else 200,
    )
