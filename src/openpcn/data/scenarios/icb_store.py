"""What-if scenarios of an ICB from and to the database (Django side of
:mod:`openpcn.scenarios.icb`).

- :func:`inputs_for` builds every PCN's engine inputs as at a date, exactly as a PCN scenario
  does (:func:`openpcn.data.scenarios.store.inputs_for`), for the PCNs the registry places in
  the ICB as at that date.
- :func:`create`, :func:`save_version`, :func:`add_change`: every save is a new version whose
  changes the engine has checked against those inputs, written to the audit log like a PCN
  scenario's (with ``icb`` in place of ``pcn``).
- :func:`run` computes each touched PCN's effects and the ICB's totals; :func:`adopt` makes the
  adoptable changes (a care home realigned) real records in one transaction.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from openpcn.data.registry.models import Organisation
from openpcn.data.scenarios.models import Scenario, Status
from openpcn.data.scenarios.store import (
    ScenarioError,
    _close,
    _still_open,
    _u,
    _version,
    _via,
    changes_of,
)
from openpcn.data.scenarios.store import (
    inputs_for as pcn_inputs_for,
)
from openpcn.scenarios.changes import (
    CareHomeUnaligned,
    Change,
    ChangeError,
    RulesVariant,
    RulesYear,
    from_dict,
    from_list,
)
from openpcn.scenarios.icb import (
    ICB_KINDS,
    CareHomeRealigned,
    IcbInputs,
    IcbResult,
    PracticeMoves,
    plan,
    run_icb,
)


def icb_org(code: str) -> Organisation:
    org = Organisation.objects.filter(code=str(code).strip().upper(), kind="icb").first()
    if org is None:
        raise ScenarioError(f"{code} is not an ICB OpenPCN knows")
    return org


def pcns_of(icb_code: str, on: date) -> list[Organisation]:
    """The ICB's PCNs as at ``on`` (the registry's in-ICB relations)."""
    from openpcn.data.neighbourhoods.queries import pcns_in

    return [p for p in pcns_in(icb_code, on) if p.kind == "pcn"]


def inputs_for(icb_code: str, as_at: date, changes: tuple[Change, ...] = ()) -> IcbInputs:
    """Every PCN of the ICB's engine inputs as at ``as_at``, with what the changes name (care
    homes, other ICBs' or years' rules) loaded for each (ScenarioError when data is absent)."""
    pcns = pcns_of(icb_code, as_at)
    if not pcns:
        raise ScenarioError(f"ICB {icb_code} has no PCNs in the registry as at {as_at}")
    homes = tuple(c.location_id for c in changes if isinstance(c, CareHomeRealigned))
    icbs = tuple(c.icb for c in changes if isinstance(c, RulesVariant))
    years = tuple(c.year for c in changes if isinstance(c, RulesYear))
    inputs = {
        p.code: pcn_inputs_for(p.code, as_at, homes=homes, icbs=icbs, years=years) for p in pcns
    }
    names = {p.code: p.name for p in pcns}
    return IcbInputs(icb_code, as_at, inputs, names)


def check(icb_code: str, as_at: date, changes: tuple[Change, ...]) -> None:
    """Run the changes (ChangeError naming the first bad one): each PCN's own checks too."""
    run_icb(inputs_for(icb_code, as_at, changes), changes)


def _parse(changes) -> tuple[Change, ...]:
    items = list(changes)
    if all(isinstance(c, Change) for c in items):
        from openpcn.scenarios.changes import as_list

        items = as_list(items)
    return from_list(items, ICB_KINDS)


def _icb_scenario(scenario: Scenario) -> None:
    if scenario.icb_id is None:
        raise ScenarioError(f"scenario {scenario.name!r} is a PCN's, not an ICB's")
    _still_open(scenario)


def create(icb_code: str, name: str, as_at: date, changes=(), *, user=None, request=None,
           comment: str = "") -> Scenario:  # fmt: skip
    """A new ICB scenario with version 1 (its changes checked first), audited."""
    icb = icb_org(icb_code)
    name = (name or "").strip()
    if not name:
        raise ScenarioError("a scenario needs a name")
    if Scenario.objects.filter(icb=icb, name=name).exists():
        raise ScenarioError(f"{icb.code} already has a scenario called {name!r}")
    parsed = _parse(changes)
    if parsed:
        check(icb.code, as_at, parsed)
    elif not pcns_of(icb.code, as_at):
        raise ScenarioError(f"ICB {icb.code} has no PCNs in the registry as at {as_at}")
    with transaction.atomic():
        scenario = Scenario.objects.create(icb=icb, name=name, as_at=as_at, created_by=_u(user))
        _version(scenario, parsed, user, request, comment, "scenario.create")
    return scenario


