"""Workforce pages for a PCN (scoped): the national benchmark of its NWRS workforce, and the
coverage of its member practices by the shared staff. Each view reads the request and
renders; its page's presenter (benchmark_page.py, coverage.py) does the work."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render

from openpcn.core.roles import Role
from openpcn.data.registry.models import Organisation
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import shows_page_errors
from openpcn.web.workforce.benchmark_page import benchmark_page
from openpcn.web.workforce.coverage import coverage_page as coverage_context

PCN_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD, Role.CLINICIAN}


@access(in_scope("code", "pcn", roles=PCN_ROLES))
@shows_page_errors
def benchmark(request, code):
    return render(request, "workforce/benchmark.jinja", benchmark_page(code.upper()))


@access(in_scope("code", "pcn", roles=PCN_ROLES))
@shows_page_errors
def coverage_page(request, code):
    """Which member practices the shared staff reach, against fair shares by list size."""
    org = Organisation.objects.get(code=code.upper())
    return render(request, "workforce/coverage.jinja", coverage_context(org, date.today()))
