"""Worklists: the patients of one cohort at a practice or across the PCN, with the reasons each
was counted. Patient-level: behind a stated purpose, every view and export audited, shown only
to roles that may see patients; patient details never reach a log or an error message."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.urls import reverse

from openpcn.core.roles import Role
from openpcn.data.accounts import audit
from openpcn.data.population import cohorts as cohorts_db
from openpcn.population.definitions import by_name
from openpcn.population.outputs import worklist
from openpcn.web.platform.errors import PageError
from openpcn.web.population.overview_page import dataset


def chosen_cohort(definition: str, cohort: str):
    try:
        d = by_name(definition)
    except Exception:  # noqa: BLE001 - any unknown name is a 404 with a message
        raise PageError(404, f"There is no cohort definition '{definition}'.") from None
    if cohort not in d.cohorts:
        raise PageError(
            404,
            f"'{cohort}' is not a cohort of {definition}; choose one of {', '.join(d.cohorts)}.",
        )
    return d


def purpose_page(request, d, cohort: str, practice) -> dict:
    """Asked before any list is shown: why the user needs it."""
    return {
        "page_title": "Why do you need this list?",
        "definition": d,
        "cohort": cohort,
        "practice": practice,
        "purposes": cohorts_db.PURPOSES,
        "error": bool(request.GET.get("purpose") is not None),
    }


def rows_for(ds, definition: str, cohort: str, practices: list[str]) -> list[dict]:
    rows = []
    for p in practices:
        rows += worklist(
            ds.path,
            cohorts_db.results(ds)[definition],
            definition,
            cohort,
            p,
            index=cohorts_db.index_date(ds),
        )
    return rows


def audit_list(request, ds, purpose, definition, cohort, rows, where, export: bool) -> None:
    audit.record(
        request,
        "worklist exported" if export else "worklist viewed",
        object_type="worklist",
        object_id=where,
        purpose=cohorts_db.PURPOSES[purpose],
        definition=definition,
        cohort=cohort,
        patients=len(rows),
        synthetic=ds.synthetic,
    )


def csv_response(ds, rows, definition, cohort, where) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{definition}-{cohort}-{where}.csv"'
    w = csv.writer(response)
    if ds.synthetic:
        w.writerow(["SYNTHETIC DATA - not real patients"])
    w.writerow(["nhs_number", "birth_date", "sex", "practice", "reasons"])
    for r in rows:
        w.writerow(
            [
                r["nhs_number"],
                r["birth_date"],
                r["sex"],
                r["practice_code"],
                "; ".join(f"{x['code']} on {x['date']}" for x in r["reasons"]),
            ]
        )
    return response


def worklist_page(request, ds, d, cohort, rows, pcn_code, practice, purpose) -> dict:
    back = (
        reverse("population:practice", kwargs={"code": practice})
        if practice and request.user.role == Role.PRACTICE_MANAGER
        else reverse("population:network", kwargs={"code": pcn_code})
    )
    return {
        "page_title": f"{d.title}: {cohort}",
        "definition": d,
        "cohort": cohort,
        "rows": rows,
        "ds": ds,
        "practice": practice,
        "pcn": pcn_code,
        "purpose": cohorts_db.PURPOSES[purpose],
        "csv_url": request.get_full_path() + "&format=csv",
        "practice_only": request.user.role == Role.PRACTICE_MANAGER,
        "breadcrumbs": [
            {"text": "Home", "href": "/"},
            {"text": "Population health", "href": back},
        ],
    }


def worklist_response(request, pcn_code, practice, practices):
    """The purpose question, the list page's context, or the CSV export."""
    ds = dataset(pcn_code)
    definition = request.GET.get("definition", "smr")
    cohort = request.GET.get("cohort", "any_priority")
    purpose = request.GET.get("purpose", "")
    d = chosen_cohort(definition, cohort)
    if purpose not in cohorts_db.PURPOSES:
        status = 400 if "purpose" in request.GET else 200
        return "population/purpose.jinja", purpose_page(request, d, cohort, practice), status
    rows = rows_for(ds, definition, cohort, [practice] if practice else practices)
    export = request.GET.get("format") == "csv"
    where = practice or pcn_code
    audit_list(request, ds, purpose, definition, cohort, rows, where, export)
    if export:
        return csv_response(ds, rows, definition, cohort, where)
    context = worklist_page(request, ds, d, cohort, rows, pcn_code, practice, purpose)
    return "population/worklist.jinja", context, 200
