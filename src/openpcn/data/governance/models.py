"""A PCN's governance (issue 18 part 4): each record belongs to the PCN (a registry
organisation), never to a neighbourhood team. The rules are in :mod:`openpcn.governance`;
every write goes through :mod:`openpcn.data.governance.store` (one transaction, audited).

- :class:`Agreement` and its :class:`AgreementParty` rows: the network agreement's dates
  (start..end inclusive, end None = open; a PCN's agreements never overlap) and the member
  practices that signed it.
- :class:`Decision`: what was decided, when, by whom, for which practices.
- :class:`GovernanceMeeting` and :class:`GovernanceAction`: a meeting and what its people
  will do (an owner by name, for an organisation, by a date, with a status).
- :class:`CdTime`: spells of the clinical director's hours a week (never overlapping).
- :class:`Assessment` and its :class:`Score` rows: the maturity self-assessment on a date.
"""

from __future__ import annotations

from django.db import models

from openpcn.data.periods import DatedPeriod, Recorded
from openpcn.data.registry.models import Organisation


class Agreement(DatedPeriod):
    pcn = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements")
    signed = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    parties = models.ManyToManyField(Organisation, related_name="+", through="AgreementParty")

    class Meta:
        ordering = ["pcn", "-start"]

    def __str__(self) -> str:
        return f"{self.pcn_id} agreement {self.start}..{self.end}"


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="party_rows")
    practice = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agreement", "practice__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "practice"], name="agreement_party")
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} party to {self.agreement_id}"


class Decision(Recorded):
    pcn = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="decisions")
    date = models.DateField()
    what = models.TextField()
    made_by = models.CharField(max_length=200)
    practices = models.ManyToManyField(Organisation, related_name="+")

    class Meta:
        ordering = ["pcn", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.pcn_id} {self.date}: {self.what[:40]}"


class GovernanceMeeting(Recorded):
    pcn = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="gov_meetings")
    date = models.DateField()
    title = models.CharField(max_length=200)
    attendees = models.TextField(blank=True)
    minutes = models.TextField(blank=True)

    class Meta:
        ordering = ["pcn", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.pcn_id} {self.title} {self.date}"


class GovernanceAction(models.Model):
    pcn = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="gov_actions")
    meeting = models.ForeignKey(
        GovernanceMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    text = models.CharField(max_length=500)
    owner = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    status = models.CharField(max_length=20, default="open")
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["pcn", "due", "id"]

    def __str__(self) -> str:
        return self.text


class CdTime(DatedPeriod):
    pcn = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cd_time")
    director = models.CharField(max_length=200)
    hours_per_week = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["pcn", "-start"]

    def __str__(self) -> str:
        return f"{self.director} {self.hours_per_week} h/week from {self.start}"


class Assessment(Recorded):
    pcn = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assessments")
    date = models.DateField()

    class Meta:
        ordering = ["pcn", "date"]
        constraints = [models.UniqueConstraint(fields=["pcn", "date"], name="assessment_pcn_date")]

    def __str__(self) -> str:
        return f"{self.pcn_id} self-assessment {self.date}"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(max_length=60)
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="score_domain")
        ]

    def __str__(self) -> str:
        return f"{self.domain} {self.score}"
