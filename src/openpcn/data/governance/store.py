"""A PCN's governance records, written: every write is one transaction, checked first by the
rules of :mod:`openpcn.governance` on plain data (the registry's members as at the record's
date), refused whole with :class:`GovernanceError` naming every problem, and written to the
audit log. Reads and figures are in :mod:`openpcn.data.governance.reads`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from openpcn.core.actions import status_problems
from openpcn.core.periods import Period, end_problems
from openpcn.data.accounts.audit import record
from openpcn.data.governance.models import (
    Agreement,
    AgreementParty,
    Assessment,
    CdTime,
    Decision,
    GovernanceAction,
    GovernanceMeeting,
    Score,
)
from openpcn.data.registry.models import Organisation
from openpcn.data.registry.queries import membership_at
from openpcn.governance.agreement import agreement_problems
from openpcn.governance.cd_time import hours_value, spell_problems
from openpcn.governance.maturity import assessment_problems, framework, score_value
from openpcn.governance.records import action_problems, decision_problems, meeting_problems


class GovernanceError(ValueError):
    """Bad input; ``problems`` lists every one. Nothing was saved."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def members(pcn: Organisation, on: date) -> dict[str, str]:
    """Code -> name of the PCN's member practices as at ``on`` (the registry's answer)."""
    codes = membership_at(on).members_of(pcn.code)
    return dict(
        Organisation.objects.filter(code__in=codes).order_by("name").values_list("code", "name")
    )


def organisations(pcn: Organisation, on: date) -> dict[str, str]:
    """The organisations an action may be for: the PCN and its members as at ``on``."""
    return {pcn.code: pcn.name} | members(pcn, on)


def _audit(request, user, action: str, obj, pcn: Organisation, **detail) -> None:
    record(
        request, f"governance.{action}", user=user, object_type=type(obj).__name__.lower(),
        object_id=str(obj.pk), pcn=pcn.code, **detail,
    )  # fmt: skip


def _by(user) -> str:
    return user.get_username() if getattr(user, "is_authenticated", False) else "system"


def _periods(qs, exclude: int | None = None) -> list[Period]:
    return [Period(s, e) for pk, s, e in qs.values_list("pk", "start", "end") if pk != exclude]


@transaction.atomic
def save_agreement(
    pcn: Organisation,
    *,
    start: date | None,
    end: date | None = None,
    signed: date | None = None,
    parties: list[str] = (),
    notes: str = "",
    user=None,
    request=None,
) -> Agreement:
    codes = sorted({(c or "").strip().upper() for c in parties if (c or "").strip()})
    problems = agreement_problems(
        pcn=pcn.code, start=start, end=end, signed=signed, parties=codes,
        members=members(pcn, start) if start else {}, existing=_periods(pcn.agreements),
    )  # fmt: skip
    if problems:
        raise GovernanceError(problems)
    agreement = Agreement.objects.create(
        pcn=pcn, start=start, end=end, signed=signed, notes=notes.strip(), created_by=_by(user)
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, practice=p)
        for p in Organisation.objects.filter(code__in=codes)
    )
    _audit(request, user, "agreement", agreement, pcn, start=str(start), parties=codes)
    return agreement


@transaction.atomic
def end_period(obj: Agreement | CdTime, end: date | None, *, user=None, request=None) -> None:
    """End an agreement or a spell of the director's time on ``end`` (so a new one can start
    the day after); the end must not make it overlap another of the PCN's."""
    what = "the agreement" if isinstance(obj, Agreement) else "the clinical director's time"
    others = _periods(type(obj).objects.filter(pcn=obj.pcn), exclude=obj.pk)
    problems = end_problems(obj.start, end, others, what)
    if problems:
        raise GovernanceError(problems)
    obj.end = end
    obj.save(update_fields=["end"])
    _audit(request, user, "ended", obj, obj.pcn, end=str(end))


@transaction.atomic
def record_decision(
    pcn: Organisation, *, day: date | None, what: str, made_by: str, practices: list[str],
    user=None, request=None,
) -> Decision:  # fmt: skip
    codes = sorted({c.strip().upper() for c in practices if c.strip()})
    problems = decision_problems(
        pcn=pcn.code, day=day, what=what, made_by=made_by, practices=codes,
        members=members(pcn, day) if day else {},
    )  # fmt: skip
    if problems:
        raise GovernanceError(problems)
    decision = Decision.objects.create(
        pcn=pcn, date=day, what=what.strip(), made_by=made_by.strip(), created_by=_by(user)
    )
    decision.practices.set(Organisation.objects.filter(code__in=codes))
    _audit(request, user, "decision", decision, pcn, date=str(day), practices=codes)
    return decision


