"""What-if scenarios from and to the database (Django side of :mod:`openpcn.scenarios`).

- :func:`inputs_for` builds a PCN's engine inputs as at a date the way the finance pages do
  (:func:`openpcn.data.finance.forecast.register_inputs` for the posts and vacancies, the
  imported population file and the registry's membership as at the date, the ledger's claims,
  the aligned care home beds, the PCN's rules with its ICB's overlay).
- :func:`create`, :func:`save_version`, :func:`add_change`: every save is a new version whose
  changes the engine has checked against those inputs; each is written to the audit log.
- :func:`run` computes the effects; :func:`discard` ends a scenario, and
  :func:`openpcn.data.scenarios.adopt.adopt` makes its changes real records.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from openpcn.core.fyear import FinancialYear
from openpcn.data.accounts.audit import record
from openpcn.data.finance import entitlements as entitlements_db
from openpcn.data.finance.forecast import claimed, register_inputs
from openpcn.data.registry.models import Organisation
from openpcn.data.registry.queries import membership_at
from openpcn.data.scenarios.models import Scenario, ScenarioVersion, Status
from openpcn.rules import RuleNotFound
from openpcn.scenarios.changes import (
    CareHomeAligned,
    Change,
    ChangeError,
    PracticeJoins,
    RulesVariant,
    RulesYear,
    as_list,
    from_dict,
    from_list,
)
from openpcn.scenarios.effects import Result
from openpcn.scenarios.effects import run as run_engine
from openpcn.scenarios.icb import ICB_KINDS
from openpcn.scenarios.inputs import Inputs, apply
from openpcn.scenarios.rota import sample_week


class ScenarioError(ValueError):
    """A scenario that cannot be saved, run or adopted, with a message saying why."""


def inputs_for(
    pcn_code: str,
    as_at: date,
    homes: tuple[str, ...] = (),
    icbs: tuple[str, ...] = (),
    years: tuple[str, ...] = (),
) -> Inputs:
    """The PCN's engine inputs as at ``as_at`` (ScenarioError when a figure's data is absent);
    ``homes``: care homes (location ids) a change names, loaded beside the aligned ones;
    ``icbs``: ICBs whose rules a change asks for ("" = the national rules); ``years``: other
    financial years whose rules (with the PCN's ICB overlay) a change asks for."""
    from openpcn.data.rules.overlays import OverlayError, rules_for_icb, rules_for_pcn
    from openpcn.data.services.care_homes import aligned_beds, alignment_inputs

    year = str(FinancialYear.containing(as_at))
    try:
        rules = rules_for_pcn(pcn_code, year)  # as the forecast takes them
        entitlement_rules = rules_for_pcn(pcn_code, year, as_at)  # as entitlements take them
    except (RuleNotFound, OverlayError, ValueError) as exc:
        raise ScenarioError(f"No rules for {year}: {exc}") from None
    pops = entitlements_db.populations(year, as_at)
    if pops is None:
        raise ScenarioError(
            f"No NHS England PCN population file for {year} has been imported; years available:"
            f" {', '.join(entitlements_db.years_loaded()) or 'none'}."
        )
    members = membership_at(as_at)
    if members.files:
        membership = dict(members.members)
    else:  # no membership loaded: the file's own PCN column, as the populations do
        membership = {r.practice_code: r.pcn_code or "U" for r in pops.practices}
    posts, vacancies, pay_table, notes = register_inputs(pcn_code, rules)
    arrs, gp = claimed(pcn_code, rules)
    care = alignment_inputs(pcn_code, year, homes)
    from openpcn.data.workforce.coverage import practice_counts, register_rows

    variants = {}
    for icb in dict.fromkeys(icbs):
        if icb and not Organisation.objects.filter(code=icb, kind="icb").exists():
            continue  # the engine then says no rules are available for it
        try:
            variants[icb] = rules_for_icb(icb or None, year)
        except (RuleNotFound, OverlayError, ValueError):
            continue
    other_years = {}
    for other in dict.fromkeys(years):
        try:
            other_years[other] = rules_for_pcn(pcn_code, other)
        except (RuleNotFound, OverlayError, ValueError):
            continue  # the engine then says OpenPCN has no rules for it
    return Inputs(
        pcn_code=pcn_code,
        as_at=as_at,
        rules=rules,
        posts=tuple(posts),
        vacancies=tuple(vacancies),
        practices=pops.practices,
        membership=membership,
        population_source=pops.source,
        population_as_of=pops.as_of,
        membership_source=pops.membership,
        carried_note=pops.carried_note,
        entitlement_rules=entitlement_rules,
        claimed=arrs,
        claimed_gp=gp,
        beds=aligned_beds(pcn_code, year),
        care_homes=care[0] if care else None,
        care_home_periods=care[1] if care else {},
        rule_variants=variants,
        year_rules=other_years,
        register=tuple(register_rows(pcn_code)),
        practice_counts=practice_counts(as_at),
        pay_table=pay_table,
        notes=tuple(notes),
    )


def latest(scenario: Scenario) -> ScenarioVersion | None:
    return scenario.versions.order_by("-version").first()


def changes_of(scenario: Scenario) -> tuple[Change, ...]:
    v = latest(scenario)
    return from_list(v.changes, ICB_KINDS if scenario.icb_id else None) if v else ()


def _named(changes) -> dict:
    """What the changes name beyond the PCN's own records: care homes, ICBs' rules."""
    return {
        "homes": tuple(c.location_id for c in changes if isinstance(c, CareHomeAligned)),
        "icbs": tuple(c.icb for c in changes if isinstance(c, RulesVariant)),
        "years": tuple(c.year for c in changes if isinstance(c, RulesYear)),
    }


def check(pcn_code: str, as_at: date, changes: tuple[Change, ...]) -> None:
    """Apply the changes to the PCN's inputs (ChangeError naming the first bad change)."""
    apply(inputs_for(pcn_code, as_at, **_named(changes)), changes)


def _open(scenario: Scenario) -> None:
    if scenario.pcn_id is None:
        raise ScenarioError(
            f"scenario {scenario.name!r} is ICB {scenario.icb.code}'s: change it as the ICB's"
        )
    _still_open(scenario)


def _still_open(scenario: Scenario) -> None:
    if scenario.status != Status.open:
        raise ScenarioError(f"scenario {scenario.name!r} is {scenario.status}: it cannot change")


def create(pcn_code: str, name: str, as_at: date, changes=(), *, user=None, request=None,
           comment: str = "") -> Scenario:  # fmt: skip
    """A new scenario with version 1 (its changes checked first), audited."""
    pcn = Organisation.objects.filter(code=pcn_code.strip().upper(), kind="pcn").first()
    if pcn is None:
        raise ScenarioError(f"{pcn_code} is not a PCN OpenPCN knows")
    name = (name or "").strip()
    if not name:
        raise ScenarioError("a scenario needs a name")
    if Scenario.objects.filter(pcn=pcn, name=name).exists():
        raise ScenarioError(f"{pcn.code} already has a scenario called {name!r}")
    parsed = _parse(changes)
    check(pcn.code, as_at, parsed)
    with transaction.atomic():
        scenario = Scenario.objects.create(pcn=pcn, name=name, as_at=as_at, created_by=_u(user))
        _version(scenario, parsed, user, request, comment, "scenario.create")
    return scenario


def save_version(scenario: Scenario, changes, *, user=None, request=None,
                 comment: str = "") -> ScenarioVersion:  # fmt: skip
    """A new version with these changes (checked first), audited."""
    _open(scenario)
    parsed = _parse(changes)
    check(scenario.pcn.code, scenario.as_at, parsed)
    with transaction.atomic():
        return _version(scenario, parsed, user, request, comment, "scenario.save")


def add_change(scenario: Scenario, change, *, user=None, request=None) -> ScenarioVersion:
    """The newest version's changes plus one (a dict or a Change), as a new version."""
    new = change if isinstance(change, Change) else from_dict(change)
    return save_version(scenario, (*changes_of(scenario), new), user=user, request=request,
                        comment=f"added: {new.describe()}")  # fmt: skip


def _parse(changes) -> tuple[Change, ...]:
    items = list(changes)
    if all(isinstance(c, Change) for c in items):
        return tuple(items)
    return from_list([c.as_dict() if isinstance(c, Change) else c for c in items])


def _via(user) -> str:
    """The name the audit log records when no one is signed in (the command line)."""
    return "" if _u(user) else "openpcn command line"


def _u(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _version(scenario, changes, user, request, comment, action) -> ScenarioVersion:
    number = (scenario.versions.aggregate(m=Max("version"))["m"] or 0) + 1
    v = ScenarioVersion.objects.create(
        scenario=scenario,
        version=number,
        changes=as_list(changes),
        author=_u(user),
        author_name=user.get_username() if _u(user) else "",
        comment=comment[:500],
    )
    record(
        request, action, user=user, object_type="scenario", object_id=str(scenario.pk),
        **_subject(scenario), name=scenario.name, version=number,
        changes=[c.describe() for c in changes], username=_via(user),
    )  # fmt: skip
    return v


def run(scenario: Scenario, rota: float | None = None, progress=None) -> Result:
    """The newest version's effects beside the baseline (ChangeError if the PCN's data has
    changed so that a change no longer applies, e.g. the member of staff has been removed);
    with ``rota`` (seconds for each solve) the sample week's rota too."""
    if scenario.pcn_id is None:
        raise ScenarioError(f"scenario {scenario.name!r} is an ICB's: run it as one")
    changes = changes_of(scenario)
    inputs = inputs_for(scenario.pcn.code, scenario.as_at, **_named(changes))
    if rota:
        inputs = with_rota(inputs, changes)
    return run_engine(inputs, changes, rota, progress)


def with_rota(inputs: Inputs, changes) -> Inputs:
    """The inputs with the rota page's facts for the scenario's sample week."""
    from openpcn.data.rota.planning import PlanError, rota_facts

    week = sample_week(inputs.as_at, changes)
    joins = tuple(c.practice for c in changes if isinstance(c, PracticeJoins))
    try:
        facts = rota_facts(inputs.pcn_code, week, 1, practices=joins)
    except PlanError as exc:
        raise ScenarioError(f"No sample-week rota: {exc}") from None
    return replace(inputs, rota=facts)


def discard(scenario: Scenario, *, user=None, request=None) -> None:
    _open(scenario)
    _close(scenario, Status.discarded, user, request)


def _close(scenario, status, user, request, **detail) -> None:
    Scenario.objects.filter(pk=scenario.pk).update(status=status, status_at=timezone.now())
    scenario.refresh_from_db()
    v = latest(scenario)
    record(
        request, f"scenario.{status}", user=user, object_type="scenario",
        object_id=str(scenario.pk), **_subject(scenario), name=scenario.name,
        version=v.version if v else 0, username=_via(user), **detail,
    )  # fmt: skip


def _subject(scenario: Scenario) -> dict:
    """The audit log's field naming the scenario's subject: ``pcn`` or ``icb``."""
    org = scenario.subject
    return {org.kind: org.code}


def _pk(text: str, prefix: str) -> int | None:
    text = text.strip().upper()
    return int(text[1:]) if text.startswith(prefix) and text[1:].isdigit() else None


def scenarios_of(pcn_code: str):
    return Scenario.objects.filter(pcn__code=pcn_code).order_by("name")


def find(pcn_code: str | None, ref: str) -> Scenario:
    """A scenario by its number, or by name within a PCN (or an ICB)."""
    ref = str(ref).strip()
    qs = Scenario.objects.select_related("pcn", "icb")
    found = qs.filter(pk=int(ref)).first() if ref.isdigit() else None
    if found is None and pcn_code:
        code = pcn_code.strip().upper()
        found = qs.filter(Q(pcn__code=code) | Q(icb__code=code), name=ref).first()
    if found is None:
        where = f" of {pcn_code}" if pcn_code else ""
        raise ScenarioError(f"no scenario{where} is numbered or named {ref!r}")
    return found


__all__ = [
    "ChangeError",
    "ScenarioError",
    "add_change",
    "changes_of",
    "create",
    "discard",
    "find",
    "inputs_for",
    "latest",
    "run",
    "save_version",
    "scenarios_of",
]
