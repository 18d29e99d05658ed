"""Population API: cohort counts (aggregates, suppressed for aggregate-only roles) and SMR
progress. Patient lists are never served here: they need a stated purpose on the page."""

from ninja import Router
from ninja.errors import HttpError

from openpcn.core.roles import Role
from openpcn.data.population import cohorts as cohorts_db
from openpcn.web.platform.access import in_scope
from openpcn.web.platform.api import api_access

router = Router(tags=["population"])
AGGREGATES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD}


@router.get(
    "/cohorts/{code}",
    summary="Cohort counts per member practice (scoped; counts of "
    "1-7 suppressed and others rounded to 5 for commissioners)",
)
@api_access(in_scope("code", "pcn", roles=AGGREGATES))
def cohorts(request, code: str):
    ds = cohorts_db.dataset_for(code.upper())
    if ds is None:
        raise HttpError(404, "No population dataset is loaded for this PCN.")
    disclose = request.auth.role == Role.ICB_COMMISSIONER
    return {
        "synthetic": ds.synthetic,
        "index_date": cohorts_db.index_date(ds).isoformat(),
        "disclosure_control": disclose,
        "cohorts": cohorts_db.cohort_table(ds, cohorts_db.members(code.upper()), disclose),
    }


@router.get("/smr/{code}", summary="Structured medication reviews in 12 months by practice")
@api_access(in_scope("code", "pcn", roles=AGGREGATES))
def smr(request, code: str):
    from openpcn.population.outputs import suppress

    ds = cohorts_db.dataset_for(code.upper())
    if ds is None:
        raise HttpError(404, "No population dataset is loaded for this PCN.")
    show = suppress if request.auth.role == Role.ICB_COMMISSIONER else (lambda n: n)
    index = cohorts_db.index_date(ds)
    report = cohorts_db.smr_progress(ds, cohorts_db.members(code.upper()))
    return {
        "since": report["since"].isoformat(),
        "to": index.isoformat(),
        "reviewed": show(report["total"]),
        "by_practice": {p: show(n) for p, n in report["by_practice"].items()},
        "waiting": {p: show(n) for p, n in report["waiting"].items()},
    }
