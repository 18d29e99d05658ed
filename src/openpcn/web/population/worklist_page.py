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


PAGE_SIZE = 100
TABLE_WORDS = {
    "clinical_events": "recorded",
    "medications": "issued",
    "medication_reviews": "review",
}


def with_words(d, rows: list[dict]) -> list[dict]:
    """Each reason's code as clinicians know it (the code list's term) and what kind of
    record it is."""
    for r in rows:
        for x in r["reasons"]:
            x["words"] = d.reason_words(str(x["code"]))
            x["what"] = TABLE_WORDS.get(x["table"], x["table"].replace("_", " "))
    return rows


def page_of(rows: list, text: str | None) -> tuple[list, dict]:
    """One page of the list and where it sits: a long list is never cut off silently."""
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    try:
        number = min(max(1, int(text or 1)), pages)
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    shown = rows[start : start + PAGE_SIZE]
    return shown, {
        "number": number,
        "pages": pages,
        "first": start + 1 if shown else 0,
        "last": start + len(shown),
        "total": len(rows),
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
                "; ".join(
                    f"{x.get('words', x['code'])} ({x['code']}) {x.get('what', '')} {x['date']}"
                    for x in r["reasons"]
                ),
            ]
        )
    return response


def _page_url(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"{request.path}?{query.urlencode()}"


def worklist_page(request, ds, d, cohort, rows, pcn_code, practice, purpose) -> dict:
    back = (
        reverse("population:practice", kwargs={"code": practice})
        if practice and request.user.role == Role.PRACTICE_MANAGER
        else reverse("population:network", kwargs={"code": pcn_code})
    )
    shown, paging = page_of(rows, request.GET.get("page"))
    if paging["number"] > 1:
        paging["previous"] = _page_url(request, paging["number"] - 1)
    if paging["number"] < paging["pages"]:
        paging["next"] = _page_url(request, paging["number"] + 1)
    csv_query = request.GET.copy()
    csv_query.pop("page", None)
    csv_query["format"] = "csv"
    return {
        "page_title": f"{d.title}: {d.label(cohort)}",
        "definition": d,
        "cohort": cohort,
        "cohort_label": d.label(cohort),
        "rows": shown,
        "paging": paging,
        "ds": ds,
        "practice": practice,
        "pcn": pcn_code,
        "purpose": cohorts_db.PURPOSES[purpose],
        "csv_url": f"{request.path}?{csv_query.urlencode()}",
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
    rows = with_words(d, rows_for(ds, definition, cohort, [practice] if practice else practices))
    export = request.GET.get("format") == "csv"
    where = practice or pcn_code
    audit_list(request, ds, purpose, definition, cohort, rows, where, export)
    if export:
        return csv_response(ds, rows, definition, cohort, where)
    context = worklist_page(request, ds, d, cohort, rows, pcn_code, practice, purpose)
    return "population/worklist.jinja", context, 200
