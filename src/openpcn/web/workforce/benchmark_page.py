"""The workforce benchmark page of a PCN: its NWRS workforce per role against the ICB's and
England's medians, as a chart and a table; no file loaded or an unknown PCN is a page error."""

from __future__ import annotations

from django.urls import reverse

from openpcn.data.workforce import benchmark as benchmark_db
from openpcn.web.platform import charts
from openpcn.web.platform.errors import PageError
from openpcn.workforce.benchmark import BenchmarkError


def benchmark_page(code: str) -> dict:
    bench = benchmark_db.benchmark()
    if bench is None:
        raise PageError(
            404, "No national workforce (NWRS) file is loaded yet; an administrator loads it."
        )
    try:
        pcn = bench.for_pcn(code)
    except BenchmarkError as e:
        raise PageError(404, str(e).strip("'\"")) from None
    rows = [rb for rb in pcn.roles.values()]
    return {
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
    }
