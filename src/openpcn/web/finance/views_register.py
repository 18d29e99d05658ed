"""The PCN staff register pages: list, add/edit a member of staff, add a vacancy (scoped)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.accounts import audit
from openpcn.data.finance.models import NonArrsStaff, StaffLeave, StaffMember, Vacancy
from openpcn.data.finance.register import initial, member_practices, role_name, save_staff
from openpcn.data.registry.models import Organisation
from openpcn.web.finance.forms import LeaveForm, NonArrsForm, StaffForm, VacancyForm
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import render_error
from openpcn.workforce.leave import KINDS as LEAVE_KINDS

FINANCE_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD}
EDIT_ROLES = {Role.ADMIN, Role.PCN_LEAD}


def can_edit(request) -> bool:
    return request.user.role in EDIT_ROLES


def crumbs(org, *extra):
    return [
        {"text": "Home", "href": "/"},
        {"text": org.name, "href": reverse("web:network", kwargs={"code": org.code})},
        *extra,
    ]


@access(in_scope("code", "pcn", roles=FINANCE_ROLES, name="PCN finance"))
def register(request, code):
    org = Organisation.objects.get(code=code.upper())
    # bind a form only to a POST of that form: bound to a GET's empty data, it reported every
    # required field missing and the page opened with an error summary
    posted = request.POST.get("form", "vacancy") if request.method == "POST" else ""
    vacancy_form = VacancyForm(request.POST if posted == "vacancy" else None)
    non_arrs_form = NonArrsForm(request.POST if posted == "non_arrs" else None)
    staff = StaffMember.objects.filter(pcn=org).prefetch_related("sessions", "leave")
    leave_form = LeaveForm(request.POST if posted == "leave" else None, staff=list(staff))
    if request.method == "POST":
        if not can_edit(request):
            return render_error(request, 403, "Only the PCN's lead can change its register.")
        if posted == "non_arrs" and non_arrs_form.is_valid():
            m = non_arrs_form.cleaned_data["member"]
            row = NonArrsStaff.objects.create(
                pcn=org,
                job_title=m.job_title,
                wte=m.wte,
                start_date=m.start_date,
                end_date=m.end_date,
                funding=m.funding,
            )
            audit.record(
                request,
                "non-ARRS staff added",
                object_type="non_arrs_staff",
                object_id=str(row.pk),
                pcn=org.code,
            )
            messages.success(request, f"{m.job_title} added to the register.")
            return redirect("finance:register", code=org.code)
        if posted == "leave" and leave_form.is_valid():
            lv, member = leave_form.cleaned_data["leave"], leave_form.cleaned_data["member"]
            row = StaffLeave.objects.create(
                staff=member,
                start=lv.start,
                end=lv.end,
                kind=lv.kind,
                entered_by=request.user.get_username(),
            )
            audit.record(
                request,
                "staff leave recorded",
                object_type="staff_leave",
                object_id=str(row.pk),
                pcn=org.code,
                staff=member.staff_id,
                start=str(lv.start),
                end=str(lv.end),
            )
            messages.success(
                request, f"Leave recorded for {member.name}: rotas will not book them those days."
            )
            return redirect("finance:register", code=org.code)
        if posted == "vacancy" and vacancy_form.is_valid():
            v = vacancy_form.cleaned_data["vacancy"]
            vac = Vacancy.objects.create(
                pcn=org,
                role=v.role,
                wte=v.wte,
                planned_start=v.planned_start,
                afc_band=v.afc_band or "",
                pay_point=vacancy_form.cleaned_data.get("pay_point"),
            )
            audit.record(
                request,
                "vacancy added",
                object_type="arrs_vacancy",
                object_id=str(vac.pk),
                purpose="ARRS workforce planning",
                pcn=org.code,
                role=v.role,
            )
            messages.success(request, f"Vacancy for {role_name(v.role)} added.")
            return redirect("finance:register", code=org.code)
    return render(
        request,
        "finance/register.jinja",
        {
            "page_title": f"Staff register: {org.name}",
            "org": org,
            "staff": staff,
            "vacancies": Vacancy.objects.filter(pcn=org),
            "role_name": role_name,
            "can_edit": can_edit(request),
            "vacancy_form": vacancy_form,
            "non_arrs_form": non_arrs_form,
            "leave_form": leave_form,
            "leave": StaffLeave.objects.filter(staff__pcn=org).select_related("staff"),
            "leave_kinds": LEAVE_KINDS,
            "non_arrs": NonArrsStaff.objects.filter(pcn=org),
            "breadcrumbs": crumbs(org),
        },
        status=400 if request.method == "POST" else 200,  # a POST that reaches here was refused
    )


@access(in_scope("code", "pcn", roles=EDIT_ROLES, name="PCN finance editors"))
def staff_edit(request, code):
    org = Organisation.objects.get(code=code.upper())
    staff = None
    sid = request.GET.get("id") or request.POST.get("id")
    if sid:
        staff = StaffMember.objects.filter(pcn=org, pk=sid if str(sid).isdigit() else -1).first()
        if staff is None:
            return render_error(request, 404, f"{org.name} has no member of staff {sid}.")
    practices = member_practices(org.code)
    if not practices:
        return render_error(
            request, 404, f"{org.name} has no member practices on record, so staff cannot be "
            "based anywhere: import the PCN membership file first."
        )  # fmt: skip
    if request.method == "POST":
        form = StaffForm(request.POST, practices=practices)
        if form.is_valid():
            created = staff is None
            staff = save_staff(org, form.cleaned_data, staff)
            audit.record(
                request,
                "staff added" if created else "staff changed",
                object_type="arrs_staff",
                object_id=str(staff.pk),
                purpose="ARRS staff register",
                pcn=org.code,
                role=staff.role,
            )
            messages.success(request, f"{staff.staff_id} saved.")
            return redirect("finance:register", code=org.code)
    else:
        form = StaffForm(initial=initial(staff) if staff else None, practices=practices)
    return render(
        request,
        "finance/staff_form.jinja",
        {
            "page_title": f"{'Change' if staff else 'Add'} a member of staff: {org.name}",
            "org": org,
            "form": form,
            "staff": staff,
            "practices": practices,
            "breadcrumbs": crumbs(
                org,
                {"text": "Staff register", "href": reverse("finance:register", args=[org.code])},
            ),
        },
    )
