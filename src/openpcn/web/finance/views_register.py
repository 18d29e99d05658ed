"""The PCN staff register pages: list, add/edit a member of staff, add a vacancy (scoped).
Each view reads the request and renders or redirects; register_page does the work."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from openpcn.data.registry.models import Organisation
from openpcn.web.finance import register_page as page
from openpcn.web.finance.forms import StaffForm
from openpcn.web.finance.roles import EDIT_ROLES, FINANCE_ROLES
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import shows_page_errors


@access(in_scope("code", "pcn", roles=FINANCE_ROLES, name="PCN finance"))
@shows_page_errors
def register(request, code):
    org = Organisation.objects.get(code=code.upper())
    posted, forms = page.register_forms(request, org)
    if request.method == "POST":
        done = page.save_posted(request, org, posted, forms)
        if done:
            messages.success(request, done)
            return redirect("finance:register", code=org.code)
    context = page.register_page(request, org, forms)
    # a POST that reaches here was refused
    status = 400 if request.method == "POST" else 200
    return render(request, "finance/register.jinja", context, status=status)


@access(in_scope("code", "pcn", roles=EDIT_ROLES, name="PCN finance editors"))
@shows_page_errors
def staff_edit(request, code):
    org = Organisation.objects.get(code=code.upper())
    sid = request.GET.get("id") or request.POST.get("id")
    staff, practices = page.staff_and_practices(org, sid)
    if request.method == "POST":
        form = StaffForm(request.POST, practices=practices)
        if form.is_valid():
            messages.success(request, page.save_staff_form(request, org, form, staff))
            return redirect("finance:register", code=org.code)
    else:
        form = page.blank_staff_form(staff, practices)
    context = page.staff_form_page(org, form, staff, practices)
    return render(request, "finance/staff_form.jinja", context)
