"""Scenarios API: a PCN's what-if scenarios, and one scenario's effects beside the baseline
(the same JSON as ``openpcn plan run SCENARIO --format json``); scoped. The PCN's lead or an
administrator create a scenario (POST) and save a new version of its changes (PUT); a bad
change is a 422 naming it (``errors[].field`` is ``changes.N``, counted from 0), nothing saved.
``POST .../<scenario>/rota`` solves the sample week's rota in the background (202); the GET
then carries its state, progress and result as ``rota_run``."""

import re
from datetime import date

from ninja import Router, Schema, Status
from ninja.errors import HttpError

from openpcn.data.scenarios import rota_runs, store
from openpcn.scenarios.changes import ChangeError
from openpcn.web.platform.access import in_scope
from openpcn.web.platform.api import api_access
from openpcn.web.scenarios.views import EDIT_ROLES, VIEW_ROLES

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


class NewScenario(Schema):
    name: str
    as_at: str  # YYYY-MM-DD
    changes: list[dict] = []
    comment: str = ""


class NewVersion(Schema):
    changes: list[dict]
    comment: str = ""


def _refused(exc: Exception) -> Status:
    """A 422 whose field is the change the message names (or the scenario's name)."""
    text = str(exc)
    m = re.match(r"change (\d+)\b", text)
    field = f"changes.{int(m.group(1)) - 1}" if m else ("name" if "name" in text else "")
    return Status(422, {"detail": text, "errors": [{"field": field, "message": text}]})


@router.post("/{code}", response={201: dict, 422: dict},
             summary="Create a scenario (version 1) with its changes, checked first")  # fmt: skip
@api_access(in_scope("code", "pcn", roles=EDIT_ROLES))
def create(request, code: str, body: NewScenario):
    return created(store.create, _summary, request, code, body)


def created(make, summary, request, code: str, body: NewScenario) -> Status:
    """Create a scenario through ``make`` (the PCN's store or the ICB's): 201 with its
    ``summary``, or 422 naming the date or the change that is wrong (nothing saved)."""
    try:
        as_at = date.fromisoformat(body.as_at)
    except ValueError:
        text = f"as_at must be a date like 2026-07-01, not {body.as_at!r}"
        return Status(422, {"detail": text, "errors": [{"field": "as_at", "message": text}]})
    try:
        sc = make(code.upper(), body.name, as_at, body.changes, user=request.auth,
                  request=request, comment=body.comment)  # fmt: skip
    except (store.ScenarioError, ChangeError) as exc:
        return _refused(exc)
    return Status(201, summary(sc))


@router.put("/{code}/{scenario}", response={200: dict, 422: dict},
            summary="Save a new version: the whole list of changes, checked")  # fmt: skip
@api_access(in_scope("code", "pcn", roles=EDIT_ROLES))
def edit(request, code: str, scenario: str, body: NewVersion):
    return edited(store.save_version, _summary, request, _scenario(code, scenario), body)


def edited(save, summary, request, sc, body: NewVersion) -> Status:
    """Save a new version of ``sc`` through ``save``: 200 with its ``summary``, or 422 naming
    the change that is wrong (nothing saved)."""
    try:
        save(sc, body.changes, user=request.auth, request=request, comment=body.comment)
    except (store.ScenarioError, ChangeError) as exc:
        return _refused(exc)
    return Status(200, summary(sc))


def _scenario(code: str, scenario: str):
    try:
        sc = store.find(code.upper(), scenario)
    except store.ScenarioError as exc:
        raise HttpError(404, str(exc)) from None
    if sc.pcn_id is None or sc.pcn.code != code.upper():  # an ICB's: /api/icb-plans/
        raise HttpError(404, f"scenario {scenario} is not one of {code.upper()}'s")
    return sc


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
    sc = _scenario(code, scenario)
    try:
        result = store.run(sc)
    except (store.ScenarioError, ChangeError) as exc:
        raise HttpError(422, str(exc)) from None
    return {"scenario": _summary(sc)} | result.as_dict() | {"rota_run": _run(sc)}


def _run(sc) -> dict | None:
    """The scenario's latest sample-week rota run: state, progress, and when done its rows and
    weeks (``rota_runs``); None before one is asked for."""
    run = rota_runs.latest_run(sc)
    if run is None:
        return None
    return {"id": run.pk, "version": run.version, "state": run.state, "time_limit": run.time_limit,
            "progress": run.progress, "message": run.message} | (run.result or {})  # fmt: skip


@router.post("/{code}/{scenario}/rota", response={202: dict},
             summary="Solve the sample-week rota in the background; poll the GET")  # fmt: skip
@api_access(in_scope("code", "pcn", roles=EDIT_ROLES))
def solve_rota(request, code: str, scenario: str):
    sc = _scenario(code, scenario)
    rota_runs.start(sc, user=request.auth, request=request)
    return Status(202, _run(sc))
