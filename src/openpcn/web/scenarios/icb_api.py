"""ICB scenarios API under ``/api/icb-plans/<ICB>``: the ICB's what-if scenarios, and one
scenario's effects (each touched PCN beside its baseline, the ICB's totals with how each is
made; the same JSON as ``openpcn plan run SCENARIO --format json``). The ICB's commissioners
and administrators only, as the ICB's pages; a bad change is a 422 naming it
(``errors[].field`` is ``changes.N``, counted from 0), nothing saved."""

from ninja import Router
from ninja.errors import HttpError

from openpcn.data.scenarios import icb_store, store
from openpcn.scenarios.changes import ChangeError
from openpcn.web.platform.access import in_scope
from openpcn.web.platform.api import api_access
from openpcn.web.scenarios.api import NewScenario, NewVersion, created, edited
from openpcn.web.scenarios.icb_views import ICB_ROLES

router = Router(tags=["scenarios"])
RULE = in_scope("code", "icb", roles=ICB_ROLES)


def _summary(sc) -> dict:
    v = store.latest(sc)
    return {"id": sc.pk, "name": sc.name, "icb_code": sc.icb.code, "as_at": sc.as_at.isoformat(),
            "status": sc.status, "version": v.version if v else 0,
            "changes": v.changes if v else []}  # fmt: skip


def _scenario(code: str, scenario: str):
    try:
        sc = store.find(code.upper(), scenario)
    except store.ScenarioError as exc:
        raise HttpError(404, str(exc)) from None
    if sc.icb_id is None or sc.icb.code != code.upper():
        raise HttpError(404, f"scenario {scenario} is not one of {code.upper()}'s")
    return sc


@router.get("/{code}", summary="An ICB's what-if scenarios: name, date, status, changes")
@api_access(RULE)
def scenarios(request, code: str):
    return [_summary(sc) for sc in icb_store.scenarios_of(code)]


@router.post("/{code}", response={201: dict, 422: dict},
             summary="Create an ICB scenario (version 1), its changes checked first")  # fmt: skip
@api_access(RULE)
def create(request, code: str, body: NewScenario):
    return created(icb_store.create, _summary, request, code, body)


@router.put("/{code}/{scenario}", response={200: dict, 422: dict},
            summary="Save a new version of an ICB scenario: the whole list of changes")  # fmt: skip
@api_access(RULE)
def edit(request, code: str, scenario: str, body: NewVersion):
    return edited(icb_store.save_version, _summary, request, _scenario(code, scenario), body)


@router.get("/{code}/{scenario}",
            summary="One ICB scenario's effects: each touched PCN beside its baseline and the"
            " ICB's totals (ARRS, underspend, entitlements, size bands, care homes)")  # fmt: skip
@api_access(RULE)
def run(request, code: str, scenario: str):
    sc = _scenario(code, scenario)
    try:
        result = icb_store.run(sc)
    except (store.ScenarioError, ChangeError) as exc:
        raise HttpError(422, str(exc)) from None
    return {"scenario": _summary(sc)} | result.as_dict()
