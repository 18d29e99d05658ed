"""Workforce pages for a PCN (scoped): the national benchmark of its NWRS workforce."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.workforce import benchmark as benchmark_db
from openpcn.web.platform import charts
from openpcn.web.platform.access import access, in_scope
from openpcn.web.platform.errors import render_error
from openpcn.workforce.benchmark import BenchmarkError

PCN_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD, Role.CLINICIAN}


@access(in_scope("code", "pcn", roles=PCN_ROLES))
def benchmark(request, code):
    code = code.upper()
    bench = benchmark_db.benchmark()
    if bench is None:
        return render_error(
            request,
            404,
            "No national workforce (NWRS) file is loaded yet; an administrator loads it.",
        )
    try:
        pcn = bench.for_pcn(code)
    except BenchmarkError as e:
        return render_error(request, 404, str(e).strip("'\""))
    rows = [rb for rb in pcn.roles.values()]
    return render(
        request,
        "workforce/benchmark.jinja",
        {
            "page_title": f"Workforce benchmark: {pcn.pcn.name}",
            "pcn": pcn,
            "rows": rows,
            "spec": charts.workforce_benchmark_spec(pcn),
            "table": [
                [
                    rb.role_name,
                    f"{rb.fte.value:.2f}",
                    f"{rb.rate.value:.2f}",
                    f"{rb.icb.median.value:.2f}",
                    f"{rb.england.median.value:.2f}",
                ]
                for rb in rows
            ],
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {"text": pcn.pcn.name, "href": reverse("web:network", kwargs={"code": code})},
            ],
        },
    )


@access(in_scope("code", "pcn", roles=PCN_ROLES))
def coverage_page(request, code):
    """Which member practices the shared staff reach, against fair shares by list size."""
    from datetime import date

    from openpcn.data.registry.models import Organisation
    from openpcn.web.workforce.coverage import heatmap_spec, pcn_coverage

    code = code.upper()
    org = Organisation.objects.get(code=code)
    report, names, message = pcn_coverage(code, date.today())
    if report is None:
        return render_error(request, 404, message)
    table = [
        [names.get(c.practice, c.practice), role, f"{c.sessions:.1f}", f"{c.fair_share:.1f}"]
        for role, rc in report.roles.items()
        for c in rc.cells
    ]
    return render(
        request,
        "workforce/coverage.jinja",
        {
            "page_title": f"Coverage: {org.name}",
            "org": org,
            "report": report,
            "spec": heatmap_spec(report, names),
            "table": table,
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {"text": org.name, "href": reverse("web:network", kwargs={"code": code})},
            ],
        },
    )
