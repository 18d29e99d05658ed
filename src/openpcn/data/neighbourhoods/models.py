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

from openpcn.data.registry.models import Organisation


class Neighbourhood(models.Model):
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="neighbourhoods")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["owner__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="neighbourhood_owner_slug")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.owner.code})"


class Footprint(models.Model):
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="footprints"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    lsoa_vintage = models.PositiveSmallIntegerField(default=2021)
    how = models.CharField(max_length=300, blank=True)  # "uploaded list x.csv", "LADs ..."
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

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


class NeighbourhoodPartner(models.Model):
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["neighbourhood", "organisation__name", "start"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.role} {self.start}..{self.end}"
