"""The coverage page of a PCN: which member practices its shared staff reach, as sessions per
practice and role against each practice's fair share by list size (a heatmap and a table)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from openpcn.data.registry.national import national_view
from openpcn.web.platform.errors import PageError
from openpcn.workforce.coverage import CoverageReport, coverage, staff_at_practices


def pcn_coverage(pcn_code: str, on: date) -> tuple[CoverageReport | None, dict, str]:
    """(report, practice names, message). Sessions come from the staff register; a member of
    staff with no sessions recorded counts at their base practice (WTE x 9 sessions)."""
    from openpcn.data.registry.models import Organisation
    from openpcn.data.workforce.coverage import register_rows

    view = national_view(on)
    members = view.members(pcn_code)
    sizes = {p: view.totals.get(p, 0) for p in members}
    names = dict(Organisation.objects.filter(code__in=members).values_list("code", "name"))
    rows = register_rows(pcn_code)
    if not rows:
        return None, names, "The staff register is empty."
    staff = staff_at_practices(rows, sizes)
    return coverage(staff, sizes, on=on, practice_names=names), names, ""


def heatmap_spec(report: CoverageReport, names: dict) -> dict:
    values = [
        {
            "practice": names.get(c.practice, c.practice),
            "role": role,
            "sessions": float(c.sessions),
            "fair_share": float(c.fair_share),
            "ratio": float(c.sessions / c.fair_share) if c.fair_share else None,
        }
        for role, rc in report.roles.items()
        for c in rc.cells
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "data": {"values": values},
        "mark": "rect",
        "encoding": {
            "x": {"field": "role", "type": "nominal", "title": None},
            "y": {"field": "practice", "type": "nominal", "title": None},
            "color": {
                "field": "ratio",
                "type": "quantitative",
                "title": "Sessions / fair share",
                "scale": {
                    "domain": [0, 1, 2],
                    "range": ["#d5281b", "#ffeb3b", "#007f3b"],
                    "clamp": True,
                },
            },
            "tooltip": [
                {"field": "practice"},
                {"field": "role"},
                {"field": "sessions", "type": "quantitative", "format": ".1f"},
                {"field": "fair_share", "type": "quantitative", "format": ".1f"},
            ],
        },
    }


def coverage_page(org, on: date) -> dict:
    """The page's context; an empty staff register is a page error saying so."""
    report, names, message = pcn_coverage(org.code, on)
    if report is None:
        raise PageError(404, message)
    table = [
        [names.get(c.practice, c.practice), role, f"{c.sessions:.1f}", f"{c.fair_share:.1f}"]
        for role, rc in report.roles.items()
        for c in rc.cells
    ]
    return {
        "page_title": f"Coverage: {org.name}",
        "org": org,
        "report": report,
        "spec": heatmap_spec(report, names),
        "table": table,
        "breadcrumbs": [
            {"text": "Home", "href": "/"},
            {"text": org.name, "href": reverse("web:network", kwargs={"code": org.code})},
        ],
    }
