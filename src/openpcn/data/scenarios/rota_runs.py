"""A scenario's sample-week rota, solved outside the web request (as the rota page's plans
are, decision 0005): :func:`start` records a :class:`RotaRun` and starts
``openpcn plan rota-run ID`` in its own process (inline under tests); :func:`solve` runs
:func:`openpcn.data.scenarios.store.run` with the rota, saving progress as the two solves go
and the rota rows and weeks when done."""

from __future__ import annotations

import logging

from django.conf import settings

from openpcn.data.accounts.audit import record
from openpcn.data.rota.planning import in_background
from openpcn.data.scenarios import store
from openpcn.data.scenarios.models import RotaRun, Scenario
from openpcn.scenarios.changes import ChangeError
from openpcn.scenarios.rota import DEFAULT_TIME_LIMIT

State = RotaRun.State
log = logging.getLogger("openpcn.scenarios")


def rota_rows(result) -> list[dict]:
    """The differences rows the sample week adds (rota rows, Enhanced Access minutes planned)."""
    return [r.as_dict() for r in result.rows
            if r.effect.startswith("Rota") or "sample rota" in r.item]  # fmt: skip


def start(scenario: Scenario, *, user=None, request=None, time_limit=DEFAULT_TIME_LIMIT):
    """Queue a sample-week rota of the scenario's newest version and solve it in the
    background (audited); an ICB's scenario has no sample week (ScenarioError)."""
    if scenario.pcn_id is None:
        raise store.ScenarioError(
            f"scenario {scenario.name!r} is an ICB's: a sample-week rota is one PCN's; solve it"
            " in a scenario of the PCN"
        )
    v = store.latest(scenario)
    run = RotaRun.objects.create(
        scenario=scenario,
        version=v.version if v else 0,
        time_limit=time_limit,
        created_by=user.get_username() if getattr(user, "is_authenticated", False) else "",
    )
    record(request, "scenario.rota", user=user, object_type="scenario",
           object_id=str(scenario.pk), pcn=scenario.pcn.code, run=run.pk)  # fmt: skip
    if settings.ENV == "test":
        return solve(run.pk)
    in_background("plan", "rota-run", str(run.pk))
    return run


def solve(run_id: int) -> RotaRun:
    run = RotaRun.objects.select_related("scenario__pcn").get(pk=run_id)
    run.state = State.solving
    run.save(update_fields=["state"])
    persist = settings.ENV != "test"  # inline solves (tests) hold the request's transaction

    def progress(side, seconds, objective, bound):
        run.progress = [*run.progress, {"side": side, "seconds": round(seconds, 1),
                                        "objective": objective}]  # fmt: skip
        if persist:  # the solver calls back from its own thread: its own connection
            from django.db import connection

            RotaRun.objects.filter(pk=run.pk).update(progress=run.progress)
            connection.close()

    try:
        result = store.run(run.scenario, rota=run.time_limit, progress=progress)
    except (store.ScenarioError, ChangeError) as exc:
        run.state, run.message = State.failed, str(exc)
    except Exception as exc:  # never left "solving": say so, without the data in the message
        log.error("scenario rota run %s failed: %s", run.pk, type(exc).__name__)
        run.state = State.failed
        run.message = f"Something went wrong while solving (run {run.pk}); try again."
    else:
        run.state = State.done
        run.result = {"rows": rota_rows(result), "rota": result.as_dict()["rota"]}
    run.save(update_fields=["state", "message", "result", "progress"])
    return run


def latest_run(scenario: Scenario) -> RotaRun | None:
    return scenario.rota_runs.first()


__all__ = ["latest_run", "rota_rows", "solve", "start"]
