"""The PCN staff register pages: the register with its three forms (vacancy, non-ARRS staff,
leave), and the form to add or change a member of staff. Every change is audited."""

from __future__ import annotations

from django.urls import reverse

from openpcn.data.finance import register
from openpcn.data.finance.models import NonArrsStaff, StaffLeave, StaffMember, Vacancy
from openpcn.data.finance.register import initial, member_practices, role_name
from openpcn.web.finance.breadcrumbs import crumbs
from openpcn.web.finance.forms import LeaveForm, NonArrsForm, StaffForm, VacancyForm
from openpcn.web.finance.roles import EDIT_ROLES
from openpcn.web.platform.errors import PageError
from openpcn.workforce.leave import KINDS as LEAVE_KINDS


def register_forms(request, org) -> tuple[str, dict]:
    """(which form was posted, {name: form}): a form is bound only to a POST of that form."""
    # bound to a GET's empty data, a form reported every required field missing and the page
    # opened with an error summary
    posted = request.POST.get("form", "vacancy") if request.method == "POST" else ""
    staff = StaffMember.objects.filter(pcn=org).prefetch_related("sessions", "leave")
    forms = {
        "staff": staff,
        "vacancy_form": VacancyForm(request.POST if posted == "vacancy" else None),
        "non_arrs_form": NonArrsForm(request.POST if posted == "non_arrs" else None),
        "leave_form": LeaveForm(request.POST if posted == "leave" else None, staff=list(staff)),
    }
    return posted, forms


def _add_non_arrs(request, org, form) -> str:
    m = form.cleaned_data["member"]
    register.add_non_arrs(request, org, m)
    return f"{m.job_title} added to the register."


def _add_leave(request, org, form) -> str:
    member = form.cleaned_data["member"]
    register.add_leave(request, org, member, form.cleaned_data["leave"])
    return f"Leave recorded for {member.name}: rotas will not book them those days."


def _add_vacancy(request, org, form) -> str:
    v = form.cleaned_data["vacancy"]
    register.add_vacancy(request, org, v, form.cleaned_data.get("pay_point"))
    return f"Vacancy for {role_name(v.role)} added."


ADDS = {
    "non_arrs": ("non_arrs_form", _add_non_arrs),
    "leave": ("leave_form", _add_leave),
    "vacancy": ("vacancy_form", _add_vacancy),
}


def save_posted(request, org, posted: str, forms: dict) -> str:
    """Save the posted form if it is valid: a sentence saying what was added, else "" (the
    form carries its errors). Only the PCN's lead (or an administrator) may change it: 403."""
    if request.user.role not in EDIT_ROLES:
        raise PageError(403, "Only the PCN's lead can change its register.")
    name, add = ADDS.get(posted, ("", None))
    if add is None or not forms[name].is_valid():
        return ""
    return add(request, org, forms[name])


def register_page(request, org, forms: dict) -> dict:
    """The register page's context: staff, vacancies, leave and non-ARRS staff, and the forms."""
    return {
        "page_title": f"Staff register: {org.name}",
        "org": org,
        "vacancies": Vacancy.objects.filter(pcn=org),
        "role_name": role_name,
        "can_edit": request.user.role in EDIT_ROLES,
        **forms,
        "leave": StaffLeave.objects.filter(staff__pcn=org).select_related("staff"),
        "leave_kinds": LEAVE_KINDS,
        "non_arrs": NonArrsStaff.objects.filter(pcn=org),
        "breadcrumbs": crumbs(org),
    }


def staff_and_practices(org, sid: str | None):
    """(the member of staff asked for or None to add one, the PCN's practices); a member of
    staff the PCN does not have, or a PCN with no practices, is a 404."""
    staff = None
    if sid:
        staff = StaffMember.objects.filter(pcn=org, pk=sid if str(sid).isdigit() else -1).first()
        if staff is None:
            raise PageError(404, f"{org.name} has no member of staff {sid}.")
    practices = member_practices(org.code)
    if not practices:
        raise PageError(
            404, f"{org.name} has no member practices on record, so staff cannot be "
            "based anywhere: import the PCN membership file first."
        )  # fmt: skip
    return staff, practices


def save_staff_form(request, org, form, staff) -> str:
    """Save a valid staff form (audited): the sentence saying it was saved."""
    staff = register.save_staff_audited(request, org, form.cleaned_data, staff)
    return f"{staff.staff_id} saved."


def blank_staff_form(staff, practices) -> StaffForm:
    """The staff form for a GET: filled from the member of staff being changed, if any."""
    return StaffForm(initial=initial(staff) if staff else None, practices=practices)


def staff_form_page(org, form, staff, practices) -> dict:
    return {
        "page_title": f"{'Change' if staff else 'Add'} a member of staff: {org.name}",
        "org": org,
        "form": form,
        "staff": staff,
        "practices": practices,
        "breadcrumbs": crumbs(
            org,
            {"text": "Staff register", "href": reverse("finance:register", args=[org.code])},
        ),
    }
