"""Scenarios API: a PCN's what-if scenarios, and one scenario's effects beside the baseline
(the same JSON as ``openpcn plan run SCENARIO --format json``); scoped, read only."""

from ninja import Router
from ninja.errors import HttpError

from openpcn.data.scenarios import store
from openpcn.scenarios import ChangeError
from openpcn.web.platform.access import in_scope
from openpcn.web.platform.api import api_access
from openpcn.web.scenarios.views import VIEW_ROLES

router = Router(tags=["scenarios"])


def _summary(sc) -> dict:
    v = store.latest(sc)
    return {
        "id": sc.pk,
        "name": sc.name,
        "pcn_code": sc.pcn.code,
        "as_at": sc.as_at.isoformat(),
        "status": sc.status,
        "version": v.version if v else 0,
        "changes": v.changes if v else [],
    }


@router.get("/{code}", summary="A PCN's what-if scenarios: name, date, status, changes")
@api_access(in_scope("code", "pcn", roles=VIEW_ROLES))
def scenarios(request, code: str):
    return [_summary(sc) for sc in store.scenarios_of(code.upper())]


@router.get(
    "/{code}/{scenario}",
    summary="One scenario's effects beside the baseline: ARRS sum, claimed, committed, forecast"
    " and underspend, entitlements by stream, income split, size band",
)
@api_access(in_scope("code", "pcn", roles=VIEW_ROLES))
def run(request, code: str, scenario: str):
    try:
        sc = store.find(code.upper(), scenario)
    except store.ScenarioError as exc:
        raise HttpError(404, str(exc)) from None
    if sc.pcn.code != code.upper():
        raise HttpError(404, f"scenario {scenario} is not one of {code.upper()}'s")
    try:
        result = store.run(sc)
    except (store.ScenarioError, ChangeError) as exc:
        raise HttpError(422, str(exc)) from None
    return {"scenario": _summary(sc)} | result.as_dict()
