"""The population health overview of a PCN or one practice: cohorts, age and sex, and one
cohort's rate by deprivation and ethnicity. Aggregates only; small numbers are suppressed for
roles that may not see patients."""

from __future__ import annotations

from openpcn.core.figures import DataRef, Figure
from openpcn.core.roles import Role
from openpcn.data.accounts import audit
from openpcn.data.population import cohorts as cohorts_db
from openpcn.data.registry.models import Organisation
from openpcn.population.definitions import by_name
from openpcn.web.platform.errors import PageError

AGGREGATE_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER, Role.PCN_LEAD, Role.PRACTICE_MANAGER}
PATIENT_ROLES = {Role.ADMIN, Role.PCN_LEAD, Role.PRACTICE_MANAGER}
DEFAULT_RATE = ".".join(cohorts_db.DEFAULT_RATE)  # worked out at import (cohorts.warm)


def dataset(pcn_code: str):
    ds = cohorts_db.dataset_for(pcn_code)
    if ds is None:
        raise PageError(
            404,
            "No population dataset is loaded for this PCN yet; the PCN's lead or an administrator"
            " loads the PCN's own extract (Population health: Load the PCN's own extract).",
        )
    return ds


def pcn_of_practice(code: str) -> str:
    pcn = cohorts_db.pcn_of(code)
    if not pcn:
        raise PageError(404, f"{code} is not in a PCN.")
    return pcn


def chosen_rate(text: str | None):
    """The definition and cohort whose rate is shown; unknown names fall back to the default."""
    rate_def, _, rate_cohort = (text or DEFAULT_RATE).partition(".")
    try:
        chosen = by_name(rate_def)
    except Exception:  # noqa: BLE001 - unknown names fall back to the default
        chosen, rate_cohort = by_name("smr"), "any_priority"
    if rate_cohort not in chosen.shown_cohorts:
        rate_cohort = chosen.shown_cohorts[0]
    return chosen, rate_cohort


def cohort_figure(row: dict, ds, practices: list[str], disclose: bool) -> Figure:
    """How a cohort count was worked out: which patients, which definition and code lists, as
    at which date, and the disclosure rule applied."""
    d = by_name(row["definition"])
    lists = sorted(
        {spec["file"] for spec in d.lists.values() if "file" in spec}
        | {
            f"{n} (SNOMED {', '.join(spec['codes'])})"
            for n, spec in d.lists.items()
            if "codes" in spec
        }
    )
    shown_rule = (
        "; counts of 1 to 7 are hidden and others rounded to the nearest 5 for your role"
        if disclose
        else ""
    )
    return Figure(
        label=row["label"],
        value=row["total"] if row["total"] is not None else "hidden (1 to 7 patients)",
        unit="patients" if row["total"] is not None else "",
        method=(
            f"patients registered at {', '.join(practices)} for whom cohort '{row['cohort']}' of"
            f" {d.title} holds on {cohorts_db.index_date(ds)} (definition {d.path.name}: "
            f"{d.cohorts[row['cohort']]}){shown_rule}"
        ),
        data=(
            DataRef(
                source=ds.label or f"population dataset {ds.pk}",
                as_of=cohorts_db.index_date(ds),
                description=(
                    f"{'synthetic ' if ds.synthetic else ''}patient records; code lists from"
                    f" OPENPCN_DATA: {'; '.join(lists) or 'none'}"
                ),
                patients=row["total"],
            ),
        ),
    )


def overview_page(request, pcn_code, practices, scope, practice=None) -> dict:
    ds = dataset(pcn_code)
    disclose = request.user.role not in PATIENT_ROLES
    names = dict(Organisation.objects.filter(code__in=practices).values_list("code", "name"))
    audit.record(
        request,
        "population aggregates viewed",
        object_type="population",
        object_id=practice or pcn_code,
        disclosure_control=disclose,
    )
    chosen, rate_cohort = chosen_rate(request.GET.get("rate"))
    return {
        "rate_choice": f"{chosen.name}.{rate_cohort}",
        "rate_title": chosen.title,
        "rate_label": chosen.label(rate_cohort),
        "inequalities": cohorts_db.inequalities(ds, practices, chosen.name, rate_cohort, disclose),
        "page_title": "Population health",
        "ds": ds,
        "pcn": pcn_code,
        "practice": practice,
        "practices": practices,
        "names": names,
        "disclose": disclose,
        "scope": scope,
        "cohorts": [
            {**row, "figure": cohort_figure(row, ds, practices, disclose)}
            for row in cohorts_db.cohort_table(ds, practices, disclose)
        ],
        "pyramid": cohorts_db.pyramid(ds, practices, disclose),
        "can_list": request.user.role in PATIENT_ROLES,
        "can_load": scope == "network" and request.user.role in (Role.ADMIN, Role.PCN_LEAD),
        "purposes": cohorts_db.PURPOSES,
        "breadcrumbs": [{"text": "Home", "href": "/"}],
    }
