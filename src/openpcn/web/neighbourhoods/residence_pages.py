"""Where people live against where they are registered (issue 18): the residence section of
a neighbourhood's page, a PCN's residence page, and their CSVs. Aggregates only; counts of
1-4 arrive suppressed from ``openpcn.data.neighbourhoods.residence``, which works out every
figure (nothing is computed here)."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpcn.data.neighbourhoods import residence
from openpcn.data.registry.models import Organisation, OrgKind
from openpcn.web.neighbourhoods.icb_pages import org_or_404
from openpcn.web.platform import charts

COLUMNS = ["table", "code", "name", "patients", "share_pct"]


def _chart(rows: list[dict], axis: str) -> tuple[dict, list[tuple]]:
    """The Vega-Lite spec (shares shown only) and the same rows as a table."""
    shown = [{"name": f"{r['name']} ({r['code']})", "pct": r["share_pct"]} for r in rows]
    spec = charts.share_bars([s for s in shown if s["pct"] is not None], axis)
    table = [
        (s["name"], r["shown"], "-" if s["pct"] is None else f"{s['pct']}%")
        for s, r in zip(shown, rows, strict=True)
    ]
    return spec, table


def section(r: dict) -> dict:
    """The neighbourhood page's residence section from its summary's ``residence`` entry."""
    if not r["loaded"]:
        return r
    spec, table = _chart(r["by_pcn"], "Registered with")
    return {**r, "spec": spec, "chart_rows": table}


def _note(r: dict) -> str:
    return (
        f"Source: {r['file']}, extract {r['extract_date']} ({r['lsoa_vintage']} LSOAs); PCN "
        f"membership {r['membership']}; {r['small_numbers']}."
    )


def _write(w, table: str, rows: list[dict]) -> None:
    for row in rows:
        share = "" if row["share_pct"] is None else row["share_pct"]
        w.writerow([table, row["code"], row["name"], row["shown"], share])


def _overlap(w, overlap: dict) -> None:
    w.writerow([])
    w.writerow(["overlap: patients of each PCN living in", *overlap["columns"]])
    for row in overlap["rows"]:
        w.writerow([f"{row['name']} ({row['pcn']})", *[c["shown"] for c in row["cells"]]])


def _csv(r: dict, tables: list[tuple[str, str]], whole: str, what: str) -> str:
    """The shares tables named (title, key of ``r``), the overlap, and how it was worked out."""
    buf = io.StringIO()
    w = csv.writer(buf)
    if not r["loaded"]:
        w.writerow(["residence figures not available", r["how_to_get_it"]])
        return buf.getvalue()
    w.writerow(COLUMNS)
    for title, key in tables:
        _write(w, title, r[key])
    _overlap(w, r["overlap"])
    w.writerow([])
    w.writerow([f"{what}: {r[whole]['value']}; misfit: {r['misfit']['method']}"])
    w.writerow([_note(r)])
    return buf.getvalue()


def neighbourhood_csv(r: dict) -> str:
    tables = [("residents by PCN", "by_pcn"), ("residents by practice", "by_practice")]
    return _csv(r, tables, "residents", "residents")


def _pcn(code: str) -> Organisation:
    return org_or_404(code, OrgKind.PCN, "PCN")


def pcn_page(code: str, on: date) -> dict:
    pcn = _pcn(code)
    data = residence.for_pcn(pcn.code, on)
    context = {
        "page_title": f"Where {pcn.name}'s patients live",
        "pcn": pcn,
        "on": on,
        "r": data or residence.not_loaded(),
        "breadcrumbs": [
            {"text": "Home", "href": "/"},
            {"text": pcn.name, "href": f"/network/{pcn.code}/"},
        ],
    }
    if data and data["matched"]:
        context["spec"], context["chart_rows"] = _chart(data["by_neighbourhood"], "Living in")
    return context


def pcn_csv(code: str, on: date) -> str:
    r = residence.for_pcn(_pcn(code).code, on) or residence.not_loaded()
    tables = [
        ("patients by neighbourhood", "by_neighbourhood"),
        ("patients by local authority", "by_local_authority"),
    ]
    return _csv(r, tables, "total", "patients")