def save_version(scenario: Scenario, changes, *, user=None, request=None, comment: str = ""):
    """A new version of an ICB scenario with these changes (checked first), audited."""
    _icb_scenario(scenario)
    parsed = _parse(changes)
    check(scenario.icb.code, scenario.as_at, parsed)
    with transaction.atomic():
        return _version(scenario, parsed, user, request, comment, "scenario.save")


def add_change(scenario: Scenario, change, *, user=None, request=None):
    """The newest version's changes plus one (a dict or a Change), as a new version."""
    new = change if isinstance(change, Change) else from_dict(change, kinds=ICB_KINDS)
    return save_version(scenario, (*changes_of(scenario), new), user=user, request=request,
                        comment=f"added: {new.describe()}")  # fmt: skip


def run(scenario: Scenario) -> IcbResult:
    """The newest version's effects: each touched PCN beside its baseline, the ICB's totals."""
    if scenario.icb_id is None:
        raise ScenarioError(f"scenario {scenario.name!r} is a PCN's, not an ICB's")
    changes = changes_of(scenario)
    return run_icb(inputs_for(scenario.icb.code, scenario.as_at, changes), changes)


def scenarios_of(icb_code: str):
    return Scenario.objects.filter(icb__code=icb_code.strip().upper()).order_by("name")


def discard(scenario: Scenario, *, user=None, request=None) -> None:
    _icb_scenario(scenario)
    _close(scenario, Status.discarded, user, request)


#: why a kind of ICB change cannot be adopted
NOT_ADOPTED = {
    PracticeMoves: "a PCN's membership comes from NHS England's ODS files; it changes when they"
    " record it",
    RulesYear: "a year's rules are NHS England's",
    RulesVariant: "the ICB's local variation is changed on its rules page (its overlay)",
}


def adopt(scenario: Scenario, *, user=None, request=None) -> tuple[str, ...]:
    """Make the changes real in one transaction, audited; all or nothing. Only a care home
    realigned can be adopted (the old alignment ends the day before, the new one starts with
    its lead practice); any other change refuses the whole adoption, naming it."""
    from openpcn.data.services.models import CareHome, CareHomeAlignment

    _icb_scenario(scenario)
    changes = changes_of(scenario)
    for i, c in enumerate(changes, 1):
        why = NOT_ADOPTED.get(type(c))
        if why:
            raise ScenarioError(f"change {i} ({c.describe()}) cannot be adopted: {why}")
        if isinstance(c, CareHomeRealigned) and not c.lead_practice:
            raise ScenarioError(
                f"change {i} ({c.describe()}) cannot be adopted: give the lead practice first"
            )
    done: list[str] = []
    by = _u(user).get_username() if _u(user) else _via(user)
    with transaction.atomic():
        inputs = inputs_for(scenario.icb.code, scenario.as_at, changes)
        steps = plan(inputs, changes)  # still valid against today's records
        run_icb(inputs, changes)
        for i, c in enumerate(changes, 1):  # every one a care home realigned (checked above)
            old = next(p for p, s in steps.items()
                       if any(k == i and isinstance(x, CareHomeUnaligned)
                              for k, x in s))  # fmt: skip
            a = CareHomeAlignment.objects.filter(
                home__location_id=c.location_id, pcn__code=old, end__isnull=True
            ).first()
            if a is None:
                raise ScenarioError(f"{c.describe()}: the home has no open alignment to {old}")
            a.end = c.start - timedelta(1)
            a.save()
            new = CareHomeAlignment.objects.create(
                home=CareHome.objects.get(location_id=c.location_id),
                pcn=Organisation.objects.get(code=c.to_pcn),
                lead_practice=Organisation.objects.get(code=c.lead_practice),
                start=c.start, aligned_by=by,
            )  # fmt: skip
            done += [f"alignment {a.pk} ended", f"alignment {new.pk} started"]
        _close(scenario, Status.adopted, user, request, changed=done)
    return tuple(done)


__all__ = [
    "ChangeError",
    "ScenarioError",
    "add_change",
    "adopt",
    "check",
    "create",
    "discard",
    "inputs_for",
    "pcns_of",
    "run",
    "save_version",
    "scenarios_of",
]
