"""Neighbourhoods: named sets of 2021 LSOAs, versioned with dates, with the PCNs and partner
organisations that serve them (issue 18; decision 0014).

- :class:`Neighbourhood`: a name, the ICB or PCN that defined it (its owner) and who did.
- :class:`Footprint`: one dated version of its LSOAs (start..end inclusive, end None =
  open); versions of one neighbourhood never overlap. :class:`FootprintLsoa` holds the codes
  (as codes: the registry's LSOA rows are replaced when a newer IoD file is imported).
- :class:`NeighbourhoodPcn`, :class:`NeighbourhoodPartner`: dated relations to registry
  organisations (a partner with a role: "provides community nursing", "hosts the team").
"""

from __future__ import annotations

from django.db import models

from openpcn.data.periods import DatedPeriod, Recorded
from openpcn.data.registry.models import Organisation


class Neighbourhood(Recorded):
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="neighbourhoods")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["owner__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="neighbourhood_owner_slug")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.owner.code})"


class Footprint(DatedPeriod):
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="footprints"
    )
    lsoa_vintage = models.PositiveSmallIntegerField(default=2021)
    how = models.CharField(max_length=300, blank=True)  # "uploaded list x.csv", "LADs ..."

    class Meta:
        ordering = ["neighbourhood", "start"]

    def __str__(self) -> str:
        return f"{self.neighbourhood} {self.start}..{self.end}"


class FootprintLsoa(models.Model):
    footprint = models.ForeignKey(Footprint, on_delete=models.CASCADE, related_name="lsoas")
    code = models.CharField(max_length=9)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["footprint", "code"], name="footprint_lsoa_unique")
        ]

    def __str__(self) -> str:
        return self.code


class NeighbourhoodPcn(models.Model):
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="pcns")
    pcn = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["neighbourhood", "pcn__code", "start"]

    def __str__(self) -> str:
        return f"{self.pcn_id} serves {self.neighbourhood_id} {self.start}..{self.end}"


class NeighbourhoodPartner(DatedPeriod):
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200)

    class Meta:
        ordering = ["neighbourhood", "organisation__name", "start"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.role} {self.start}..{self.end}"


class Team(Recorded):
    """An integrated neighbourhood team (issue 18 part 3): it belongs to one neighbourhood."""

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)

    class Meta:
        ordering = ["neighbourhood", "name"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "slug"], name="team_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A person in the team, from any employer the neighbourhood knows (a partner, one of its
    PCNs or their practices); ``user`` links a signed-in account, who then sees this team's
    caseload."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    employer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        "web.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="team_members"
    )
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["team", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role}, {self.employer_id})"


class Meeting(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    agenda = models.TextField()
    attendees = models.ManyToManyField(TeamMember, related_name="meetings")
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["team", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.team} {self.date}"


class CaseloadEntry(models.Model):
    """A patient under the team's proactive care, named only by the population dataset's
    pseudonymous ``patient_id`` (decision 0006: details stay in the dataset files)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="caseload")
    patient_id = models.BigIntegerField()
    practice_code = models.CharField(max_length=16)
    source = models.CharField(max_length=40)  # a CASELOAD_SOURCES key, or "meeting"
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="added"
    )
    added = models.DateField()
    removed = models.DateField(null=True, blank=True)
    added_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["team", "practice_code", "patient_id"]

    def __str__(self) -> str:
        return f"patient {self.patient_id} on {self.team}"


class Action(models.Model):
    """Something a member will do, about one caseload patient or one topic."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=500)
    topic = models.CharField(max_length=200, blank=True)
    patient = models.ForeignKey(
        CaseloadEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    owner = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="actions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    status = models.CharField(max_length=20, default="open")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["team", "due", "id"]

    def __str__(self) -> str:
        return self.text