def _action_problems(pcn: Organisation, a: dict) -> list[str]:
    due = a.get("due")
    return action_problems(
        text=a.get("text", ""), owner=a.get("owner", ""),
        organisation=a.get("organisation", ""),
        organisations=organisations(pcn, due or date.today()),
        due=due, status=a.get("status") or "open",
    )  # fmt: skip


def _create_action(pcn, a: dict, meeting, user) -> GovernanceAction:
    return GovernanceAction.objects.create(
        pcn=pcn, meeting=meeting, text=a["text"].strip(), owner=a["owner"].strip(),
        organisation=Organisation.objects.get(code=a["organisation"].strip().upper()),
        due=a["due"], status=a.get("status") or "open", created_by=_by(user),
    )  # fmt: skip


@transaction.atomic
def hold_meeting(
    pcn: Organisation, *, day: date | None, title: str, attendees: str = "", minutes: str = "",
    actions: list[dict] = (), user=None, request=None,
) -> GovernanceMeeting:  # fmt: skip
    """A meeting and the actions agreed at it (each a dict of text, owner, organisation, due,
    status): one bad action and nothing is saved, the meeting neither."""
    problems = meeting_problems(day, title)
    for n, a in enumerate(actions, 1):
        problems += [f"action {n}: {p}" for p in _action_problems(pcn, a)]
    if problems:
        raise GovernanceError(problems)
    meeting = GovernanceMeeting.objects.create(
        pcn=pcn, date=day, title=title.strip(), attendees=attendees.strip(),
        minutes=minutes.strip(), created_by=_by(user),
    )  # fmt: skip
    for a in actions:
        _create_action(pcn, a, meeting, user)
    _audit(request, user, "meeting", meeting, pcn, date=str(day), actions=len(actions))
    return meeting


@transaction.atomic
def add_action(
    pcn: Organisation, action: dict, *, meeting: GovernanceMeeting | None = None, user=None,
    request=None,
) -> GovernanceAction:  # fmt: skip
    problems = _action_problems(pcn, action)
    if meeting is not None and meeting.pcn_id != pcn.pk:
        problems.append("that meeting is not one of this PCN's")
    if problems:
        raise GovernanceError(problems)
    created = _create_action(pcn, action, meeting, user)
    _audit(request, user, "action", created, pcn, due=str(action["due"]))
    return created


@transaction.atomic
def set_status(action: GovernanceAction, status: str, *, user=None, request=None) -> None:
    if status_problems(status):
        raise GovernanceError(status_problems(status))
    action.status = status
    action.save(update_fields=["status"])
    _audit(request, user, "action-status", action, action.pcn, status=status)


@transaction.atomic
def record_cd_time(
    pcn: Organisation, *, director: str, start: date | None, end: date | None = None,
    hours: str | Decimal, user=None, request=None,
) -> CdTime:  # fmt: skip
    """A spell of the director's time: ``hours`` a week as typed (or a Decimal)."""
    problems = spell_problems(director, start, end, str(hours), _periods(pcn.cd_time))
    if problems:
        raise GovernanceError(problems)
    spell = CdTime.objects.create(
        pcn=pcn, director=director.strip(), start=start, end=end,
        hours_per_week=hours_value(str(hours))[0],
        created_by=_by(user),
    )  # fmt: skip
    _audit(request, user, "cd-time", spell, pcn, start=str(start), hours=str(hours))
    return spell


@transaction.atomic
def record_assessment(
    pcn: Organisation, *, day: date | None, scores: dict[str, str], notes: dict[str, str],
    user=None, request=None,
) -> Assessment:  # fmt: skip
    """Scores (domain key -> '1'..'4' as typed) and notes of one self-assessment."""
    fw = framework()
    taken = set(pcn.assessments.values_list("date", flat=True))
    problems = assessment_problems(day, scores, taken, fw)
    if problems:
        raise GovernanceError(problems)
    assessment = Assessment.objects.create(pcn=pcn, date=day, created_by=_by(user))
    Score.objects.bulk_create(
        Score(assessment=assessment, domain=d.key, score=score_value(scores[d.key]),
              note=(notes.get(d.key) or "").strip())
        for d in fw.domains
    )  # fmt: skip
    _audit(request, user, "assessment", assessment, pcn, date=str(day))
    return assessment
